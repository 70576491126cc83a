// The repository's workflows and Dependabot configuration: valid YAML with the structure GitHub
// expects, every action pinned, and the self-test job run here, step by step, against moto.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { describeWithMoto, startMoto, type Moto } from './helpers/moto.js'
import { parseOutputFile, runAction } from './helpers/run-action.js'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
}
interface Job {
  'runs-on': string
  needs?: string | string[]
  permissions?: Record<string, string>
  env?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  name: string
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const WORKFLOWS = '.github/workflows'
const files = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file))
const workflows = Object.fromEntries(
  files.map((file) => [file, parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow]),
)
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}
const allSteps = Object.values(workflows).flatMap((workflow) =>
  Object.values(workflow.jobs).flatMap((job) => job.steps),
)
// owner/repo[/path]@ref, where ref is a full commit SHA or a version tag (v5, v4.2, v1.2.3).
const PINNED = /^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@(?:[0-9a-f]{40}|v\d+(?:\.\d+){0,2})$/

describe('.github/workflows', () => {
  it('has the CI, CodeQL, mutation testing and release workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'codeql.yml', 'mutation.yml', 'release.yml'])
  })

  it('mutation testing runs npm run mutate weekly, keeps its incremental file, uploads the report', () => {
    const workflow = workflows['mutation.yml'] as Workflow
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch'])
    const steps = workflow.jobs.mutate?.steps ?? []
    expect(steps.some((step) => step.run?.startsWith('npm run mutate'))).toBe(true)
    const cache = steps.find((step) => step.uses?.startsWith('actions/cache@'))
    expect(cache?.with?.path).toBe('reports/stryker-incremental.json')
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.path).toBe('reports/mutation/')
  })

  it.each(files)('%s has a name, triggers, read-only default permissions and jobs', (file) => {
    const workflow = workflows[file] as Workflow
    expect(workflow.name).toEqual(expect.any(String))
    expect(Object.keys(workflow.on).length).toBeGreaterThan(0)
    expect(workflow.permissions).toEqual({ contents: 'read' })
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0)
  })

  it.each(files)('%s: every job has runs-on and steps that each use or run one thing', (file) => {
    expect.hasAssertions()
    for (const job of Object.values((workflows[file] as Workflow).jobs)) {
      expect(job['runs-on']).toEqual(expect.any(String))
      expect(job.steps.length).toBeGreaterThan(0)
      for (const step of job.steps) {
        expect([step.uses, step.run].filter((x) => x !== undefined)).toHaveLength(1)
      }
    }
  })

  it('pins every action to a version tag or commit SHA, or uses this repository (./)', () => {
    const uses = allSteps.flatMap((step) => (step.uses ? [step.uses] : []))
    expect(uses).toContainEqual(expect.stringMatching(/^actions\/checkout@/))
    expect(uses.filter((ref) => ref !== './' && !PINNED.test(ref))).toEqual([])
  })

  it('CI runs .ci/run with moto installed, the same steps as a local CI run', () => {
    const steps = (workflows['ci.yml'] as Workflow).jobs.check?.steps ?? []
    const runs = steps.map((step) => step.run ?? '')
    expect(runs).toContain('bash .ci/run')
    expect(runs.some((run) => run.includes("pip install 'moto[server]'"))).toBe(true)
    const ciRun = readFileSync('.ci/run', 'utf8')
    for (const command of [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npm test',
      'npm run build',
    ]) {
      expect(ciRun).toContain(command)
    }
  })

  it('self-test runs the action itself (uses: ./) against moto started in the background', () => {
    const job = (workflows['ci.yml'] as Workflow).jobs['self-test'] as Job
    expect(job.env?.AWS_ENDPOINT_URL_ECR).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const moto = job.steps.find((step) => step.id === 'moto')?.run ?? ''
    expect(moto).toMatch(/pip install 'moto\[server\]'/)
    expect(moto).toMatch(/python -m moto\.server .*&$/m)
    expect(job.steps.filter((step) => step.uses === './').length).toBeGreaterThanOrEqual(1)
  })

  it('passes only inputs action.yml declares and reads only outputs it declares', () => {
    expect.hasAssertions()
    for (const step of allSteps.filter((s) => s.uses === './')) {
      for (const input of Object.keys(step.with ?? {}))
        expect(action.inputs).toHaveProperty([input])
    }
    const text = files.map((file) => readFileSync(join(WORKFLOWS, file), 'utf8')).join('\n')
    const ids = new Set(allSteps.filter((s) => s.uses === './').map((s) => s.id))
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (ids.has(id)) expect(action.outputs).toHaveProperty([output as string])
    }
  })

  it('CodeQL analyses JavaScript/TypeScript with permission to upload results', () => {
    const job = Object.values((workflows['codeql.yml'] as Workflow).jobs)[0] as Job
    expect(job.permissions).toMatchObject({ 'security-events': 'write' })
    const uses = job.steps.map((step) => step.uses)
    expect(uses).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^github\/codeql-action\/init@/),
        expect.stringMatching(/^github\/codeql-action\/analyze@/),
      ]),
    )
    const init = job.steps.find((step) => step.uses?.includes('/init@'))
    expect(init?.with?.languages).toBe('javascript-typescript')
  })

  it('release runs on a version input or a vX.Y.Z tag, checks first, then tags with the script', () => {
    const workflow = workflows['release.yml'] as Workflow
    const on = workflow.on as {
      workflow_dispatch: { inputs: { version: { required: boolean } } }
      push: { tags: string[] }
    }
    expect(on.workflow_dispatch.inputs.version.required).toBe(true)
    expect(on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
    expect(workflow.jobs.check?.steps.map((step) => step.run)).toContain('bash .ci/run')
    const release = workflow.jobs.release as Job
    expect(release.needs).toBe('check')
    expect(release.permissions).toEqual({ contents: 'write', attestations: 'read' })
    const runs = release.steps.map((step) => step.run ?? '').join('\n')
    expect(runs).toContain('scripts/release.sh "${VERSION#v}" --push')
  })

  it('release publishes an immutable release: draft, assets, publish, check, then the major tag', () => {
    const release = (workflows['release.yml'] as Workflow).jobs.release as Job
    const runs = release.steps.map((step) => step.run ?? '')
    const at = (pattern: RegExp): number => {
      const index = runs.findIndex((run) => pattern.test(run))
      expect({ pattern: String(pattern), found: index >= 0 }).toEqual({
        pattern: String(pattern),
        found: true,
      })
      return index
    }
    const tag = at(/scripts\/release\.sh "\$\{VERSION#v\}" --push/)
    // Created as a draft on the tag just pushed, with the bundle (index.js and its chunks)
    // attached while it can change.
    const draft = at(/gh release create "\$tag" --draft --verify-tag/)
    expect(runs[draft]).toMatch(/action\.yml dist\/\*\.js dist\/index\.js\.map dist\/licenses\.txt/)
    // Published in a later step, and only while the repository setting is not known to be off.
    const publish = at(/gh release edit "\$tag" --draft=false/)
    expect(runs[publish]).toContain('repos/$GITHUB_REPOSITORY/immutable-releases')
    expect(runs[publish]).toMatch(/releases\/tags\/\$tag" --jq \.immutable\)/)
    const verify = at(/gh release verify "\$tag"/)
    expect(runs[verify]).toContain(
      'for bundle in dist/*.js; do gh release verify-asset "$tag" "$bundle"; done',
    )
    const major = at(/scripts\/release\.sh --major "\$\{VERSION#v\}" --push/)
    expect([tag, draft, publish, verify, major]).toEqual(
      [tag, draft, publish, verify, major].toSorted((a, b) => a - b),
    )
    expect(new Set([tag, draft, publish, verify, major]).size).toBe(5)
    expect(major).toBe(runs.length - 1)
    // The notes start with the line that pins the release by its commit.
    expect(runs[draft]).toContain('scripts/release.sh --notes "${VERSION#v}" "$GITHUB_REPOSITORY"')
  })

  it('release gives the GitHub token only to the steps that call gh, not to npm ci', () => {
    const release = (workflows['release.yml'] as Workflow).jobs.release as Job
    expect(release.env ?? {}).not.toHaveProperty('GH_TOKEN')
    for (const step of release.steps) {
      const callsGh = /\bgh (?:release|api)\b/.test(step.run ?? '')
      expect({ step: step.name ?? step.run, token: Boolean(step.env?.GH_TOKEN) }).toEqual({
        step: step.name ?? step.run,
        token: callsGh,
      })
    }
  })

  it('release names its prerequisite, the repository setting for immutable releases', () => {
    const text = readFileSync(join(WORKFLOWS, 'release.yml'), 'utf8')
    expect(text).toMatch(/^# Prerequisite: "Enable release immutability"/m)
  })
})

describe('.github/dependabot.yml', () => {
  const config = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
    version: number
    updates: {
      'package-ecosystem': string
      directory: string
      schedule: { interval: string }
      ignore?: { 'dependency-name': string; versions?: string[] }[]
    }[]
  }

  it('updates npm packages and GitHub Actions on a schedule', () => {
    expect(config.version).toBe(2)
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ])
    for (const update of config.updates) {
      expect(update.directory).toBe('/')
      expect(update.schedule.interval).toEqual(expect.any(String))
    }
  })

  it('ignores TypeScript 7 until the toolchain supports it', () => {
    const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm')
    const typescript = npm?.ignore?.find((rule) => rule['dependency-name'] === 'typescript')
    expect(typescript?.versions).toEqual(['>= 7'])
  })
})

// What the runner would do with the self-test job, minus installing things: run each `run:`
// step with bash and each `uses: ./` step with the committed bundle, passing step outputs on.
describeWithMoto('the self-test job, run here against moto', () => {
  let moto: Moto

  beforeAll(async () => {
    moto = await startMoto()
  }, 30_000)

  afterAll(async () => {
    await moto?.stop()
  })

  it('passes every step, including its output checks', async () => {
    const job = (workflows['ci.yml'] as Workflow).jobs['self-test'] as Job
    const endpoint = job.env?.AWS_ENDPOINT_URL_ECR ?? ''
    const jobEnv = Object.fromEntries(
      Object.entries(job.env ?? {}).map(([name, value]) => [
        name,
        `${value}`.replace(endpoint, moto.url),
      ]),
    )
    const outputs: Record<string, Record<string, string>> = {}
    const expand = (value: unknown): string =>
      `${value}`.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
        const match = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression)
        if (!match) throw new Error(`cannot evaluate \${{ ${expression} }} here`)
        return outputs[match[1] as string]?.[match[2] as string] ?? ''
      })
    const expandAll = (values: Record<string, unknown> = {}) =>
      Object.fromEntries(Object.entries(values).map(([name, value]) => [name, expand(value)]))

    const ran: string[] = []
    for (const step of job.steps) {
      // Setting up the tools (checkout, setup-*, pip, npm ci, moto itself) is done already.
      if ((step.uses && step.uses !== './') || step.id === 'moto' || step.id === 'install') continue
      const label = step.id ?? step.name ?? '?'
      if (step.uses === './') {
        const run = await runAction(expandAll(step.with), { env: jobEnv })
        expect({ step: label, exitCode: run.exitCode, errors: run.commands('error') }).toEqual({
          step: label,
          exitCode: 0,
          errors: [],
        })
        if (step.id) outputs[step.id] = run.outputs
      } else {
        const outputFile = join(mkdtempSync(join(tmpdir(), 'self-test-')), 'output')
        writeFileSync(outputFile, '')
        const result = spawnSync('bash', ['-eo', 'pipefail', '-c', step.run ?? ''], {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            ...jobEnv,
            ...expandAll(step.env),
            GITHUB_OUTPUT: outputFile,
          },
        })
        expect({ step: label, status: result.status, stdout: result.stdout }).toEqual({
          step: label,
          status: 0,
          stdout: expect.any(String),
        })
        if (step.id) outputs[step.id] = parseSimpleOutputs(readFileSync(outputFile, 'utf8'))
        if (!step.id) expect(result.stdout).not.toContain('::error::')
      }
      ran.push(label)
    }
    expect(ran).toEqual(['seed', 'scan', 'rescan', 'Check the outputs'])
  }, 60_000)
})

/** `name=value` lines as `echo … >> $GITHUB_OUTPUT` writes them, and heredoc ones. */
function parseSimpleOutputs(text: string): Record<string, string> {
  const simple = Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[\w-]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
  return { ...simple, ...parseOutputFile(text) }
}
