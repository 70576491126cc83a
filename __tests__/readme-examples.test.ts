// The examples of README.md and docs/*.md are what users paste into their workflows: every YAML
// and JSON block must parse, every input given to this action must exist in action.yml (and pass
// its validation), every `steps.X.outputs.Y` / `needs.X.outputs.Y` must name an output that really
// exists, and every example pins this action the same way, from the repository package.json names.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { Lexer, walkTokens, type Tokens } from 'marked'
import { parseDocument } from 'yaml'
import { parseIgnoreFile } from '../src/inputs/ignore-rules.js'
import type { InputName } from '../src/kernel/names.js'
import { getSettings } from '../src/inputs/settings.js'
import {
  codeBlocks,
  documentationPages,
  repository,
  thisActionPattern,
  type Page,
} from './helpers/doc-pages.js'

interface ActionYml {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}
interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  outputs?: Record<string, string>
  steps?: Step[]
}

const REPOSITORY = repository()
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version
const THIS_ACTION = thisActionPattern()
/** The pinned form every example shows, as written (YAML drops the comment). */
const PINNED_USES = new RegExp(
  `^\\s*(?:- )?uses: ${REPOSITORY.owner}/${REPOSITORY.name}@(?:<40-hex-sha>|[0-9a-f]{40}) # v${VERSION.replace(/\./g, '\\.')}$`,
)
/** The outputs of the other actions the examples read, from their action.yml files. */
const OTHER_OUTPUTS: Record<string, string[]> = {
  'docker/build-push-action': ['imageid', 'digest', 'metadata'],
  'aws-actions/amazon-ecr-login': ['registry'],
  'aws-actions/configure-aws-credentials': ['aws-account-id', 'authenticated-arn'],
}
/** `${{ … }}` expressions in this action's inputs, replaced by a value of the right shape. */
const EXPRESSION_VALUES: Record<string, string> = {
  digest: `sha256:${'a'.repeat(64)}`,
  sha: '0123456789abcdef0123456789abcdef01234567',
  service: 'api',
  number: '1',
}
const IGNORE_FILE_HEADER = /^# (\.github\/[\w.-]+\.ya?ml):/

// `steps.scan.outputs.critical`, `needs.build.outputs['threshold-exceeded']`
const REFERENCE = /\b(steps|needs)\.([\w-]+)\.outputs(?:\.([\w-]+)|\[['"]([\w-]+)['"]\])/g

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn)
  return []
}

function referencesIn(value: unknown): { kind: string; owner: string; name: string }[] {
  return stringsIn(value).flatMap((text) =>
    [...text.matchAll(REFERENCE)].map((match) => ({
      kind: match[1] as string,
      owner: match[2] as string,
      name: (match[3] ?? match[4]) as string,
    })),
  )
}

const isStepList = (value: unknown): value is Step[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((item) => item && typeof item === 'object' && ('uses' in item || 'run' in item))

/** What is wrong with one parsed YAML example (empty when nothing is). */
function checkExample(example: unknown, action: ActionYml, label: string): string[] {
  const problems: string[] = []
  const jobs =
    example && typeof example === 'object' && 'jobs' in example
      ? ((example as { jobs: Record<string, Job> }).jobs ?? {})
      : undefined

  const checkStepReference = (steps: Step[], owner: string, name: string, where: string) => {
    const step = steps.find((candidate) => candidate.id === owner)
    if (!step) {
      problems.push(`${where}: steps.${owner} is not a step with that id`)
      return
    }
    const uses = step.uses?.replace(/@.*$/, '')
    if (step.uses && THIS_ACTION.test(step.uses)) {
      if (!(name in action.outputs)) {
        problems.push(`${where}: steps.${owner}.outputs.${name} is not an output of action.yml`)
      }
    } else if (uses && uses in OTHER_OUTPUTS) {
      if (!OTHER_OUTPUTS[uses]?.includes(name)) {
        problems.push(`${where}: ${uses} has no output '${name}'`)
      }
    } else if (step.run !== undefined) {
      if (!step.run.includes(`${name}=`) || !step.run.includes('GITHUB_OUTPUT')) {
        problems.push(`${where}: the run step '${owner}' never writes ${name} to GITHUB_OUTPUT`)
      }
    } else {
      problems.push(`${where}: the outputs of ${step.uses ?? '?'} are not known to this test`)
    }
  }

  const checkSteps = (steps: Step[], where: string) => {
    for (const step of steps) {
      if (!step.uses || !THIS_ACTION.test(step.uses)) continue
      for (const input of Object.keys(step.with ?? {})) {
        if (!(input in action.inputs)) {
          problems.push(`${where}: '${input}' is not an input of action.yml`)
        }
      }
    }
  }

  if (jobs) {
    for (const [jobName, job] of Object.entries(jobs)) {
      const where = `${label}, job ${jobName}`
      const steps = job.steps ?? []
      const needs = [job.needs ?? []].flat()
      checkSteps(steps, where)
      for (const need of needs) {
        if (!(need in jobs)) problems.push(`${where}: needs '${need}', which is not a job here`)
      }
      for (const { kind, owner, name } of referencesIn(job)) {
        if (kind === 'steps') {
          checkStepReference(steps, owner, name, where)
        } else if (!needs.includes(owner)) {
          problems.push(`${where}: needs.${owner}.outputs.${name} without needs: ${owner}`)
        } else if (!(name in (jobs[owner]?.outputs ?? {}))) {
          problems.push(`${where}: job ${owner} defines no output '${name}'`)
        }
      }
    }
    const outside = { ...(example as Record<string, unknown>), jobs: undefined }
    for (const { kind, owner, name } of referencesIn(outside)) {
      problems.push(`${label}: ${kind}.${owner}.outputs.${name} outside any job`)
    }
  } else if (isStepList(example)) {
    checkSteps(example, label)
    for (const { kind, owner, name } of referencesIn(example)) {
      if (kind === 'steps') checkStepReference(example, owner, name, label)
      else problems.push(`${label}: needs.${owner}.outputs.${name} in steps without a job`)
    }
  } else {
    for (const { kind, owner, name } of referencesIn(example)) {
      problems.push(`${label}: ${kind}.${owner}.outputs.${name} outside any job`)
    }
  }
  return problems
}

/** Every step of an example that runs this action. */
function actionSteps(example: unknown): Step[] {
  const steps = isStepList(example)
    ? example
    : Object.values((example as { jobs?: Record<string, Job> } | null)?.jobs ?? {}).flatMap(
        (job) => job.steps ?? [],
      )
  return steps.filter((step) => step.uses && THIS_ACTION.test(step.uses))
}

/** An input value with each `${{ … }}` replaced by a value of the shape it stands for. */
function concrete(value: unknown): string {
  return String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (expression, path: string) => {
    const value = EXPRESSION_VALUES[path.split('.').at(-1) ?? '']
    if (value === undefined) throw new Error(`no stand-in value for ${expression}`)
    return value
  })
}

const pages = documentationPages()
const readme = pages.find((page) => page.file === 'README.md')?.text ?? ''
const action = parseDocument(readFileSync('action.yml', 'utf8')).toJS() as ActionYml
const blocks = pages.flatMap(codeBlocks)
const yamlBlocks = blocks.filter((block) => block.lang === 'yaml' || block.lang === 'yml')
const jsonBlocks = blocks.filter((block) => block.lang === 'json')
const examples = yamlBlocks.map((block) => ({
  label: block.label,
  file: block.file,
  heading: block.heading,
  text: block.text,
  document: parseDocument(block.text),
}))
const ignoreFiles = new Map(
  yamlBlocks.flatMap((block) => {
    const name = IGNORE_FILE_HEADER.exec(block.text)?.[1]
    return name ? [[name, block.text] as const] : []
  }),
)

// Only the examples that run this action: the others would pass the checks without one.
const withThisAction = examples.filter(({ document }) => actionSteps(document.toJS()).length > 0)

describe('the documentation pages', () => {
  it('are the README and the reference pages it links to', () => {
    expect(pages.map((page) => page.file)).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/inputs-and-outputs.md',
        'docs/how-it-works.md',
        'docs/iam.md',
        'docs/releases.md',
        'docs/try-locally.md',
        'docs/watch.md',
      ]),
    )
  })
})

describe('README.md', () => {
  // A newcomer reads the first screen: what it does, a workflow, the policy, the output to gate on.
  it('has the workflow, the IAM policy and the gate in its first 80 lines, and at most 300 lines', () => {
    const lines = readme.split('\n')
    const first = lines.slice(0, 80).join('\n')
    expect(lines.length).toBeLessThanOrEqual(301) // 300 lines and the final newline
    expect(first).toMatch(/^```yaml$/m)
    expect(first).toMatch(new RegExp(`uses: ${REPOSITORY.owner}/${REPOSITORY.name}@`))
    expect(first).toMatch(/^```json$/m)
    expect(first).toMatch(/"ecr:StartImageScan"/)
    expect(first).toContain("if: needs.build.outputs.verdict == 'passed'")
    expect(first).toMatch(/^#+ What to gate on: `verdict`$/m)
  })
})

describe('examples in README.md and docs/', () => {
  // Each section that shows a feature shows this action with the input that turns it on.
  it.each([
    ['README.md', 'Quick start', 'fail-on-severity'],
    ['README.md', 'Gate a deploy', 'fail-on-severity'],
    ['README.md', 'Only what this push adds', 'only-new'],
    ['README.md', 'Multi-arch images', 'platforms'],
    ['README.md', 'Many images', 'image'],
    ['README.md', 'Code scanning (SARIF)', 'sarif-file'],
    ['README.md', 'Comment on the pull request', 'comment-on-pr'],
    ['README.md', 'Ignore accepted findings', 'ignore-file'],
    ['docs/how-it-works.md', 'Start the scan now, collect the results later', 'wait'],
    ['docs/watch.md', 'A nightly workflow', 'pulled-within'],
  ])('%s "%s" runs this action with %s', (file, heading, input) => {
    const inputs = examples
      .filter((example) => example.file === file && example.heading === heading)
      .flatMap(({ document }) => actionSteps(document.toJS()))
      .flatMap((step) => Object.keys(step.with ?? {}))
    expect(inputs).toContain(input)
  })

  it("pins this action by a release's commit SHA, with the version in a comment, in every example", () => {
    // Tags can be moved by whoever can push to the repository; a commit SHA cannot.
    const lines = yamlBlocks
      .flatMap((block) => block.text.split('\n'))
      .filter((line) => /^\s*(?:- )?uses: [^\s]*ecr-image-scan@/.test(line))
    expect(lines.length).toBeGreaterThanOrEqual(withThisAction.length)
    expect(lines.filter((line) => !PINNED_USES.test(line))).toEqual([])
  })

  it('says how to find the commit SHA of a release', () => {
    const releases = pages.find((page) => page.file === 'docs/releases.md')?.text
    expect(releases).toContain(`\`git ls-remote ${REPOSITORY.url} 'refs/tags/v${VERSION}^{}'\``)
  })

  it('has an IAM policy that starts scans and a read-only one', () => {
    // The read-only one is for scan on push: the registry scans, the role only reads.
    const actionsOf = (text: string): string[] =>
      (JSON.parse(text) as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
        (statement) => [statement.Action].flat(),
      )
    const policies = jsonBlocks.map((block) => actionsOf(block.text))
    expect(policies.some((actions) => actions.includes('ecr:StartImageScan'))).toBe(true)
    expect(
      policies.some(
        (actions) =>
          actions.includes('ecr:DescribeImageScanFindings') &&
          !actions.includes('ecr:StartImageScan'),
      ),
    ).toBe(true)
  })

  it.each(examples.map((example) => [example.label, example] as const))(
    '%s is valid YAML',
    (_label, { document }) => {
      expect(document.errors.map((error) => error.message)).toEqual([])
      expect(document.warnings.map((warning) => warning.message)).toEqual([])
    },
  )

  it.each(examples.map((example) => [example.label, example] as const))(
    '%s uses only inputs and outputs that exist',
    (exampleLabel, { document }) => {
      expect(checkExample(document.toJS(), action, exampleLabel)).toEqual([])
    },
  )

  it.each(withThisAction.map((example) => [example.label, example] as const))(
    "%s gives this action inputs that pass the action's own validation",
    (_label, { document }) => {
      expect.hasAssertions()
      for (const step of actionSteps(document.toJS())) {
        const inputs = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([name, value]) => [name, concrete(value)]),
        )
        const read = (name: InputName): string => inputs[name] ?? ''
        const readFile = (path: string): string => {
          const file = [...ignoreFiles].find(([name]) => path.endsWith(name))
          if (!file) throw new Error(`${path} is not shown in the documentation`)
          return file[1]
        }
        const env = { AWS_REGION: 'us-east-1', GITHUB_WORKSPACE: '/workspace' }
        expect(() => getSettings(read, env, readFile)).not.toThrow()
      }
    },
  )

  it('shows an ignore file that the action accepts', () => {
    expect([...ignoreFiles.keys()]).toEqual(['.github/ecr-ignore.yml'])
    for (const [name, text] of ignoreFiles) {
      expect(parseIgnoreFile(text, name).length).toBeGreaterThan(0)
    }
  })

  it.each(jsonBlocks.map((block) => [block.label, block.text] as const))(
    '%s is an IAM policy, valid JSON with statements that allow ECR or Inspector actions',
    (_label, text) => {
      const policy = JSON.parse(text) as {
        Version: string
        Statement: { Effect: string; Action: string | string[]; Resource: string }[]
      }
      expect(policy.Version).toBe('2012-10-17')
      expect(policy.Statement.length).toBeGreaterThan(0)
      for (const statement of policy.Statement) {
        expect(statement.Effect).toBe('Allow')
        for (const name of [statement.Action].flat()) {
          expect(name).toMatch(/^(?:ecr|inspector2):[A-Z]\w+$/)
        }
        expect(statement.Resource).toMatch(/^(?:\*|arn:aws:ecr:[\w-]+:\d{12}:repository\/.+)$/)
      }
    },
  )
})

/** GitHub's anchor for each heading: lower case, punctuation dropped, spaces to dashes, -1 … for repeats. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  walkTokens(new Lexer().lex(markdown), (token) => {
    if (token.type !== 'heading') return
    const base = (token as Tokens.Heading).text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-')
    let anchor = base
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`
    anchors.add(anchor)
  })
  return anchors
}

/**
 * The links of `pages` that lead nowhere: a relative link to a file that does not exist, or to
 * a `#section` its Markdown file lacks. Links to other sites are not followed.
 */
function brokenLinks(pages: Page[], exists: (file: string) => boolean): string[] {
  const texts = new Map(pages.map((page) => [page.file, page.text]))
  const textOf = (file: string): string | undefined =>
    texts.get(file) ?? (exists(file) ? readFileSync(file, 'utf8') : undefined)
  const broken: string[] = []
  for (const page of pages) {
    walkTokens(new Lexer().lex(page.text), (token) => {
      if (token.type !== 'link') return
      const href = (token as Tokens.Link).href
      if (/^[a-z]+:/i.test(href)) return
      const [path = '', anchor] = href.split('#')
      const file = path === '' ? page.file : normalize(join(dirname(page.file), path))
      if (!exists(file)) {
        broken.push(`${page.file}: ${href} (no file ${file})`)
      } else if (anchor !== undefined) {
        const text = file.endsWith('.md') ? textOf(file) : undefined
        if (text === undefined || !headingAnchors(text).has(anchor)) {
          broken.push(`${page.file}: ${href} (no section #${anchor} in ${file})`)
        }
      }
    })
  }
  return broken
}

describe('links in README.md and docs/', () => {
  it('lead to a file and a section that exist', () => {
    const linked = [...pages, ...['CONTRIBUTING.md', 'SECURITY.md'].map(pageOf)]
    expect(brokenLinks(linked, existsSync)).toEqual([])
  })

  it('include a link to every page in docs/ from the README', () => {
    const docs = pages.filter((page) => page.file.startsWith('docs/')).map((page) => page.file)
    const fromReadme = [...readme.matchAll(/\]\((docs\/[\w-]+\.md)(?:#[^)]*)?\)/g)].map(
      (match) => match[1],
    )
    expect(docs.filter((file) => !fromReadme.includes(file))).toEqual([])
  })

  it('report a missing file and a missing section', () => {
    const page = {
      file: 'docs/a.md',
      text: '# A\n\n## Here\n\n[ok](#here) [gone](#there) [up](../README.md#nowhere) [b](b.md) [web](https://example.com/#x)\n',
    }
    const exists = (file: string) => file === 'docs/a.md' || file === 'README.md'
    expect(brokenLinks([page, { file: 'README.md', text: '# R\n' }], exists)).toEqual([
      'docs/a.md: #there (no section #there in docs/a.md)',
      'docs/a.md: ../README.md#nowhere (no section #nowhere in README.md)',
      'docs/a.md: b.md (no file docs/b.md)',
    ])
  })
})

function pageOf(file: string): Page {
  return { file, text: readFileSync(file, 'utf8') }
}

// package.json is the one place the repository's address is written; the documents copy it.
describe('the repository address', () => {
  const texts = [...pages, ...['CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md'].map(pageOf)]
  /** Every spelling of this repository: a GitHub URL, a `uses:`, a `gh -R`. */
  const SPELLED = /(?:github\.com\/|uses: |-R )([^\s/`'"()]+)\/ecr-image-scan\b/g

  it('is the same wherever the documents spell it out', () => {
    const spelled = texts.flatMap((page) =>
      [...page.text.matchAll(SPELLED)].map((match) => `${page.file}: ${match[1]}`),
    )
    expect(spelled.length).toBeGreaterThan(withThisAction.length)
    expect(spelled.filter((entry) => !entry.endsWith(`: ${REPOSITORY.owner}`))).toEqual([])
  })

  it("is package.json's homepage and issues, and action.yml's author", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      homepage: string
      bugs: { url: string }
    }
    expect(pkg.homepage).toBe(`${REPOSITORY.url}#readme`)
    expect(pkg.bugs.url).toBe(`${REPOSITORY.url}/issues`)
    expect(REPOSITORY.name).toBe('ecr-image-scan')
    expect(
      (parseDocument(readFileSync('action.yml', 'utf8')).toJS() as { author: string }).author,
    ).toBe(REPOSITORY.owner)
  })
})

// The checks above are only worth something if they catch a mistake: feed them some.
describe('checkExample', () => {
  const parse = (text: string): unknown => parseDocument(text).toJS()

  it('reports an input that action.yml does not declare', () => {
    const example = parse(`
- id: scan
  uses: ecr-image-scan/ecr-image-scan@<40-hex-sha>
  with:
    repository: team/api
    fail-on-severty: high
`)
    expect(checkExample(example, action, 'x')).toEqual([
      "x: 'fail-on-severty' is not an input of action.yml",
    ])
  })

  it('reports a step output that action.yml does not declare', () => {
    const example = parse(`
jobs:
  build:
    steps:
      - id: scan
        uses: ./
        with:
          repository: team/api
      - run: echo "\${{ steps.scan.outputs.criticals }}"
`)
    expect(checkExample(example, action, 'x')).toEqual([
      'x, job build: steps.scan.outputs.criticals is not an output of action.yml',
    ])
  })

  it('reports a job output that the needed job does not define, or a job not needed', () => {
    const example = parse(`
jobs:
  build:
    outputs:
      critical: \${{ steps.scan.outputs.critical }}
    steps:
      - id: scan
        uses: ecr-image-scan/ecr-image-scan@<40-hex-sha>
        with: { repository: team/api }
  deploy:
    needs: build
    if: needs.build.outputs.high == '0' && needs.test.outputs.ok == 'true'
    steps:
      - run: echo "\${{ needs.build.outputs['critical'] }}"
`)
    expect(checkExample(example, action, 'x')).toEqual([
      "x, job deploy: job build defines no output 'high'",
      'x, job deploy: needs.test.outputs.ok without needs: test',
    ])
  })

  it("reports unknown steps and other actions' unknown outputs", () => {
    const example = parse(`
- id: push
  uses: docker/build-push-action@v6
- uses: ecr-image-scan/ecr-image-scan@<40-hex-sha>
  with:
    image-digest: \${{ steps.push.outputs.sha }}
    image-tag: \${{ steps.meta.outputs.version }}
`)
    expect(checkExample(example, action, 'x')).toEqual([
      "x: docker/build-push-action has no output 'sha'",
      'x: steps.meta is not a step with that id',
    ])
  })

  it('accepts what action.yml declares', () => {
    const example = parse(`
jobs:
  build:
    outputs:
      high: \${{ steps.scan.outputs.high }}
    steps:
      - id: scan
        uses: ecr-image-scan/ecr-image-scan@<40-hex-sha>
        with: { repository: team/api, fail-on-severity: high }
  deploy:
    needs: [build]
    if: needs.build.outputs.high == '0'
    steps:
      - run: echo ok
`)
    expect(checkExample(example, action, 'x')).toEqual([])
  })
})
