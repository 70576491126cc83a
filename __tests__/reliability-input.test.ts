// Malformed inputs, run through the bundle as the runner passes them. What each bad value means is
// settings.test.ts's job (getSettings, no process); here one value of each kind of problem checks
// the runner boundary: one `::error::` line that names the input, exit code 1, not a single
// request to ECR, no outputs but verdict=failed, and a summary that says what was wrong.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { basicFinding, emulatorEnv, expectFailure, mapLimit } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'

interface BadInput {
  kind: string
  inputs: Record<string, string>
  /** What the error line must say, the input's name included. */
  says: RegExp
  env?: Record<string, string>
}

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
const TAGGED = { repository: 'team/api', 'image-tag': 'v1' }
const workspace = mkdtempSync(join(tmpdir(), 'reliability-input-'))

const CASES: BadInput[] = [
  {
    kind: 'a value outside a list of choices',
    inputs: { ...TAGGED, 'scan-type': 'inspector' },
    says: /^::error::Input 'scan-type' is 'inspector'; accepted values: auto, basic, enhanced\.$/,
  },
  {
    kind: 'a number with a unit',
    inputs: { ...TAGGED, 'wait-timeout': '10m' },
    says: /^::error::Input 'wait-timeout' is '10m'; expected a number of seconds greater than 0/,
  },
  {
    kind: 'one bad entry of a list',
    inputs: { repository: 'team/api', 'image-tag': 'v1\nv 2' },
    says: /^::error::Input 'image-tag' has 'v 2', which is not a valid image tag/,
  },
  {
    kind: 'a file with a bad entry',
    inputs: { ...TAGGED, 'ignore-file': 'ignore.yml' },
    says: /^::error::Input 'ignore-file': ignore\.yml entry 1 \(CVE-2024-0001\): expires 'soon' is not a date/,
    env: { GITHUB_WORKSPACE: workspace },
  },
  {
    kind: 'inputs that conflict',
    inputs: { image: `${HOST}/team/api:v1`, repository: 'team/api' },
    says: /^::error::Input 'image' cannot be combined with 'repository'/,
  },
  {
    kind: 'a bad region from the environment',
    inputs: TAGGED,
    says: /^::error::Region 'moon-1' \(from AWS_REGION\) is not an AWS region name/,
    env: { AWS_REGION: 'moon-1' },
  },
  {
    kind: 'a value carrying a workflow command after a newline',
    inputs: { ...TAGGED, repository: 'team/api\n::error::injected' },
    says: /^::error::Input 'repository' is 'team\/api\\u000a::error::injected', which is not/,
  },
  {
    kind: 'a value carrying an encoded newline',
    inputs: { ...TAGGED, repository: 'team/api%0A::warning::injected' },
    // The runner decodes %0A in a command's message; the value's own % reaches it encoded (%25).
    says: /^::error::Input 'repository' is 'team\/api%250A::warning::injected', which is not/,
  },
]

/** An error command's message as the runner shows it (it decodes %25, %0D and %0A). */
const decoded = (command: string): string =>
  command
    .replace(/^::error::/, '')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%')

const emulators: Emulator[] = []
const runs: ActionRun[] = []

beforeAll(async () => {
  writeFileSync(
    join(workspace, 'ignore.yml'),
    '- id: CVE-2024-0001\n  reason: r\n  expires: soon\n',
  )
  // Four bundles at a time: the machine has two cores and other test files run beside this one.
  // An emulator each, so that each case shows on its own that no request reached ECR.
  const results = await mapLimit(CASES, 4, async (testCase, i) => {
    const emulator = await startEmulator()
    emulators[i] = emulator
    return runAction(testCase.inputs, { env: emulatorEnv(emulator, testCase.env) })
  })
  runs.push(...results)
}, 60_000)

afterAll(async () => {
  await Promise.all(emulators.map((emulator) => emulator.close()))
  rmSync(workspace, { recursive: true, force: true })
})

describe('a malformed input, through the bundle', () => {
  it.each(CASES.map((testCase, i) => [testCase.kind, i] as const))(
    '%s: one ::error:: naming the input, exit 1, no request, no outputs, the summary',
    (_kind, i) => {
      const { says } = CASES[i] as BadInput
      const run = runs[i] as ActionRun
      const error = expectFailure(run, says)
      // The only workflow commands are the credentials' mask and the error: the value cannot
      // split the line into a second command.
      expect(run.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([
        expect.stringMatching(/^::add-mask::/),
        error,
      ])
      expect((emulators[i] as Emulator).requests()).toEqual([])
      // Nothing was looked up, so no output claims anything but the verdict, failed; the
      // summary says what was wrong.
      expect(run.outputs).toEqual({ verdict: 'failed' })
      expect(run.summary).toContain(`> ${decoded(error)}`)
    },
  )
})

describe('a misspelled input, through the bundle', () => {
  let emulator: Emulator
  let run: ActionRun

  beforeAll(async () => {
    emulator = await startEmulator()
    // With fail-on-severity: high read, this image fails the step.
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scanProfile: {
        durationMs: 0,
        outcome: 'COMPLETE',
        findings: [basicFinding('CVE-2026-0001', 'CRITICAL', 'openssl')],
      },
    })
    // The runner's variable for `fail-on-serverity: high`: INPUT_FAIL-ON-SERVERITY=high.
    run = await runAction(
      { ...TAGGED, 'fail-on-serverity': 'high' },
      { env: emulatorEnv(emulator) },
    )
  }, 60_000)

  afterAll(() => emulator.close())

  it('fails before any request with one ::error:: line naming it and the input it meant', () => {
    expectFailure(run)
    expect(run.commands('error')).toEqual([
      "::error::'fail-on-serverity' is not an input of this action; did you mean 'fail-on-severity'? Fix the name in the step's with: block.",
    ])
    expect(emulator.requests()).toEqual([])
    expect(run.outputs).toEqual({ verdict: 'failed' })
  })
})
