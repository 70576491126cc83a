import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/kernel/errors.js'
import { Inputs, type InputName } from '../src/kernel/names.js'
import { shown } from '../src/kernel/text.js'
import { getSettings, resolvedInputs, settingsDebugLines } from '../src/inputs/settings.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const ENV = { AWS_REGION: 'us-east-1' }

function settingsOf(inputs: Partial<Record<InputName, string>>, env: Record<string, string> = ENV) {
  return getSettings((name) => inputs[name] ?? '', env)
}

function inputErrorOf(
  inputs: Partial<Record<InputName, string>>,
  env: Record<string, string> = ENV,
) {
  try {
    settingsOf(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('getSettings', () => {
  it('gives the documented defaults', () => {
    expect(settingsOf({ repository: 'team/api', 'image-tag': 'v1' })).toEqual({
      images: [
        {
          target: { repositoryName: 'team/api', imageTag: 'v1', registryId: undefined },
          region: 'us-east-1',
        },
      ],
      strayInputVariables: [],
      scan: {
        platforms: undefined,
        scanType: 'auto',
        onLimitExceeded: 'warn',
        wait: true,
        waitTimeoutSeconds: 600,
        concurrency: 50,
        requestsPerSecond: 5,
        compareTo: undefined,
      },
      facts: { ignore: [], onlyNew: false, onlyFixable: false },
      verdict: {
        failOnSeverity: undefined,
        failOnExploitable: false,
        failOnKev: false,
        failOnEpss: undefined,
        onLimitExceeded: 'warn',
        onScanFailure: 'fail',
        waitTimeoutSeconds: 600,
        onlyNew: false,
      },
      report: {
        sarifFile: undefined,
        dockerfile: undefined,
        annotations: true,
        commentOnPr: false,
        githubToken: '',
      },
      exploits: {
        kev: true,
        epss: true,
        kevUrl:
          'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
        epssUrl: 'https://api.first.org/data/v1/epss',
      },
    })
  })

  it('trims inputs and reads enum values case-insensitively', () => {
    const settings = settingsOf({
      repository: '  team/api ',
      'image-tag': ' v1\n',
      'scan-type': 'ENHANCED',
      'on-limit-exceeded': ' Fail ',
      wait: 'FALSE',
      'on-scan-failure': 'Ignore',
      'wait-timeout': ' 4 ',
    })
    expect(settings).toMatchObject({
      images: [{ target: { repositoryName: 'team/api', imageTag: 'v1' } }],
      scan: { scanType: 'ENHANCED', onLimitExceeded: 'fail', wait: false, waitTimeoutSeconds: 4 },
      verdict: { onLimitExceeded: 'fail', onScanFailure: 'ignore', waitTimeoutSeconds: 4 },
    })
  })

  it('maps fail-on-severity to ECR severity words', () => {
    expect(
      settingsOf({ repository: 'r1', 'image-tag': 't', 'fail-on-severity': 'High' }).verdict
        .failOnSeverity,
    ).toBe('HIGH')
    expect(
      settingsOf({ repository: 'r1', 'image-tag': 't', 'fail-on-severity': 'informational' })
        .verdict.failOnSeverity,
    ).toBe('INFORMATIONAL')
    expect(
      settingsOf({ repository: 'r1', 'image-tag': 't', 'fail-on-severity': 'none' }).verdict
        .failOnSeverity,
    ).toBeUndefined()
  })

  it('accepts a digest, a digest with a tag, and a registry id', () => {
    expect(
      settingsOf({
        repository: 'r1',
        'image-digest': DIGEST,
        'image-tag': 'v1',
        'registry-id': '123456789012',
      }).images[0]?.target,
    ).toEqual({
      repositoryName: 'r1',
      imageDigest: DIGEST,
      imageTag: 'v1',
      registryId: '123456789012',
    })
  })

  it('takes registry, region, repository, tag and digest from a full image reference', () => {
    const settings = settingsOf(
      { image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v2@${DIGEST}` },
      {},
    )
    expect(settings.images[0]?.region).toBe('eu-west-1')
    expect(settings.images[0]?.target).toEqual({
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageTag: 'v2',
      imageDigest: DIGEST,
    })
  })

  it('prefers the region input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const base = { repository: 'r1', 'image-tag': 't' }
    expect(settingsOf({ ...base, region: 'ap-south-1' }).images[0]?.region).toBe('ap-south-1')
    expect(
      settingsOf(base, { AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'us-west-2' }).images[0]
        ?.region,
    ).toBe('eu-north-1')
    expect(settingsOf(base, { AWS_DEFAULT_REGION: 'us-west-2' }).images[0]?.region).toBe(
      'us-west-2',
    )
    expect(settingsOf(base, { AWS_DEFAULT_REGION: 'us-gov-west-1' }).images[0]?.region).toBe(
      'us-gov-west-1',
    )
  })

  it('reads several tags of one repository, one per line or comma separated, without duplicates', () => {
    const settings = settingsOf({ repository: 'team/api', 'image-tag': 'v1\nv2, v3\n\nv1' })
    expect(settings.images.map(({ target }) => target.imageTag)).toEqual(['v1', 'v2', 'v3'])
  })

  it('reads several digests of one repository', () => {
    const other = `sha256:${'ef'.repeat(32)}`
    const settings = settingsOf({ repository: 'team/api', 'image-digest': `${DIGEST}\n${other}` })
    expect(settings.images.map(({ target }) => target.imageDigest)).toEqual([DIGEST, other])
  })

  it('reads several image references, each with its own region', () => {
    const settings = settingsOf(
      {
        image: [
          '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v1',
          '210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/web:v2',
        ].join('\n'),
      },
      {},
    )
    expect(settings.images).toEqual([
      {
        target: {
          registryId: '123456789012',
          repositoryName: 'team/api',
          imageTag: 'v1',
          imageDigest: undefined,
        },
        region: 'us-east-1',
      },
      {
        target: {
          registryId: '210987654321',
          repositoryName: 'team/web',
          imageTag: 'v2',
          imageDigest: undefined,
        },
        region: 'eu-west-1',
      },
    ])
  })

  it('reads platforms, concurrency and requests-per-second', () => {
    const settings = settingsOf({
      repository: 'r1',
      'image-tag': 't',
      platforms: 'linux/amd64, Linux/ARM64/v8',
      concurrency: '4',
      'requests-per-second': '2.5',
    })
    expect(settings.scan).toMatchObject({
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      concurrency: 4,
      requestsPerSecond: 2.5,
    })
    expect(
      settingsOf({ repository: 'r1', 'image-tag': 't', platforms: 'ALL' }).scan.platforms,
    ).toBeUndefined()
  })

  // Each row: the inputs, the input the error must name, and a fragment of what it accepts.
  const bad: [string, Partial<Record<InputName, string>>, InputName, string][] = [
    ['no repository', { 'image-tag': 'v1' }, Inputs.repository, 'is required'],
    [
      'no tag or digest',
      { repository: 'r1' },
      Inputs.imageTag,
      "Give 'image-tag' or 'image-digest'",
    ],
    [
      'upper-case repository',
      { repository: 'Team/api', 'image-tag': 'v1' },
      Inputs.repository,
      'lower-case',
    ],
    [
      'one-letter repository',
      { repository: 'a', 'image-tag': 'v1' },
      Inputs.repository,
      '2 to 256',
    ],
    [
      'repository with a trailing slash',
      { repository: 'team/', 'image-tag': 'v1' },
      Inputs.repository,
      'not a valid',
    ],
    [
      'repository with HTML',
      { repository: '<b>x</b>', 'image-tag': 'v1' },
      Inputs.repository,
      'not a valid',
    ],
    [
      'tag with a space',
      { repository: 'r1', 'image-tag': 'v 1' },
      Inputs.imageTag,
      'not a valid image tag',
    ],
    [
      'tag starting with a dot',
      { repository: 'r1', 'image-tag': '.v1' },
      Inputs.imageTag,
      'not starting',
    ],
    [
      'tag with a workflow command',
      { repository: 'r1', 'image-tag': '::error::x' },
      Inputs.imageTag,
      'not a valid',
    ],
    [
      'tag of 301 characters',
      { repository: 'r1', 'image-tag': 'a'.repeat(301) },
      Inputs.imageTag,
      'up to 300',
    ],
    [
      'short digest',
      { repository: 'r1', 'image-digest': 'sha256:abc' },
      Inputs.imageDigest,
      '64 lower-case hex',
    ],
    [
      'upper-case digest',
      { repository: 'r1', 'image-digest': DIGEST.toUpperCase() },
      Inputs.imageDigest,
      'sha256:',
    ],
    [
      'registry id of 11 digits',
      { repository: 'r1', 'image-tag': 't', 'registry-id': '12345678901' },
      Inputs.registryId,
      '12 digits',
    ],
    [
      'unknown scan type',
      { repository: 'r1', 'image-tag': 't', 'scan-type': 'inspector' },
      Inputs.scanType,
      'auto, basic, enhanced',
    ],
    [
      'unknown limit reaction',
      { repository: 'r1', 'image-tag': 't', 'on-limit-exceeded': 'retry' },
      Inputs.onLimitExceeded,
      'fail, warn, ignore',
    ],
    [
      'yes for wait',
      { repository: 'r1', 'image-tag': 't', wait: 'yes' },
      Inputs.wait,
      'true, false',
    ],
    [
      'zero timeout',
      { repository: 'r1', 'image-tag': 't', 'wait-timeout': '0' },
      Inputs.waitTimeout,
      'greater than 0',
    ],
    [
      'negative timeout',
      { repository: 'r1', 'image-tag': 't', 'wait-timeout': '-5' },
      Inputs.waitTimeout,
      'greater than 0',
    ],
    [
      'timeout with a unit',
      { repository: 'r1', 'image-tag': 't', 'wait-timeout': '10m' },
      Inputs.waitTimeout,
      'number of seconds',
    ],
    [
      'timeout over 6 hours',
      { repository: 'r1', 'image-tag': 't', 'wait-timeout': '21601' },
      Inputs.waitTimeout,
      'at most 21600',
    ],
    [
      'unknown severity',
      { repository: 'r1', 'image-tag': 't', 'fail-on-severity': 'severe' },
      Inputs.failOnSeverity,
      'critical',
    ],
    [
      'threshold without waiting',
      { repository: 'r1', 'image-tag': 't', 'fail-on-severity': 'high', wait: 'false' },
      Inputs.failOnSeverity,
      'wait: true',
    ],
    [
      'several tags and several digests',
      { repository: 'r1', 'image-tag': 'a\nb', 'image-digest': DIGEST },
      Inputs.imageDigest,
      'not both',
    ],
    [
      'one tag and several digests',
      {
        repository: 'r1',
        'image-tag': 'a',
        'image-digest': `${DIGEST}\nsha256:${'cd'.repeat(32)}`,
      },
      Inputs.imageDigest,
      'not both',
    ],
    [
      'one bad tag among several',
      { repository: 'r1', 'image-tag': 'v1\nv 2' },
      Inputs.imageTag,
      "'v 2'",
    ],
    [
      'one bad reference among several',
      { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/r1:t\nnginx:1' },
      Inputs.image,
      "'nginx:1'",
    ],
    [
      '1001 tags',
      { repository: 'r1', 'image-tag': Array.from({ length: 1001 }, (_, i) => `t${i}`).join('\n') },
      Inputs.imageTag,
      'at most 1000',
    ],
    [
      'a platform without architecture',
      { repository: 'r1', 'image-tag': 't', platforms: 'linux' },
      Inputs.platforms,
      'os/architecture',
    ],
    [
      'zero concurrency',
      { repository: 'r1', 'image-tag': 't', concurrency: '0' },
      Inputs.concurrency,
      'at least 1',
    ],
    [
      'fractional concurrency',
      { repository: 'r1', 'image-tag': 't', concurrency: '2.5' },
      Inputs.concurrency,
      'whole number',
    ],
    [
      'zero requests per second',
      { repository: 'r1', 'image-tag': 't', 'requests-per-second': '0' },
      Inputs.requestsPerSecond,
      'at least 0.1',
    ],
    [
      'unknown scan failure reaction',
      { repository: 'r1', 'image-tag': 't', 'on-scan-failure': 'skip' },
      Inputs.onScanFailure,
      'fail, warn, ignore',
    ],
    [
      'image with repository',
      { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/r1:t`, repository: 'r1' },
      Inputs.image,
      "'repository'",
    ],
    [
      'image on Docker Hub',
      { image: 'docker.io/library/nginx:1' },
      Inputs.image,
      'not an ECR registry host',
    ],
    [
      'image without tag or digest',
      { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/r1' },
      Inputs.image,
      'neither a tag',
    ],
    [
      'image with a bad digest',
      { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/r1@sha256:xyz' },
      Inputs.image,
      '64 lower-case hex',
    ],
    [
      'region disagreeing with the image',
      { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/r1:t', region: 'eu-west-1' },
      Inputs.region,
      'us-east-1',
    ],
    [
      'malformed region',
      { repository: 'r1', 'image-tag': 't', region: 'us_east_1' },
      Inputs.region,
      'not an AWS region',
    ],
    [
      'image with image-tag',
      { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/r1:t`, 'image-tag': 'v2' },
      Inputs.image,
      "'image-tag'",
    ],
    [
      'image with registry-id',
      { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/r1:t`, 'registry-id': '210987654321' },
      Inputs.image,
      "'registry-id'",
    ],
    [
      'image whose region is in another partition than its domain',
      { image: '123456789012.dkr.ecr.cn-north-1.amazonaws.com/r1:t' },
      Inputs.image,
      'aws-cn partition',
    ],
  ]
  it.each(bad)('rejects %s, naming the input', (_, inputs, input, fragment) => {
    const error = inputErrorOf(inputs)
    expect(error.input).toBe(input)
    expect(error.message).toContain(`'${input}'`)
    expect(error.message).toContain(fragment)
  })

  // Malformed and hostile values of each input, as a workflow (or an attacker's branch name) may
  // pass them: the message names the input, says what it accepts, and stays on one line, so the
  // value cannot start a second workflow command.
  const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
  const TAGGED = { repository: 'team/api', 'image-tag': 'v1' }
  const malformed: {
    input: InputName
    base: Partial<Record<InputName, string>>
    accepted: string
    values: string[]
  }[] = [
    {
      input: Inputs.repository,
      base: { 'image-tag': 'v1' },
      accepted: '2 to 256 lower-case letters, digits and . _ - separators',
      values: [
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
      ],
    },
    {
      input: Inputs.imageTag,
      base: { repository: 'team/api' },
      accepted: 'up to 300 letters, digits, _ . and -, not starting with . or -',
      values: ['v1 beta', 'v1\n::error::injected', '$(id)', 'release/v1', 'vé🚀'],
    },
    {
      input: Inputs.imageDigest,
      base: { repository: 'team/api' },
      accepted: 'sha256: followed by 64 lower-case hex digits',
      values: [`sha256:${'A'.repeat(64)}`, `sha512:${'a'.repeat(64)}`, `${DIGEST}; echo pwned`],
    },
    {
      input: Inputs.image,
      base: {},
      accepted: 'Expected ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY[:TAG][@sha256:DIGEST]',
      values: [
        '12345678901.dkr.ecr.us_east_1.amazonaws.com/team/api:v1',
        `${HOST}/team/api:v1\n::error::injected`,
        `${HOST}/${'x'.repeat(5000)}:v1`,
      ],
    },
    {
      input: Inputs.registryId,
      base: TAGGED,
      accepted: 'expected 12 digits',
      values: ['12345', '123456789012; DROP TABLE', '١٢٣٤٥٦٧٨٩٠١٢'],
    },
    {
      input: Inputs.region,
      base: TAGGED,
      accepted: 'is not an AWS region name, e.g. us-east-1',
      values: ['US-EAST-1', 'us-east-1; curl evil.example', 'üs-east-1'],
    },
    {
      input: Inputs.scanType,
      base: TAGGED,
      accepted: 'accepted values: auto, basic, enhanced',
      values: ['BASICS'],
    },
    {
      input: Inputs.onLimitExceeded,
      base: TAGGED,
      accepted: 'accepted values: fail, warn, ignore',
      values: ['yes'],
    },
    { input: Inputs.wait, base: TAGGED, accepted: 'accepted values: true, false', values: ['1'] },
    {
      input: Inputs.waitTimeout,
      base: TAGGED,
      accepted: 'expected a number of seconds greater than 0 and at most 21600',
      values: ['1e3', 'NaN'],
    },
    {
      input: Inputs.failOnSeverity,
      base: TAGGED,
      accepted: 'accepted values: none, informational, low, medium, high, critical',
      values: ['CRITICALS'],
    },
    {
      input: Inputs.onScanFailure,
      base: TAGGED,
      accepted: 'accepted values: fail, warn, ignore',
      values: ['abort'],
    },
  ]
  const malformedRows = malformed.flatMap(({ values, ...rule }) =>
    values.map((value) => {
      const label = value.length > 40 ? `${value.slice(0, 40)}… (${value.length})` : value
      return [`${rule.input} ${JSON.stringify(label)}`, value, rule] as const
    }),
  )
  it.each(malformedRows)(
    'rejects %s, naming the input and what it accepts, on one line',
    (_, value, { input, base, accepted }) => {
      const error = inputErrorOf({ ...base, [input]: value })
      expect(error.input).toBe(input)
      expect(error.message).toContain(`'${input}'`)
      expect(error.message).toContain(accepted)
      expect(error.message).not.toMatch(/[\r\n]/)
    },
  )

  it('names the source of a malformed region', () => {
    const error = inputErrorOf({ repository: 'r1', 'image-tag': 't' }, { AWS_REGION: 'mars' })
    expect(error.input).toBe(Inputs.region)
    expect(error.message).toContain("'mars' (from AWS_REGION)")
  })

  it('fails without any region, naming the ways to give one', () => {
    const error = inputErrorOf({ repository: 'r1', 'image-tag': 't' }, {})
    expect(error.input).toBe(Inputs.region)
    expect(error.message).toContain('AWS_REGION')
  })
})

describe('shown', () => {
  it('makes control characters visible and bounds the length', () => {
    expect(shown('a\nb\u0000')).toBe('a\\u000ab\\u0000')
    expect(shown('x'.repeat(1000))).toHaveLength(78)
  })
})

describe('getSettings: findings inputs', () => {
  const base = { repository: 'team/api', 'image-tag': 'v1' }
  const env = { ...ENV, GITHUB_WORKSPACE: '/work/repo' }
  const files: Record<string, string> = {
    '/work/repo/.github/ecr-ignore.yml': '- id: CVE-2024-2\n  reason: not reachable\n',
    '/work/repo/bad-ignore.yml': '- id: CVE-2024-0001\n  reason: r\n  expires: soon\n',
  }
  const readFile = (path: string): string => {
    const text = files[path]
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`)
    return text
  }
  const read = (inputs: Partial<Record<InputName, string>>) =>
    getSettings((name) => ({ ...base, ...inputs })[name] ?? '', env, readFile)
  const readError = (inputs: Partial<Record<InputName, string>>): InputError => {
    try {
      read(inputs)
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      return error as InputError
    }
    throw new Error('expected an InputError')
  }

  it('combines ignore and ignore-file (read relative to the workspace) into one rule list', () => {
    const settings = read({ ignore: 'CVE-2024-1', 'ignore-file': '.github/ecr-ignore.yml' })
    expect(settings.facts.ignore.map((rule) => [rule.id, rule.source])).toEqual([
      ['CVE-2024-1', "input 'ignore'"],
      ['CVE-2024-2', '.github/ecr-ignore.yml entry 1'],
    ])
  })

  it('fails on an ignore-file it cannot read, naming the file', () => {
    const error = readError({ 'ignore-file': 'missing.yml' })
    expect(error.input).toBe('ignore-file')
    expect(error.message).toContain("'missing.yml', which cannot be read")
  })

  it('fails on an ignore-file entry it cannot use, naming the file, the entry and the format', () => {
    const error = readError({ 'ignore-file': 'bad-ignore.yml' })
    expect(error.input).toBe('ignore-file')
    expect(error.message).toContain(
      "Input 'ignore-file': bad-ignore.yml entry 1 (CVE-2024-0001): expires 'soon' is not a date YYYY-MM-DD",
    )
    expect(error.message).toContain('Each entry is { id, reason')
  })

  it('reads the booleans, the SARIF path (absolute, in the workspace) and the token', () => {
    const settings = read({
      'only-fixable': 'true',
      annotations: 'false',
      'comment-on-pr': 'TRUE',
      'sarif-file': 'reports/ecr.sarif',
      dockerfile: './docker//api.Dockerfile',
      'github-token': 'ghs_x',
    })
    expect(settings.facts.onlyFixable).toBe(true)
    expect(settings.report).toEqual({
      annotations: false,
      commentOnPr: true,
      sarifFile: '/work/repo/reports/ecr.sarif',
      dockerfile: 'docker/api.Dockerfile',
      githubToken: 'ghs_x',
    })
  })

  it.each(['/etc/Dockerfile', '../other/Dockerfile'])(
    'refuses a dockerfile outside the repository: %s',
    (dockerfile) => {
      expect(() => read({ dockerfile })).toThrow("Input 'dockerfile'")
    },
  )

  it('refuses a non-boolean only-fixable', () => {
    expect(() => read({ 'only-fixable': 'yes' })).toThrow(
      "Input 'only-fixable' is 'yes'; accepted values: true, false.",
    )
  })
})

describe('resolvedInputs: the settings in the debug log', () => {
  const files: Record<string, string> = {
    '/work/repo/ignore.yml': '- id: CVE-2024-2\n  package: zlib\n  reason: not reachable\n',
  }
  const settings = getSettings(
    (name) =>
      ({
        image: [
          '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1',
          '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@' + DIGEST,
        ].join('\n'),
        ignore: 'CVE-2024-1',
        'ignore-file': 'ignore.yml',
        'sarif-file': 'out/ecr.sarif',
        'github-token': 'ghs_secretvalue123',
        'fail-on-severity': 'HIGH',
      })[name as string] ?? '',
    { GITHUB_WORKSPACE: '/work/repo' },
    (path) => files[path] ?? '',
  )

  it('names every input, with defaults filled in and lists resolved', () => {
    const inputs = resolvedInputs(settings)
    expect(Object.keys(inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(inputs).toMatchObject({
      image: `123456789012/team/api:v1 (eu-west-1), 123456789012/team/web@${DIGEST} (eu-west-1)`,
      repository: 'team/api, team/web',
      'image-tag': 'v1',
      'image-digest': DIGEST,
      'registry-id': '123456789012',
      region: 'eu-west-1',
      'scan-type': 'auto',
      wait: 'true',
      'wait-timeout': '600 s',
      'fail-on-severity': 'HIGH',
      platforms: 'all',
      concurrency: '50',
      'requests-per-second': '5',
      ignore: 'CVE-2024-1',
      'ignore-file': 'CVE-2024-2 in zlib',
      'sarif-file': '/work/repo/out/ecr.sarif',
      dockerfile: '(default)',
    })
  })

  it('lists every input of a step, whole: defaults, lists, ignore rules and compare-to in words', () => {
    const file =
      '- id: CVE-2024-2\n  reason: r\n  expires: 2027-01-31\n' +
      '- id: CVE-2024-3\n  reason: r\n  package: zlib\n  expires: 2027-02-28\n'
    const byDigest = getSettings(
      (name) =>
        ({
          repository: 'team/api',
          'image-digest': DIGEST,
          'compare-to': 'production',
          platforms: 'linux/amd64\nlinux/arm64',
          ignore: 'CVE-2024-1',
          'ignore-file': 'ignore.yml',
        })[name as string] ?? '',
      { AWS_REGION: 'us-east-1', GITHUB_WORKSPACE: '/work/repo' },
      () => file,
    )
    const defaults = {
      'registry-id': "(the caller's own)",
      region: 'us-east-1',
      'scan-type': 'auto',
      'on-limit-exceeded': 'warn',
      wait: 'true',
      'wait-timeout': '600 s',
      'fail-on-severity': 'none',
      'on-scan-failure': 'fail',
      concurrency: '50',
      'requests-per-second': '5',
      'only-fixable': 'false',
      'sarif-file': '(none)',
      dockerfile: '(default)',
      annotations: 'true',
      'comment-on-pr': 'false',
      'github-token': '(not set)',
      'fail-on-kev': 'false',
      'fail-on-epss': 'none',
      'exploit-sources': 'kev, epss',
      'kev-url':
        'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
      'epss-url': 'https://api.first.org/data/v1/epss',
      vex: '(none)',
      'pulled-within': '(none)',
    }
    expect(resolvedInputs(byDigest)).toEqual({
      ...defaults,
      image: `team/api@${DIGEST} (us-east-1)`,
      repository: 'team/api',
      'image-tag': '(none)',
      'image-digest': DIGEST,
      platforms: 'linux/amd64, linux/arm64',
      ignore: 'CVE-2024-1',
      'ignore-file': 'CVE-2024-2 until 2027-01-31, CVE-2024-3 in zlib until 2027-02-28',
      'compare-to': "production in each image's repository",
      'only-new': 'false',
      'fail-on-exploitable': 'false',
    })
    const byTag = settingsOf({
      repository: 'team/api',
      'image-tag': 'v2',
      'compare-to': '210987654321.dkr.ecr.eu-west-1.amazonaws.com/base/api:prod',
      'only-new': 'true',
      'fail-on-exploitable': 'true',
    })
    expect(resolvedInputs(byTag)).toEqual({
      ...defaults,
      image: 'team/api:v2 (us-east-1)',
      repository: 'team/api',
      'image-tag': 'v2',
      'image-digest': '(none)',
      platforms: 'all',
      ignore: '(none)',
      'ignore-file': '(none)',
      'compare-to': '210987654321/base/api:prod (eu-west-1)',
      'only-new': 'true',
      'fail-on-exploitable': 'true',
    })
    const digestBaseline = settingsOf({
      repository: 'team/api',
      'image-tag': 'v2',
      'compare-to': DIGEST,
    })
    expect(resolvedInputs(digestBaseline)['compare-to']).toBe(
      `${DIGEST} in each image's repository`,
    )
  })

  it('shows whether github-token is set, never its value', () => {
    const lines = settingsDebugLines(settings)
    expect(lines[0]).toBe('Resolved inputs:')
    expect(lines).toContain('  github-token: (set, not shown)')
    expect(lines.join('\n')).not.toContain('ghs_secretvalue123')
    expect(
      resolvedInputs({ ...settings, report: { ...settings.report, githubToken: '' } })[
        'github-token'
      ],
    ).toBe('(not set)')
    expect(resolvedInputs(settings)['compare-to']).toBe('(none)')
  })

  it('keeps each value on its line', () => {
    const lines = settingsDebugLines({
      ...settings,
      report: { ...settings.report, sarifFile: '/tmp/a\n::error::b' },
    })
    expect(lines).toContain('  sarif-file: /tmp/a ::error::b')
    expect(lines).toHaveLength(Object.keys(Inputs).length + 1)
  })
})

describe('compare-to, only-new and fail-on-exploitable', () => {
  const one = { repository: 'team/api', 'image-tag': 'v2' }

  it('takes a tag or a digest in each image’s own repository', () => {
    expect(settingsOf({ ...one, 'compare-to': 'production' }).scan.compareTo).toEqual({
      kind: 'same-repository',
      imageTag: 'production',
    })
    expect(
      settingsOf({ ...one, 'image-tag': 'v2\nv3', 'compare-to': DIGEST }).scan.compareTo,
    ).toEqual({
      kind: 'same-repository',
      imageDigest: DIGEST,
    })
  })

  it('takes a full image URI, with its registry and region, for one image', () => {
    const uri = `210987654321.dkr.ecr.eu-west-1.amazonaws.com/base/api:prod`
    expect(settingsOf({ ...one, 'compare-to': uri }).scan.compareTo).toEqual({
      kind: 'image',
      target: { registryId: '210987654321', repositoryName: 'base/api', imageTag: 'prod' },
      region: 'eu-west-1',
    })
    const error = inputErrorOf({ ...one, 'image-tag': 'v2\nv3', 'compare-to': uri })
    expect(error.input).toBe('compare-to')
    expect(error.message).toContain('this step scans 2 images: a URI names one baseline')
  })

  it.each([
    [{ 'compare-to': 'not a tag!' }, 'compare-to', 'neither a tag, a digest'],
    [{ 'only-new': 'true' }, 'only-new', "'compare-to' is not set"],
    [{ 'compare-to': 'production', wait: 'false' }, 'compare-to', "'wait' is false"],
    [{ 'fail-on-exploitable': 'true', wait: 'false' }, 'fail-on-exploitable', "'wait' is false"],
    [{ 'fail-on-exploitable': 'sometimes' }, 'fail-on-exploitable', 'sometimes'],
  ])('rejects %j before any AWS call', (inputs, input, words) => {
    const error = inputErrorOf({ ...one, ...inputs })
    expect(error.input).toBe(input)
    expect(error.message).toContain(words)
  })

  it('defaults to no comparison and no exploit gate', () => {
    expect(settingsOf(one)).toMatchObject({
      facts: { onlyNew: false },
      verdict: { onlyNew: false, failOnExploitable: false },
    })
    expect(settingsOf(one).scan.compareTo).toBeUndefined()
  })
})
