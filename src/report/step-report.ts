// Everything the step emits, from the images' reports, in one pure function: the outputs, the log
// lines after the scan (annotations within GitHub's budget), the job summary, the pull-request
// comments and the failure line. main.ts hands it to the runner; nothing here touches it.

import { imageLabel } from '../kernel/image-ref.js'
import {
  SEVERITIES,
  type IgnoreRule,
  type ImageReport,
  type ScanResult,
  type Verdict,
} from '../kernel/model.js'
import { Outputs } from '../kernel/names.js'
import type { Settings } from '../inputs/settings.js'
import { unmatchedRules } from '../facts/ignore.js'
import { unmatchedStatements } from '../facts/vex.js'
import type { VexStatement } from '../kernel/vex.js'
import { MAX_WARNING_ANNOTATIONS, findingAnnotations } from './annotations.js'
import { commentGroups, commentKey, commentMarker, renderComment } from './comment.js'
import { resultsFormNote, stepOutputs, type OutputValues } from './outputs.js'
import { fitSummary, renderFailureOnly, renderIgnoreNotes, renderStepSummary } from './summary.js'
import { renderVexNotes, vexNoteLine } from './vex.js'
import { renderWatchSummary } from './watch-summary.js'

/** One line of the log; a `title` makes a warning or notice an annotation with that title. */
export interface ReportLine {
  level: 'info' | 'notice' | 'warning'
  message: string
  title?: string
}

/** One pull-request comment: found again by its marker, then created or updated with `body`. */
export interface PullRequestComment {
  /** The image and platforms it is about, e.g. `us-east-1/team/api linux/amd64,linux/arm64`. */
  key: string
  marker: string
  body: string
}

/** What writing the step's files gave (main.ts writes them before the report is made). */
export interface WrittenFiles {
  findings: { path: string } | { error: string }
  /** Only with sarif-file: written, not written because no findings were read, or failed. */
  sarif?: { path: string; note: string } | { noFindings: true } | { error: string; path: string }
}

/** What the step knows besides its reports, gathered by main.ts. */
export interface StepContext {
  /** The runner's environment: the pull-request comment links to the run (GITHUB_*). */
  env: Record<string, string | undefined>
  /** The ignore rules still in force, and those whose date has passed (they warned already). */
  ignore: { active: IgnoreRule[]; expired: IgnoreRule[] }
  /** The vex documents' statements; unset when vex is not set. */
  vex?: VexStatement[]
  /** Warnings of the whole step, said before any image's (an exploit source that was not read). */
  warnings?: string[]
  /** ECR's throttling answers during the scan (the rate limiter's count). */
  throttled: number
  /** Warnings already shown in this step: annotations get what is left of GitHub's 10. */
  warningsShown: number
  files: WrittenFiles
}

/** Everything the step emits after the scan, in the order it is emitted. */
export interface StepReport {
  outputs: OutputValues
  lines: ReportLine[]
  /** The job summary, cut to fit GitHub's limit. */
  summary: string
  /** Empty unless comment-on-pr. */
  comments: PullRequestComment[]
  /** The step's one error line; unset when it passes. */
  failure?: string
}

/**
 * The step's report from every image's report and the step's failure line (verdict/step.ts).
 * Pure: the same reports, settings and context always give the same report.
 */
export function stepReport(
  reports: ImageReport[],
  failure: string | undefined,
  settings: Settings,
  context: StepContext,
): StepReport {
  const lines: ReportLine[] = (context.warnings ?? []).map((message) => ({
    level: 'warning',
    message,
  }))
  const several = reports.length > 1
  // A pattern step says a warning many images share once (the registry's quota, most often).
  const shared = settings.watch ? sharedWarnings(reports) : new Map<string, string>()
  for (const { result, verdict } of reports) {
    const label = several || result.platform ? `${imageLabel(result)}: ` : ''
    for (const message of verdict.warnings) {
      if (!shared.has(message)) lines.push({ level: 'warning', message: label + message })
    }
    for (const note of verdict.notes) lines.push({ level: 'info', message: label + note })
    const line = resultLine(result, verdict, settings.verdict.failOnSeverity)
    lines.push({ level: 'info', message: label + line })
  }
  for (const message of new Set(shared.values())) lines.push({ level: 'warning', message })
  if (context.throttled > 0) {
    lines.push({
      level: 'info',
      message: `ECR throttled ${context.throttled} requests; the action slowed down and retried them.`,
    })
  }
  const outputs = stepOutputs(reports)
  const formNote = resultsFormNote(outputs[Outputs.resultsForm])
  if (formNote) lines.push({ level: 'notice', message: formNote })
  const { findings, sarif } = context.files
  if ('path' in findings) outputs[Outputs.findingsFile] = findings.path
  else {
    lines.push({
      level: 'warning',
      message: `Could not write the findings file: ${findings.error}`,
    })
  }
  let sarifNote = ''
  if (sarif && 'noFindings' in sarif) {
    lines.push({
      level: 'notice',
      message:
        'sarif-file was not written: no findings were read. Guard the upload step with "if: steps.<id>.outputs.sarif-file".',
    })
  } else if (sarif && 'error' in sarif) {
    lines.push({
      level: 'warning',
      message: `Could not write sarif-file ${sarif.path}: ${sarif.error}`,
    })
  } else if (sarif) {
    outputs[Outputs.sarifFile] = sarif.path
    sarifNote = sarif.note
  }
  if (settings.report.annotations) {
    const shown = context.warningsShown + lines.filter((line) => line.level === 'warning').length
    const specs = findingAnnotations(reports, { max: MAX_WARNING_ANNOTATIONS - shown })
    for (const { level, message, title } of specs) lines.push({ level, message, title })
  }
  const results = reports.map((report) => report.result)
  const { active, expired } = context.ignore
  const ignoreNotes = renderIgnoreNotes(expired, unmatchedRules(active, results))
  // Only images whose findings were read can tell a statement matched nothing.
  const read = reports.filter(({ result }) => result.findings).map(({ facts }) => facts)
  const unmatched = context.vex && read.length > 0 ? unmatchedStatements(context.vex, read) : []
  const vexLine = vexNoteLine(unmatched)
  if (vexLine) lines.push({ level: 'info', message: vexLine })
  const notes = `${ignoreNotes}${renderVexNotes(unmatched)}`
  const overview = settings.watch
    ? renderWatchSummary(reports, failure, settings.watch.pattern)
    : renderStepSummary(reports, failure)
  const summary = fitSummary(`${overview}\n${notes}${sarifNote}`)
  const comments = settings.report.commentOnPr ? pullRequestComments(reports, context.env) : []
  return { outputs, lines, summary, comments, failure }
}

/**
 * The report of a step that stopped before it knew what to scan (a bad input): the failure line,
 * a summary that says it, and the verdict a later job gates on, failed; nothing else.
 */
export function failureReport(failure: string): StepReport {
  return {
    outputs: { [Outputs.verdict]: 'failed' },
    lines: [],
    summary: fitSummary(renderFailureOnly(failure)),
    comments: [],
    failure,
  }
}

/** One comment per image and platform set (commentGroups), each with its marker and body. */
export function pullRequestComments(
  reports: ImageReport[],
  env: Record<string, string | undefined>,
): PullRequestComment[] {
  return [...commentGroups(reports).values()].map((group) => {
    const key = commentKey(group)
    return { key, marker: commentMarker(key), body: renderComment(key, group, env) }
  })
}

/**
 * Warnings that two or more images give in the same words once their image is taken out (ECR's
 * quota for each image, the registry's daily quota): each image's warning → the one line said
 * for all of them, "37 images (team/api:v1, team/web:v1, …): ECR's scan quota for each image …".
 */
export function sharedWarnings(reports: ImageReport[]): Map<string, string> {
  const groups = new Map<string, { labels: string[]; messages: string[] }>()
  for (const { result, verdict } of reports) {
    const label = imageLabel(result)
    for (const message of verdict.warnings) {
      const general = message.split(label).join('each image')
      if (general === message) continue
      const group = groups.get(general) ?? { labels: [], messages: [] }
      group.labels.push(label)
      group.messages.push(message)
      groups.set(general, group)
    }
  }
  const shared = new Map<string, string>()
  for (const [general, { labels, messages }] of groups) {
    if (labels.length < 2) continue
    const named = labels.slice(0, 3).join(', ') + (labels.length > 3 ? ', …' : '')
    const line = `${labels.length} images (${named}): ${general}`
    for (const message of messages) shared.set(message, line)
  }
  return shared
}

/** "Result: COMPLETE; 2 HIGH; threshold HIGH exceeded.": one image's outcome in the log. */
function resultLine(
  { scanStatus, findings, limitExceeded }: ScanResult,
  verdict: Verdict,
  failOnSeverity: string | undefined,
): string {
  const counts = findings
    ? SEVERITIES.filter((severity) => findings.severityCounts[severity] > 0)
        .map((severity) => `${findings.severityCounts[severity]} ${severity}`)
        .join(', ') || 'no findings'
    : 'findings not read'
  // Without fail-on-severity there is no threshold to speak of.
  const exceeded =
    failOnSeverity === undefined || verdict.thresholdExceeded === undefined
      ? ''
      : `; threshold ${failOnSeverity} ${verdict.thresholdExceeded ? 'exceeded' : 'not reached'}`
  const quota = limitExceeded ? '; scan quota used up' : ''
  return `Result: ${scanStatus ?? 'no scan status'}${quota}; ${counts}${exceeded}.`
}
