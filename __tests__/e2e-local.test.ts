// `npm run local` as a user runs it: from their own folder, against the emulator seeded from the
// example seeds (the documented command), against "AWS" with or without credentials, and with
// the inputs of a workflow's step. Each run is dist/index.js as the runner runs it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { checkSeed, readSeedFile } from '../tools/emulator/seed-file.ts'
import { parseArgs } from 'node:util'
import {
  EXAMPLE_SEED,
  OPTIONS,
  accountOf,
  inputsFromWorkflow,
  parseInputs,
  seededImages,
} from '../tools/local.ts'
import { FAKE_CREDENTIALS, root } from '../tools/runner.ts'
import { runTool, type ToolRun } from './helpers/run-tool.js'

const ENHANCED_SEED = join(root, 'tools/emulator/seed-enhanced.example.yml')

/** The user's folder: a repository with an ignore file, as a workflow's checkout has. */
let here: string

beforeAll(() => {
  here = mkdtempSync(join(tmpdir(), 'local-here-'))
  mkdirSync(join(here, '.github/workflows'), { recursive: true })
  writeFileSync(
    join(here, '.github/ecr-ignore.yml'),
    '- id: CVE-2024-3094\n  reason: the xz backdoor needs sshd, which this image does not run\n',
  )
})
afterAll(() => rmSync(here, { recursive: true, force: true }))

/** `npm run local -- ARGS` typed in `here`: npm runs it in the project, with INIT_CWD set. */
function local(args: string[], env: Record<string, string> = {}): Promise<ToolRun> {
  return runTool('tools/local.ts', args, { HOME: here, INIT_CWD: here, ...env })
}

function outputsIn(dir: string): Record<string, string> {
  return JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as Record<string, string>
}

/** The arguments of each `npm … run local -- ARGS` line in docs/try-locally.md's shell blocks. */
function documentedCommands(): string[][] {
  const page = readFileSync(join(root, 'docs/try-locally.md'), 'utf8')
  const blocks = [...page.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(([, block = '']) => block)
  return blocks.flatMap((block) =>
    [...block.matchAll(/^(?:\S+=\S+ )*npm (?:--prefix \S+ )?run local -- (.+)$/gm)].map(
      ([, args = '']) => args.split(' '),
    ),
  )
}

describe('docs/try-locally.md', () => {
  it('gives commands that npm run local takes, with seeds that are there', () => {
    const commands = documentedCommands()
    expect(commands.length).toBeGreaterThan(5)
    for (const args of commands) {
      const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true })
      expect({ args, parsed: parseInputs(positionals) }).toEqual({
        args,
        parsed: { inputs: expect.any(Object) },
      })
      // The example seeds (my-seed.yml is the reader's copy of one).
      if (values.seed?.startsWith('tools/')) {
        expect(readFileSync(join(root, values.seed), 'utf8')).toContain('images:')
      }
    }
  })

  it('runs its first command as it says: the vulnerable example image fails the step', async () => {
    const [first = []] = documentedCommands()
    expect(first).toContain('--emulator')
    const out = join(here, 'first-command')
    const run = await local([...first, '--out', out])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(outputsIn(out)).toMatchObject({
      critical: '1',
      high: '1',
      'threshold-exceeded': 'true',
    })
    expect(run.stdout).toContain(
      '✖ error: 2 findings at or above HIGH in demo/vulnerable:v1 (1 CRITICAL, 1 HIGH).',
    )
  }, 30_000)
})

describe('npm run local -- --emulator (the example seeds)', () => {
  it('runs from the user folder: relative paths resolve there, and the files it names are kept', async () => {
    const run = await local([
      '--emulator',
      '--out',
      'scan-output',
      'repository=demo/vulnerable',
      'image-tag=v1',
      'fail-on-severity=high',
      'ignore-file=.github/ecr-ignore.yml',
      'sarif-file=results.sarif',
    ])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('seeded from ')
    expect(run.stdout).toContain('demo/clean:v1, demo/vulnerable:v1')
    // The ignore file was read from the user's folder: the CRITICAL is ignored, a HIGH is left.
    const out = join(here, 'scan-output')
    const outputs = outputsIn(out)
    expect(outputs).toMatchObject({
      ignored: '1',
      critical: '0',
      high: '1',
      'threshold-exceeded': 'true',
    })
    expect(run.stdout).toContain(
      '✖ error: 1 finding at or above HIGH in demo/vulnerable:v1 (1 HIGH).',
    )
    // Every path it prints is a file that is there after the run.
    expect(outputs['sarif-file']).toBe(join(here, 'results.sarif'))
    expect(JSON.parse(readFileSync(join(here, 'results.sarif'), 'utf8'))).toMatchObject({
      version: '2.1.0',
    })
    const findingsFile = outputs['findings-file'] ?? ''
    expect(findingsFile.startsWith(join(out, 'runner-temp'))).toBe(true)
    expect(readFileSync(findingsFile, 'utf8')).toContain('CVE-2023-4863')
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /^## ❌ ECR image scan: <code>demo\/vulnerable:v1<\/code>/,
    )
    expect(readFileSync(join(out, 'summary.html'), 'utf8')).toContain(
      '<div class="markdown-alert markdown-alert-caution">',
    )
    expect(run.stdout).toMatch(/findings-file +scan-output\/runner-temp\/.+\/findings\.json\n/)
    expect(run.stdout).toMatch(/sarif-file +results\.sarif\n/)
    expect(run.stdout).toMatch(/job summary +scan-output\/summary\.md\n/)
    // Readable: the annotation's title decoded, the results output shortened.
    expect(run.stdout).toContain('⚠ warning: HIGH vulnerability in demo/vulnerable:v1\n')
    expect(run.stdout).not.toContain('%3A')
    expect(run.stdout).toMatch(/results +JSON list, 1 item, [\d,]+ characters: \[\{"image"/)
    expect(outputs.results).toContain('"image":"demo/vulnerable:v1"')
  }, 30_000)

  // What each image of the example seeds does, as the comments in the seed files say.
  it('scans each image of the example seeds as its comment says', async () => {
    const cases: [string[], number, Record<string, string>][] = [
      // By an image URI of another account: the emulator becomes that account.
      [
        ['image=210987654321.dkr.ecr.eu-west-1.amazonaws.com/demo/clean:v1'],
        0,
        { 'findings-total': '0', 'registry-id': '210987654321' },
      ],
      [
        ['repository=demo/scanned-today', 'image-tag=v1'],
        0,
        { 'limit-exceeded': 'true', 'scan-started': 'false', medium: '1' },
      ],
      [['repository=demo/scratch', 'image-tag=v1'], 1, { 'scan-status': 'FAILED' }],
      [['repository=demo/multi-arch', 'image-tag=v1'], 0, { 'findings-total': '2', high: '2' }],
      [
        [
          '--seed',
          ENHANCED_SEED,
          'repository=demo/app',
          'image-tag=v2',
          'compare-to=production',
          'only-new=true',
          'fail-on-severity=critical',
        ],
        1,
        { 'scan-type': 'ENHANCED', 'new-findings': '1', 'fixed-findings': '1', exploitable: '1' },
      ],
    ]
    const runs = await Promise.all(
      cases.map(async ([args], index) => {
        const out = join(here, `seed-case-${index}`)
        const emulator = args.includes('--seed') ? [] : ['--emulator']
        return { out, run: await local([...emulator, '--out', out, ...args]) }
      }),
    )
    runs.forEach(({ out, run }, index) => {
      const [args, code, outputs] = cases[index]!
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code, stderr: '' })
      expect(outputsIn(out)).toMatchObject(outputs)
    })
    expect(runs[3]?.run.stdout).toContain(
      'Image index with platforms linux/amd64, linux/arm64: scanning linux/amd64, linux/arm64.',
    )
  }, 60_000)

  it('refuses a seed with a misspelt field before it starts, naming the field', async () => {
    writeFileSync(join(here, 'bad-seed.yml'), 'images:\n  - repository: team/api\n    tag: v1\n')
    const run = await local(['--seed', 'bad-seed.yml', 'repository=team/api', 'image-tag=v1'])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(
      `the seed ${join(here, 'bad-seed.yml')} is not one the emulator takes: images[0] has 'repository', which is none of registryId, repositoryName,`,
    )
  })
})

describe('npm run local against Amazon ECR (here an emulator, through the environment)', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator()
    emulator.putImage({ repositoryName: 'team/api', tag: 'v1', scanProfile: { durationMs: 0 } })
  })
  afterAll(async () => emulator.close())

  const aws = {
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  }

  it("runs the bundle with the shell's credentials and settings", async () => {
    const out = join(here, 'aws-output')
    const run = await local(['--out', out, 'repository=team/api', 'image-tag=v1'], {
      ...aws,
      ...FAKE_CREDENTIALS,
      AWS_ENDPOINT_URL_ECR: emulator.url,
    })
    expect(run.code).toBe(0)
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /^## ✅ ECR image scan: <code>team\/api:v1<\/code>/,
    )
    expect(run.stdout).toContain('Scan started: IN_PROGRESS.')
    expect(run.stdout).toMatch(/scan-status +COMPLETE/)
    expect(run.stdout).not.toContain(FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY)
    expect(emulator.requests().map((request) => request.operation)).toContain('StartImageScan')
  }, 30_000)

  it("without credentials: a shell's advice in one error line, and no stack", async () => {
    // Nothing to sign with: the SDK gives up before any request (the endpoint is never reached).
    const env = { ...aws, AWS_ENDPOINT_URL_ECR: emulator.url }
    const run = await local(
      ['--out', join(here, 'none'), 'repository=team/api', 'image-tag=v1'],
      env,
    )
    expect(run.code).toBe(1)
    const errors = run.stdout.split('\n').filter((line) => line.includes('✖ error'))
    expect(errors).toEqual([
      '  ✖ error: No AWS credentials were found (Could not load credentials from any providers). Outside GitHub Actions the action takes them from this shell as the AWS CLI does: run aws sso login --profile NAME and set AWS_PROFILE=NAME, or run aws configure, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    ])
    expect(run.stdout).not.toContain('configure-aws-credentials')
    expect(run.stdout).not.toMatch(/debug:|^\s+at /m)
    expect(run.stdout).toContain('Run again with --debug for the debug log, stacks included.')

    const debug = await local(
      ['--debug', '--out', join(here, 'none'), 'repository=team/api', 'image-tag=v1'],
      env,
    )
    expect(debug.code).toBe(1)
    expect(debug.stdout).toContain('debug: Resolved inputs:')
    // The stack, nested under its debug line.
    expect(debug.stdout).toMatch(
      /debug: ActionError: No AWS credentials were found.*\n +at explainAwsError \(src\/ecr\/errors\.ts:/,
    )
    expect(debug.stdout).toMatch(/\n +Caused by: CredentialsProviderError/)
  }, 30_000)
})

describe("npm run local --workflow: a workflow step's with: block", () => {
  const workflow = `name: deploy
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - id: scan
        uses: acme/ecr-image-scan@0123456789abcdef0123456789abcdef01234567 # v1.0.0
        with:
          repository: demo/vulnerable
          image-tag: \${{ github.sha }}
          fail-on-severity: high
          wait-timeout: 300
          ignore-file: .github/ecr-ignore.yml
`

  it('takes the inputs as the runner passes them, and says where a YAML number changes', () => {
    const inputs = {
      repository: 'demo/vulnerable',
      'image-tag': 'v1',
      'fail-on-severity': 'high',
      'wait-timeout': '300',
      'ignore-file': '.github/ecr-ignore.yml',
    }
    expect(inputsFromWorkflow(workflow, 'deploy.yml', undefined, { 'image-tag': 'v1' })).toEqual({
      inputs,
      notes: [],
    })
    expect(inputsFromWorkflow(workflow, 'deploy.yml', 'scan', { 'image-tag': 'v1' })).toEqual({
      inputs,
      notes: [],
    })
    // As in setup-python's well-known `python-version: 3.10`, the runner reads a YAML number.
    const written = workflow
      .replace('${{ github.sha }}', '1.10')
      .replace('wait-timeout: 300', "wait: true\n          only-fixable: 'true'\n          ignore:")
    expect(inputsFromWorkflow(written, 'deploy.yml', undefined)).toEqual({
      inputs: {
        repository: 'demo/vulnerable',
        'image-tag': '1.1',
        'fail-on-severity': 'high',
        wait: 'true',
        'only-fixable': 'true',
        ignore: '',
        'ignore-file': '.github/ecr-ignore.yml',
      },
      notes: [
        "image-tag: 1.10 is a YAML number, which the runner passes as '1.1'; quote it ('1.10') to pass the text",
      ],
    })
  })

  it('asks for the value of an expression only a runner can evaluate', () => {
    expect(inputsFromWorkflow(workflow, 'deploy.yml', undefined)).toEqual({
      error:
        "jobs.build.steps[1].with in deploy.yml: 'image-tag' is '${{ github.sha }}', an expression only a runner can evaluate. Give its value: image-tag=VALUE",
    })
  })

  it('names the step to choose, or the input that is not one of action.yml', () => {
    const two = `${workflow}      - id: again\n        uses: acme/ecr-image-scan@v1\n`
    expect(inputsFromWorkflow(two, 'deploy.yml', undefined)).toEqual({
      error:
        '2 steps of deploy.yml use ecr-image-scan (jobs.build.steps[1] (id: scan), jobs.build.steps[2] (id: again)): choose one with --step ID',
    })
    expect(inputsFromWorkflow(workflow, 'deploy.yml', 'scna')).toEqual({
      error: "deploy.yml has no step with id 'scna' (its ids: scan)",
    })
    expect(inputsFromWorkflow('jobs: {}\n', 'ci.yml', undefined)).toEqual({
      error: 'no step of ci.yml uses ecr-image-scan: name the step with --step ID',
    })
    const typo = workflow.replace('fail-on-severity', 'fail-on-serverity')
    expect(inputsFromWorkflow(typo, 'deploy.yml', undefined, { 'image-tag': 'v1' })).toEqual({
      error:
        "jobs.build.steps[1].with in deploy.yml: 'fail-on-serverity' is not an input of action.yml",
    })
  })

  it('runs the step against the emulator from the user folder', async () => {
    writeFileSync(join(here, '.github/workflows/deploy.yml'), workflow)
    const args = ['--emulator', '--workflow', '.github/workflows/deploy.yml', 'image-tag=v1']
    const run = await local([...args, '--out', 'workflow-output'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(outputsIn(join(here, 'workflow-output'))).toMatchObject({ ignored: '1', high: '1' })
    expect(run.stdout).toMatch(/wait-timeout +300\n/)
  }, 30_000)
})

describe('the pieces of npm run local', () => {
  it('takes inputs of action.yml as NAME=VALUE and refuses others', () => {
    expect(parseInputs(['repository=team/api', 'image-tag=a=b'])).toEqual({
      inputs: { repository: 'team/api', 'image-tag': 'a=b' },
    })
    expect(parseInputs(['repo=team/api'])).toEqual({
      error: "'repo' is not an input of action.yml",
    })
    expect(parseInputs(['repository'])).toEqual({ error: "'repository' is not NAME=VALUE" })
  })

  it("makes the emulator the account that the inputs' registry-id or image URI names", () => {
    expect(accountOf({ 'registry-id': '111122223333' })).toBe('111122223333')
    expect(accountOf({ image: '210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1' })).toBe(
      '210987654321',
    )
    expect(
      accountOf({
        images: 'team/web:v1\n444455556666.dkr-ecr.eu-west-1.on.aws/team/api:v1',
      }),
    ).toBe('444455556666')
    expect(accountOf({ repository: 'team/api', 'registry-id': '12' })).toBeUndefined()
  })

  it('says which images the emulator holds', async () => {
    const emulator = await startEmulator()
    try {
      const held = emulator.seed(await readSeedFile(EXAMPLE_SEED))
      expect(seededImages(held)).toEqual([
        'demo/clean:v1',
        'demo/vulnerable:v1',
        'demo/scanned-today:v1',
        'demo/scratch:v1',
        'demo/multi-arch:v1',
      ])
    } finally {
      await emulator.close()
    }
  })
})

describe('seed files', () => {
  it('takes both example seeds', async () => {
    for (const file of [EXAMPLE_SEED, ENHANCED_SEED]) {
      expect((await readSeedFile(file)).images?.length).toBeGreaterThan(0)
    }
  })

  it.each<[string, unknown, string]>([
    ['a misspelt top-level field', { image: [] }, "the seed has 'image', which is none of"],
    [
      'a misspelt image field',
      { images: [{ repositoryName: 'a', tags: 'v1' }] },
      "images[0] has 'tags', which is none of",
    ],
    [
      'a tag YAML read as a number',
      { images: [{ repositoryName: 'a', tag: 1 }] },
      "images[0].tag is 1, not a string: quote it ('1')",
    ],
    [
      'an image without a repository',
      { imageIndexes: [{ tag: 'v1', platforms: [] }] },
      'imageIndexes[0].repositoryName must be a string',
    ],
    [
      'a finding attribute YAML read as a number',
      {
        images: [
          {
            repositoryName: 'a',
            scanProfile: {
              findings: [
                { name: 'CVE-1', severity: 'LOW', attributes: [{ key: 'k', value: 5.9 }] },
              ],
            },
          },
        ],
      },
      "images[0].scanProfile.findings[0].attributes[0].value is 5.9, not a string: quote it ('5.9')",
    ],
    [
      'a late enhanced finding with a numeric version',
      {
        repositories: [
          {
            repositoryName: 'a',
            scanProfile: {
              lateFindings: [
                {
                  afterMs: 1,
                  enhancedFindings: [
                    {
                      severity: 'HIGH',
                      packageVulnerabilityDetails: { vulnerablePackages: [{ version: 1.2 }] },
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
      'repositories[0].scanProfile.lateFindings[0].enhancedFindings[0].packageVulnerabilityDetails.vulnerablePackages[0].version is 1.2',
    ],
    [
      'a misspelt profile field',
      { defaultScanProfile: { duration: 5 } },
      "defaultScanProfile has 'duration', which is none of durationMs,",
    ],
  ])('names %s', (_what, seed, message) => {
    expect(() => checkSeed(seed)).toThrow(message)
  })
})
