// Malformed inputs, run through the bundle as the runner passes them: each ends in one
// `::error::` line that names the input, exit code 1, and not a single request to ECR.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { emulatorEnv, expectFailure, mapLimit } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'

interface BadInput {
  name: string
  inputs: Record<string, string>
  /** Inputs (or variables) the error line must name. */
  names: string[]
  env?: Record<string, string>
}

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
const DIGEST = `sha256:${'a'.repeat(64)}`
const TAGGED = { repository: 'team/api', 'image-tag': 'v1' }

const bad = (
  name: string,
  inputs: Record<string, string>,
  names: string[],
  env?: Record<string, string>,
): BadInput => ({ name, inputs, names, env })

/** One bad value of one input, next to otherwise good inputs. */
const badValue = (input: string, value: string, base: Record<string, string> = TAGGED) => {
  const shown =
    value.length > 40
      ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`
      : JSON.stringify(value)
  return bad(`${input}: ${shown}`, { ...base, [input]: value }, [input])
}

const CASES: BadInput[] = [
  // repository
  bad('repository missing', { 'image-tag': 'v1' }, ['repository']),
  ...[
    'Team/Api',
    'a',
    'x'.repeat(257),
    'team//api',
    'team api',
    '-team/api',
    'team/api:v1',
    'team/api;rm -rf /',
    '$(whoami)',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    'team/api\n::error::injected',
    'team/api%0A::warning::injected',
    'tëam/🚀',
  ].map((value) => badValue('repository', value)),
  // image-tag and image-digest
  bad('neither image-tag nor image-digest', { repository: 'team/api' }, ['image-tag']),
  ...[
    '.hidden',
    'v1 beta',
    'v'.repeat(301),
    'v1\n::error::injected',
    '$(id)',
    'release/v1',
    'vé🚀',
  ].map((value) => badValue('image-tag', value)),
  ...[
    'sha256:abc',
    `sha256:${'A'.repeat(64)}`,
    `sha512:${'a'.repeat(64)}`,
    `${DIGEST}; echo pwned`,
  ].map((value) => badValue('image-digest', value, { repository: 'team/api' })),
  // image, alone and with inputs it conflicts with
  ...[
    'docker.io/library/nginx:latest',
    `${HOST}/team/api`,
    '12345678901.dkr.ecr.us_east_1.amazonaws.com/team/api:v1',
    `${HOST}/team/api@sha256:xyz`,
    `${HOST}/team/api:v1\n::error::injected`,
    `${HOST}/${'x'.repeat(5000)}:v1`,
  ].map((value) => badValue('image', value, {})),
  bad('image with repository', { image: `${HOST}/team/api:v1`, repository: 'team/api' }, [
    'image',
    'repository',
  ]),
  bad('image with image-tag', { image: `${HOST}/team/api:v1`, 'image-tag': 'v2' }, [
    'image',
    'image-tag',
  ]),
  bad('image with registry-id', { image: `${HOST}/team/api:v1`, 'registry-id': '210987654321' }, [
    'image',
    'registry-id',
  ]),
  bad('image in another region', { image: `${HOST}/team/api:v1`, region: 'eu-west-1' }, ['region']),
  // registry-id
  ...['12345', '123456789012; DROP TABLE', '١٢٣٤٥٦٧٨٩٠١٢'].map((value) =>
    badValue('registry-id', value),
  ),
  // region, as input and from the environment
  ...['US-EAST-1', 'us-east-1; curl evil.example', 'üs-east-1'].map((value) =>
    badValue('region', value),
  ),
  bad('no region anywhere', TAGGED, ['region'], { AWS_REGION: '', AWS_DEFAULT_REGION: '' }),
  bad('AWS_REGION not a region', TAGGED, ['AWS_REGION'], { AWS_REGION: 'moon-1' }),
  // choices
  ...['BASICS', 'inspector'].map((value) => badValue('scan-type', value)),
  ...['retry', 'yes'].map((value) => badValue('on-limit-exceeded', value)),
  ...['yes', '1'].map((value) => badValue('wait', value)),
  ...['0', '-5', '1e3', '21601', '10m', 'NaN'].map((value) => badValue('wait-timeout', value)),
  ...['severe', 'CRITICALS'].map((value) => badValue('fail-on-severity', value)),
  badValue('on-scan-failure', 'abort'),
  bad(
    'fail-on-severity without waiting',
    { ...TAGGED, 'fail-on-severity': 'high', wait: 'false' },
    ['fail-on-severity', 'wait'],
  ),
]

let emulator: Emulator
const runs = new Map<string, ActionRun>()

beforeAll(async () => {
  emulator = await startEmulator()
  emulator.putImage({ repositoryName: 'team/api', tag: 'v1' })
  // Four bundles at a time: the machine has two cores and other test files run beside this one.
  const results = await mapLimit(CASES, 4, (testCase) =>
    runAction(testCase.inputs, { env: emulatorEnv(emulator, testCase.env) }),
  )
  CASES.forEach((testCase, i) => runs.set(testCase.name, results[i] as ActionRun))
}, 120_000)

afterAll(async () => {
  await emulator.close()
})

describe('a malformed input', () => {
  it('is tried in at least 50 ways', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50)
    expect(new Set(CASES.map((testCase) => testCase.name)).size).toBe(CASES.length)
  })

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))(
    '%s: one ::error:: naming the input, exit code 1',
    (_name, testCase) => {
      const run = runs.get(testCase.name) as ActionRun
      expect(run.exitCode).toBe(1)
      const error = expectFailure(run)
      // Inputs are quoted in the line; an environment variable is named as it is.
      for (const name of testCase.names) {
        expect(error).toContain(name.startsWith('AWS_') ? `(from ${name})` : `'${name}'`)
      }
      // The line cannot be split into a second workflow command by the value.
      expect(run.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([
        expect.stringMatching(/^::add-mask::/),
        error,
      ])
    },
  )

  it('sends no request to ECR', () => {
    expect(emulator.requests()).toEqual([])
  })
})
