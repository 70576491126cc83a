// stepReport directly, case by case: from the images' reports and the settings to every line,
// output, summary and comment the step emits, with no runner in between.
import { describe, expect, it } from '@jest/globals'
import {
  completedResult,
  finding,
  reportOf,
  settingsWith,
  unresolvedResult,
  type FlatSettings,
} from '../__fixtures__/results.js'
import type { ImageReport, IgnoreRule, ScanResult } from '../src/kernel/model.js'
import { Outputs } from '../src/kernel/names.js'
import { commentMarker } from '../src/report/comment.js'
import {
  failureReport,
  stepReport,
  type StepContext,
  type WrittenFiles,
} from '../src/report/step-report.js'
import { stepFailure } from '../src/verdict/step.js'

const written: WrittenFiles = { findings: { path: '/runner/temp/findings.json' } }

function context(overrides: Partial<StepContext> = {}): StepContext {
  return {
    env: {},
    ignore: { active: [], expired: [] },
    throttled: 0,
    warningsShown: 0,
    files: written,
    ...overrides,
  }
}

/** The step report of `results` under `flat` settings, as main.ts makes it. */
function reportFor(
  results: ScanResult[],
  flat: Partial<FlatSettings> = {},
  overrides: Partial<StepContext> = {},
) {
  const settings = settingsWith(flat)
  const reports = results.map((result) => reportOf(result, settings))
  return stepReport(reports, stepFailure(reports), settings, context(overrides))
}

const clean = completedResult()
const high = completedResult([finding('CVE-2024-1', 'HIGH', { packageName: 'zlib' })])
const tagged = (tag: string, result: ScanResult): ScanResult => ({
  ...result,
  target: { repositoryName: 'team/api', imageTag: tag },
})

describe('stepReport', () => {
  it('of one clean image: its result line, the outputs with the findings file, no failure', () => {
    const report = reportFor([clean], { failOnSeverity: 'HIGH' })
    expect(report.lines).toEqual([
      {
        level: 'info',
        message: 'Result: COMPLETE; no findings; threshold HIGH not reached.',
      },
    ])
    expect(report.outputs).toMatchObject({
      [Outputs.findingsFile]: '/runner/temp/findings.json',
      [Outputs.findingsTotal]: '0',
      [Outputs.thresholdExceeded]: 'false',
    })
    expect(report.failure).toBeUndefined()
    expect(report.summary).toMatch(/^## ✅ ECR image scan: <code>team\/api:v1<\/code>/)
    expect(report.comments).toEqual([])
  })

  it("says the step's own warnings first, and counts them against GitHub's 10 annotations", () => {
    const unread = "CISA's KEV catalog could not be read: HTTP 503. The report shows no KEV marks."
    const report = reportFor([high], {}, { warnings: [unread] })
    expect(report.lines[0]).toEqual({ level: 'warning', message: unread })
    const annotated = (shown: number, warnings: string[]) =>
      reportFor(
        [high],
        { failOnSeverity: 'HIGH' },
        { warnings, warningsShown: shown },
      ).lines.filter((line) => line.level === 'warning' && line.title).length
    // GitHub shows 10 warnings a step: 9 shown and this one leave none for the finding.
    expect(annotated(9, [])).toBe(1)
    expect(annotated(9, [unread])).toBe(0)
    const without = reportFor([high])
    expect(without.lines.some((line) => line.message === unread)).toBe(false)
  })

  it('of one image over the threshold: the failure line, and the annotation of its finding', () => {
    const report = reportFor([high], { failOnSeverity: 'HIGH' })
    expect(report.failure).toBe(
      '1 finding at or above HIGH in team/api:v1 (1 HIGH). Fix them, or raise fail-on-severity; the job summary lists them.',
    )
    expect(report.lines).toEqual([
      { level: 'info', message: 'Result: COMPLETE; 1 HIGH; threshold HIGH exceeded.' },
      {
        level: 'warning',
        title: 'HIGH vulnerability in team/api:v1',
        message: 'CVE-2024-1 (HIGH) in zlib, fixed version not known — team/api:v1',
      },
    ])
    expect(report.summary).toContain('> [!CAUTION]')
  })

  it('of several images: each line names its image, and the failure says how many failed', () => {
    const late = tagged('v3', completedResult([], { findings: undefined, timedOut: true }))
    const report = reportFor([tagged('v1', clean), tagged('v2', high), late], {
      failOnSeverity: 'HIGH',
      onScanFailure: 'warn',
      annotations: false,
    })
    expect(report.lines.map((line) => line.message)).toEqual([
      'team/api:v1: Result: COMPLETE; no findings; threshold HIGH not reached.',
      'team/api:v2: Result: COMPLETE; 1 HIGH; threshold HIGH exceeded.',
      expect.stringMatching(/^team\/api:v3: The scan of team\/api:v3 did not finish within/),
      'team/api:v3: Result: COMPLETE; findings not read.',
    ])
    expect(report.lines[2]?.level).toBe('warning')
    expect(report.failure).toMatch(/^1 of 3 images failed\. team\/api:v2: 1 finding at or above/)
    expect(report.summary).toMatch(/^## ❌ ECR image scan: 3 images/)
  })

  it('names the platform of an index even when it is the only image', () => {
    const arm = completedResult([], {
      platform: 'linux/arm64',
      indexDigest: `sha256:${'a'.repeat(64)}`,
    })
    const [line] = reportFor([arm]).lines
    expect(line?.message).toBe('team/api:v1 (linux/arm64): Result: COMPLETE; no findings.')
  })

  it('keeps notes the user chose to ignore as plain lines', () => {
    const quota = completedResult([], { limitExceeded: true, scanStarted: false })
    const lines = reportFor([quota], { onLimitExceeded: 'ignore' }).lines
    expect(lines).toEqual([
      {
        level: 'info',
        message:
          "ECR's scan quota for team/api:v1 is used up (one scan per image per 24 hours); its existing scan is reported.",
      },
      { level: 'info', message: 'Result: COMPLETE; scan quota used up; no findings.' },
    ])
  })

  it('says how often ECR throttled, only when it did', () => {
    expect(reportFor([clean], {}, { throttled: 3 }).lines.at(-1)).toEqual({
      level: 'info',
      message: 'ECR throttled 3 requests; the action slowed down and retried them.',
    })
    expect(reportFor([clean], {}, { throttled: 0 }).lines).toHaveLength(1)
  })

  it('says when results holds less than every image, and in which form', () => {
    const many = Array.from({ length: 200 }, (_, i) => tagged(`v${i}`, high))
    const report = reportFor(many, { annotations: false })
    expect(report.outputs[Outputs.resultsForm]).toBe('compact')
    expect(report.lines.at(-1)).toEqual({
      level: 'notice',
      message: expect.stringContaining('(results-form: compact)'),
    })
  })

  it('warns instead of setting findings-file when the file could not be written', () => {
    const report = reportFor([clean], {}, { files: { findings: { error: 'disk full' } } })
    expect(report.outputs[Outputs.findingsFile]).toBeUndefined()
    expect(report.lines).toContainEqual({
      level: 'warning',
      message: 'Could not write the findings file: disk full',
    })
  })

  it('sets sarif-file when it was written, and adds its note to the summary', () => {
    const note = '\n> [!WARNING]\n> The SARIF file leaves out 1 of 2 results.\n'
    const files: WrittenFiles = { ...written, sarif: { path: '/w/ecr.sarif', note } }
    const report = reportFor([high], {}, { files })
    expect(report.outputs[Outputs.sarifFile]).toBe('/w/ecr.sarif')
    expect(report.summary.endsWith(note)).toBe(true)
  })

  it('says why there is no sarif-file: no findings read, or a write that failed', () => {
    const none = reportFor([clean], {}, { files: { ...written, sarif: { noFindings: true } } })
    expect(none.outputs[Outputs.sarifFile]).toBeUndefined()
    expect(none.lines).toContainEqual({
      level: 'notice',
      message:
        'sarif-file was not written: no findings were read. Guard the upload step with "if: steps.<id>.outputs.sarif-file".',
    })
    const failed = reportFor(
      [clean],
      {},
      { files: { ...written, sarif: { path: '/w/ecr.sarif', error: 'EACCES' } } },
    )
    expect(failed.outputs[Outputs.sarifFile]).toBeUndefined()
    expect(failed.lines).toContainEqual({
      level: 'warning',
      message: 'Could not write sarif-file /w/ecr.sarif: EACCES',
    })
  })

  it('gives annotations what is left of the 10 warnings after those shown and its own', () => {
    const list = Array.from({ length: 12 }, (_, i) => finding(`CVE-2024-${i}`, 'HIGH'))
    const annotated = (warningsShown: number, files: WrittenFiles = written) =>
      reportFor([completedResult(list)], {}, { warningsShown, files }).lines.filter((line) =>
        line.title?.startsWith('HIGH'),
      ).length
    expect(annotated(0)).toBe(10)
    expect(annotated(4)).toBe(6)
    expect(annotated(4, { findings: { error: 'disk full' } })).toBe(5)
    expect(annotated(12)).toBe(0)
    expect(reportFor([completedResult(list)], { annotations: false }).lines).toHaveLength(1)
  })

  it('lists expired and unmatched ignore rules under the summary', () => {
    const rule = (id: string, expires?: string): IgnoreRule => ({
      id,
      expires,
      source: "input 'ignore'",
    })
    const summary = reportFor(
      [high],
      {},
      { ignore: { active: [rule('CVE-2099-1')], expired: [rule('CVE-2020-1', '2020-01-01')] } },
    ).summary
    expect(summary).toContain('These ignore entries have expired')
    expect(summary).toContain('<code>CVE-2020-1</code>')
    expect(summary).toContain('These ignore entries matched no finding')
    expect(summary).toContain('<code>CVE-2099-1</code>')
  })

  it('renders a pull-request comment per image only with comment-on-pr', () => {
    const web = { ...clean, target: { repositoryName: 'team/web', imageTag: 'v1' } }
    const report = reportFor([clean, web], { commentOnPr: true })
    expect(report.comments.map(({ key, marker }) => ({ key, marker }))).toEqual([
      { key: 'us-east-1/team/api', marker: commentMarker('us-east-1/team/api') },
      { key: 'us-east-1/team/web', marker: commentMarker('us-east-1/team/web') },
    ])
    expect(report.comments[0]?.body.startsWith(commentMarker('us-east-1/team/api'))).toBe(true)
    expect(reportFor([clean, web]).comments).toEqual([])
  })

  it('of an image that could not be resolved: no scan status, findings not read', () => {
    const lost: ImageReport = reportOf(
      unresolvedResult(),
      settingsWith(),
      new Error('The repository does not exist'),
    )
    const report = stepReport([lost], stepFailure([lost]), settingsWith(), context())
    expect(report.lines).toEqual([
      { level: 'info', message: 'Result: no scan status; findings not read.' },
    ])
    expect(report.failure).toContain('The repository does not exist')
  })
})

describe('failureReport', () => {
  it('is the failure line, a summary that says it and verdict: failed, nothing else', () => {
    expect(failureReport("Input 'region' is 'x'.")).toEqual({
      outputs: { verdict: 'failed' },
      lines: [],
      summary: "## ❌ ECR image scan\n\n> [!CAUTION]\n> Input 'region' is 'x'.\n",
      comments: [],
      failure: "Input 'region' is 'x'.",
    })
  })
})
