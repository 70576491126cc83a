// The gate a later job uses, `needs.scan.outputs.verdict == 'passed'`, on what the bundle really
// outputs, run as the runner runs it against the emulator: a misspelled output name, a failed
// scan, no threshold, and a clean image under fail-on-severity: high. Only the last deploys.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { realJson } from '../__fixtures__/realdata.js'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { basicFinding, emulatorEnv, expectSettled, mapLimit } from './helpers/reliability.js'
import { runAction, type ActionRun } from './helpers/run-action.js'

/** ECR's description of a basic scan of Alpine 3.21 (__fixtures__/realdata/SOURCES.md, errors). */
const ALPINE_3_21 = realJson<{ scan_status_descriptions_seen: Record<string, string> }>(
  'other/errors-and-status-descriptions.json',
).scan_status_descriptions_seen.basic_clair_console_alpine_3_21

interface Case {
  name: string
  inputs: Record<string, string>
  /** The step output the workflow maps to the job output `verdict`, as written there. */
  reads: string
  exitCode: number
  /** The step's own verdict output; undefined when unset. */
  verdict?: string
}

const CASES: Case[] = [
  {
    name: '(a) the workflow reads a misspelled output name',
    inputs: { 'image-tag': 'clean', 'fail-on-severity': 'high' },
    reads: 'verdit',
    exitCode: 0,
    verdict: 'passed',
  },
  {
    name: '(b) the scan failed',
    inputs: { 'image-tag': 'alpine', 'fail-on-severity': 'high' },
    reads: 'verdict',
    exitCode: 1,
    verdict: 'failed',
  },
  {
    name: '(b) the scan failed, accepted with on-scan-failure: warn',
    inputs: { 'image-tag': 'alpine', 'fail-on-severity': 'high', 'on-scan-failure': 'warn' },
    reads: 'verdict',
    exitCode: 0,
    verdict: 'incomplete',
  },
  {
    name: '(c) there is no threshold, on an image with a CRITICAL finding',
    inputs: { 'image-tag': 'critical' },
    reads: 'verdict',
    exitCode: 0,
  },
  {
    name: '(d) a clean image with fail-on-severity: high',
    inputs: { 'image-tag': 'clean', 'fail-on-severity': 'high' },
    reads: 'verdict',
    exitCode: 0,
    verdict: 'passed',
  },
]

/**
 * `${{ steps.scan.outputs.NAME }}` as GitHub evaluates it for a job output: the step's output,
 * or '' when the step did not set one by that name (a typo included).
 */
const jobOutput = (run: ActionRun, name: string): string => run.outputs[name] ?? ''

/** The deploy job's condition, `needs.scan.outputs.verdict == 'passed'`. */
const deploys = (run: ActionRun, testCase: Case): boolean =>
  jobOutput(run, testCase.reads) === 'passed'

let emulator: Emulator
const runs: ActionRun[] = []

beforeAll(async () => {
  emulator = await startEmulator()
  const put = (tag: string, scanProfile: Parameters<Emulator['putImage']>[0]['scanProfile']) =>
    emulator.putImage({ repositoryName: 'team/api', tag, scanProfile })
  put('clean', { durationMs: 0, outcome: 'COMPLETE', findings: [] })
  put('critical', {
    durationMs: 0,
    outcome: 'COMPLETE',
    findings: [basicFinding('CVE-2026-0001', 'CRITICAL', 'openssl')],
  })
  put('alpine', { durationMs: 0, outcome: 'FAILED', description: ALPINE_3_21 })
  runs.push(
    ...(await mapLimit(CASES, 3, (testCase) =>
      runAction({ repository: 'team/api', ...testCase.inputs }, { env: emulatorEnv(emulator) }),
    )),
  )
}, 60_000)

afterAll(() => emulator.close())

describe("a later job's gate: verdict == 'passed'", () => {
  it.each(CASES.map((testCase, i) => [testCase.name, i] as const))(
    '%s: the step says what it knows',
    (_name, i) => {
      const testCase = CASES[i] as Case
      const run = runs[i] as ActionRun
      expectSettled(run)
      expect(run.exitCode).toBe(testCase.exitCode)
      expect(run.outputs.verdict).toBe(testCase.verdict)
    },
  )

  it('deploys only the clean image checked against a threshold', () => {
    const deployed = CASES.filter((testCase, i) => deploys(runs[i] as ActionRun, testCase))
    expect(deployed.map((testCase) => testCase.name)).toEqual([
      '(d) a clean image with fail-on-severity: high',
    ])
  })

  it('no longer passes the old gates by accident either', () => {
    const critical = runs[CASES.findIndex((c) => c.inputs['image-tag'] === 'critical')] as ActionRun
    // threshold-exceeded == 'false' deployed a CRITICAL image when no threshold was set.
    expect(critical.outputs).not.toHaveProperty('threshold-exceeded')
    expect(critical.outputs.critical).toBe('1')
    const accepted = runs[2] as ActionRun
    expect(accepted.outputs).not.toHaveProperty('threshold-exceeded')
    expect(accepted.outputs).not.toHaveProperty('critical')
  })

  it('names the operating system of the failed scan and the way out through enhanced scanning', () => {
    const failed = runs[1] as ActionRun
    expect(failed.commands('error')).toEqual([
      expect.stringMatching(
        /^::error::The scan of team\/api:alpine ended FAILED: .*Basic scanning does not support alpine v3\.21\. Enhanced scanning \(Amazon Inspector\) covers more operating systems, and language packages too: .*, or set on-scan-failure: warn to accept that\.$/,
      ),
    ])
    // With warn already chosen, the warning does not advise it again.
    const warned = (runs[2] as ActionRun).commands('warning').join('\n')
    expect(warned).toContain('Basic scanning does not support alpine v3.21')
    expect(warned).not.toContain('set on-scan-failure')
  })
})
