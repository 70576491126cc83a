// The documentation's gate examples, run: each example's `with:` block goes through dist/ against
// the emulator as the runner runs it, then the example's `if:` is decided on the step's outputs as
// GitHub decides it. A deploy gated on `verdict == 'passed'` must run for a clean image, and be
// skipped for a vulnerable image, a failed scan, a step without a threshold and a misspelled
// output name.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import type { ScanProfile } from '../tools/emulator/index.ts'
import { codeBlocks, documentationPages, thisActionPattern } from './helpers/doc-pages.js'
import { withEmulator } from './helpers/emulator.js'
import { basicFinding, emulatorEnv } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import {
  evaluateCondition,
  evaluateOutputReference,
  type OutputLookup,
} from './helpers/workflow-expressions.js'

interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  'continue-on-error'?: boolean
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  if?: string
  outputs?: Record<string, string>
  steps?: Step[]
}
interface Workflow {
  jobs: Record<string, Job>
}

const THIS_ACTION = thisActionPattern()
const SHA = '0123456789abcdef0123456789abcdef01234567'
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
/** A gate: an `if:` that reads this action's verdict, through a job output or directly. */
const GATE = /\boutputs\.verdict\b/

const { emulator } = withEmulator()

/** The examples that gate something on the verdict, as workflows (a list of steps is one job). */
const gateExamples = documentationPages()
  .flatMap(codeBlocks)
  .filter((block) => block.lang === 'yaml' && /\bif:.*\boutputs\.verdict\b/.test(block.text))
  .map((block) => ({ label: block.label, text: block.text }))

function asWorkflow(text: string): Workflow {
  const document = parseDocument(text).toJS() as Workflow | Step[]
  return Array.isArray(document) ? { jobs: { job: { steps: document } } } : document
}

const needsOf = (job: Job): string[] => [job.needs ?? []].flat()
const isThisAction = (step: Step): boolean => !!step.uses && THIS_ACTION.test(step.uses)

/** The outputs the other actions' steps give, in the examples' workflows. */
function standInOutputs(step: Step, digest: string): Record<string, string> {
  const uses = step.uses?.replace(/@.*$/, '')
  if (uses === 'docker/build-push-action') return { digest }
  if (uses === 'aws-actions/amazon-ecr-login') return { registry: REGISTRY }
  return {}
}

/** The one step of the workflow that runs this action, and the steps before it. */
function actionStep(workflow: Workflow): { step: Step; before: Step[] } {
  const found = Object.values(workflow.jobs).flatMap((job) => {
    const steps = job.steps ?? []
    return steps.flatMap((step, index) =>
      isThisAction(step) ? [{ step, before: steps.slice(0, index) }] : [],
    )
  })
  if (found.length !== 1) throw new Error(`expected one step of this action, found ${found.length}`)
  return found[0] as { step: Step; before: Step[] }
}

/** The step's `with:`, its `${{ … }}` read from the steps before it and the pushed commit. */
function actionInputs(workflow: Workflow, digest: string): Record<string, string> {
  const { step, before } = actionStep(workflow)
  const earlier = new Map(before.map((other) => [other.id, standInOutputs(other, digest)]))
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (expression, path: string) => {
        if (path === 'github.sha') return SHA
        const [, id, output] = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path) ?? []
        const known = id === undefined ? undefined : earlier.get(id)?.[output as string]
        if (known === undefined) throw new Error(`no stand-in value for ${expression}`)
        return known
      }),
    ]),
  )
}

/**
 * What GitHub runs of `workflow` when this action's step ended as `run` did: for each job, and
 * each step, whether it ran. A job runs when every job it needs succeeded and its `if:` holds;
 * a step when every step before it succeeded (a failure under `continue-on-error` counts as
 * success) and its `if:` holds.
 */
function decide(workflow: Workflow, run: ActionRun, digest: string): Map<string, boolean> {
  const ran = new Map<string, boolean>()
  const results = new Map<string, 'success' | 'failure' | 'skipped'>()
  const jobOutputs = new Map<string, Record<string, string>>()
  const pending = Object.keys(workflow.jobs)
  while (pending.length > 0) {
    const name = pending.find((job) =>
      needsOf(workflow.jobs[job] as Job).every((need) => results.has(need)),
    )
    if (name === undefined) throw new Error(`the needs of ${pending.join(', ')} cannot be met`)
    pending.splice(pending.indexOf(name), 1)
    const job = workflow.jobs[name] as Job
    const needs = needsOf(job)
    const stepOutputs = new Map<string, Record<string, string>>()
    const lookup: OutputLookup = (context, owner, output) => {
      if (context === 'steps') return stepOutputs.get(owner)?.[output] ?? ''
      if (!needs.includes(owner)) throw new Error(`job ${name} reads needs.${owner} without needs`)
      return jobOutputs.get(owner)?.[output] ?? ''
    }
    const runs =
      needs.every((need) => results.get(need) === 'success') &&
      (job.if === undefined || evaluateCondition(job.if, lookup))
    ran.set(`job ${name}`, runs)
    if (!runs) {
      results.set(name, 'skipped')
      continue
    }
    let failed = false
    for (const [index, step] of (job.steps ?? []).entries()) {
      const stepRuns = !failed && (step.if === undefined || evaluateCondition(step.if, lookup))
      ran.set(`job ${name}, step ${step.id ?? index + 1}`, stepRuns)
      if (!stepRuns) continue
      if (isThisAction(step)) {
        if (step.id) stepOutputs.set(step.id, run.outputs)
        if (run.exitCode !== 0 && step['continue-on-error'] !== true) failed = true
      } else if (step.id) {
        stepOutputs.set(step.id, standInOutputs(step, digest))
      }
    }
    results.set(name, failed ? 'failure' : 'success')
    jobOutputs.set(
      name,
      Object.fromEntries(
        Object.entries(job.outputs ?? {}).map(([output, value]) => [
          output,
          evaluateOutputReference(value, lookup),
        ]),
      ),
    )
  }
  return ran
}

/** The jobs and steps whose `if:` reads the verdict, as `decide` names them. */
function gatesOf(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs).flatMap(([name, job]) => [
    ...(job.if !== undefined && GATE.test(job.if) ? [`job ${name}`] : []),
    ...(job.steps ?? []).flatMap((step, index) =>
      step.if !== undefined && GATE.test(step.if)
        ? [`job ${name}, step ${step.id ?? index + 1}`]
        : [],
    ),
  ])
}

const CLEAN: ScanProfile = { durationMs: 0, findings: [] }
const VULNERABLE: ScanProfile = {
  durationMs: 0,
  findings: [basicFinding('CVE-2026-1000', 'CRITICAL', 'openssl')],
}
const SCAN_FAILED: ScanProfile = { durationMs: 0, outcome: 'FAILED' }

/** Runs the example's step on a freshly pushed image with this scan: the step's run and what ran. */
async function runExample(
  text: string,
  scanProfile: ScanProfile,
  change: (inputs: Record<string, string>) => Record<string, string> = (inputs) => inputs,
): Promise<{ run: ActionRun; ran: Map<string, boolean>; gates: string[]; digest: string }> {
  const workflow = asWorkflow(text)
  const repositoryName = String(actionStep(workflow).step.with?.repository ?? '')
  if (!repositoryName) throw new Error('the example names no repository')
  const digest = emulator.putImage({ repositoryName, tag: SHA, scanProfile })
  const run = await runAction(change(actionInputs(workflow, digest)), {
    env: emulatorEnv(emulator),
  })
  return { run, ran: decide(workflow, run, digest), gates: gatesOf(workflow), digest }
}

const ranGates = (result: { ran: Map<string, boolean>; gates: string[] }): boolean[] =>
  result.gates.map((gate) => result.ran.get(gate) ?? false)

describe('the verdict output the examples gate on', () => {
  // Without it every gate below reads '' and skips: the tests would say so, this says why.
  it('is declared in action.yml', () => {
    const outputs = parseDocument(readFileSync('action.yml', 'utf8')).toJS().outputs as object
    expect(Object.keys(outputs)).toContain('verdict')
  })
})

describe('the gate examples', () => {
  it('include the Quick start and the Gate a deploy recipe of the README', () => {
    expect(gateExamples.map((example) => example.label)).toEqual(
      expect.arrayContaining([
        'README.md "Quick start" block 1',
        'README.md "Gate a deploy" block 1',
      ]),
    )
  })
})

describe.each(gateExamples.map((example) => [example.label, example.text] as const))(
  '%s',
  (_label, text) => {
    let clean: Awaited<ReturnType<typeof runExample>>

    beforeAll(async () => {
      emulator.reset()
      clean = await runExample(text, CLEAN)
    })

    it('deploys a clean image', () => {
      expect(clean.run.exitCode).toBe(0)
      expect(clean.run.outputs.verdict).toBe('passed')
      expect(clean.gates.length).toBeGreaterThan(0)
      expect(ranGates(clean)).toEqual(clean.gates.map(() => true))
    })

    it('skips the deploy of a vulnerable image', async () => {
      const result = await runExample(text, VULNERABLE)
      expect(result.run.outputs.verdict).toBe('failed')
      expect(result.run.outputs.critical).toBe('1')
      expect(ranGates(result)).toEqual(result.gates.map(() => false))
    })

    it('skips the deploy when the scan failed', async () => {
      const result = await runExample(text, SCAN_FAILED)
      expect(result.run.outputs['scan-status']).toBe('FAILED')
      expect(result.run.outputs.verdict).toBe('failed')
      expect(ranGates(result)).toEqual(result.gates.map(() => false))
    })

    it('skips the deploy of a clean image when no threshold was set', async () => {
      const result = await runExample(text, CLEAN, (inputs) =>
        Object.fromEntries(
          Object.entries(inputs).filter(
            ([name]) => name !== 'fail-on-severity' && name !== 'fail-on-exploitable',
          ),
        ),
      )
      expect(result.run.exitCode).toBe(0)
      expect(result.run.outputs.verdict ?? '').toBe('')
      expect(ranGates(result)).toEqual(result.gates.map(() => false))
    })

    it("skips the deploy of a clean image when the gate misspells the output's name", () => {
      const workflow = asWorkflow(text.replace(/(\bif:.*\boutputs\.)verdict\b/g, '$1verdikt'))
      const ran = decide(workflow, clean.run, clean.digest)
      expect(clean.gates.map((gate) => ran.get(gate))).toEqual(clean.gates.map(() => false))
    })

    it('skips the deploy of a clean image when a job output misspells it', () => {
      const misspelled = text.replace(
        /steps\.(\w+)\.outputs\.verdict\b/g,
        'steps.$1.outputs.verdikt',
      )
      const workflow = asWorkflow(misspelled)
      const ran = decide(workflow, clean.run, clean.digest)
      expect(clean.gates.map((gate) => ran.get(gate))).toEqual(clean.gates.map(() => false))
    })
  },
)

describe('the Gate a deploy recipe', () => {
  it('still deploys a vulnerable image to staging, as it says', async () => {
    const recipe = gateExamples.find(
      (example) => example.label === 'README.md "Gate a deploy" block 1',
    )
    const result = await runExample(recipe?.text ?? '', VULNERABLE)
    expect(result.run.exitCode).toBe(1)
    expect(result.ran.get('job deploy-staging')).toBe(true)
    expect(result.ran.get('job deploy-production')).toBe(false)
  })
})

// The simulation is only worth something if it reads expressions as GitHub does and refuses
// the rest.
describe('evaluateCondition', () => {
  const outputs: Record<string, string> = { verdict: 'passed', high: '0' }
  const lookup: OutputLookup = (_context, owner, name) =>
    owner === 'build' ? (outputs[name] ?? '') : ''

  it.each([
    ["needs.build.outputs.verdict == 'passed'", true],
    ["${{ needs.build.outputs.verdict == 'passed' }}", true],
    ["needs.build.outputs.verdict == 'PASSED'", true], // GitHub compares strings ignoring case
    ["needs.build.outputs.verdict != 'passed'", false],
    ["needs.build.outputs.verdikt == 'passed'", false],
    ["needs.test.outputs.verdict == 'passed'", false],
    ["needs.build.outputs.verdict == ''", false],
    ["needs.build.outputs.missing == ''", true],
    ["needs.build.outputs.verdict == 'passed' && needs.build.outputs.high == '1'", false],
    ["needs.build.outputs.high == '1' || needs.build.outputs.verdict == 'passed'", true],
    // && binds tighter than ||: true || (false && false)
    ["'a' == 'a' || 'a' == 'b' && 'a' == 'c'", true],
    ["steps.scan.outputs.verdict == 'it''s'", false],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateCondition(expression, lookup)).toBe(expected)
  })

  it.each([
    'always()',
    "success() && needs.build.outputs.verdict == 'passed'",
    "(needs.build.outputs.verdict == 'passed')",
    "!(needs.build.outputs.verdict == 'failed')",
    'needs.build.outputs.verdict',
    "needs.build.outputs['verdict'] == 'passed'",
    "needs.build.outputs.verdict == 'passed' &&",
    'needs.build.outputs.verdict == "passed"',
    "github.ref == 'refs/heads/main'",
    "needs.build.outputs.verdict == 'passed' 'x'",
  ])('refuses %s', (expression) => {
    expect(() => evaluateCondition(expression, lookup)).toThrow(/unsupported expression/)
  })
})

describe('evaluateOutputReference', () => {
  const lookup: OutputLookup = (context, owner, name) => `${context} ${owner} ${name}`

  it('reads one ${{ steps.X.outputs.Y }}', () => {
    expect(evaluateOutputReference('${{ steps.scan.outputs.verdict }}', lookup)).toBe(
      'steps scan verdict',
    )
  })

  it.each(['steps.scan.outputs.verdict', "${{ steps.scan.outputs.verdict || 'x' }}", 'plain'])(
    'refuses %s',
    (value) => {
      expect(() => evaluateOutputReference(value, lookup)).toThrow(/unsupported/)
    },
  )
})
