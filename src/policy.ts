// The verdict: what the scan means for the step. Pure: a scan outcome and the settings in,
// the failure line (if any), warnings and notes out.

import { comparisonOf } from './compare.js'
import { describeFailure } from './errors.js'
import { mostSevere } from './report/present.js'
import { imageLabel } from './image-ref.js'
import {
  SEVERITIES,
  classifyStatus,
  emptyCounts,
  isExploitable,
  isFixable,
  type Finding,
  type Reaction,
  type ScanResult,
  type Severity,
  type SeverityCounts,
  type ImageReport,
  type Outcome,
  type Verdict,
} from './model.js'
import type { Settings } from './settings.js'

/** Severities at or above `threshold`, most severe first. */
export function severitiesAtOrAbove(threshold: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1)
}

/**
 * The verdict on one image: every reaction the user can configure, in one place. The findings
 * it considers are the image's after ignore rules, narrowed by only-new (those the baseline of
 * compare-to lacks; every finding when no baseline could be compared) and only-fixable. The
 * failure line, if any, is the first of: the error that stopped the scan, considered findings at
 * or above fail-on-severity, considered findings with a known exploit (fail-on-exploitable), the
 * 24-hour quota (on-limit-exceeded: fail), a scan that did not produce findings (on-scan-failure:
 * fail). `warn` turns a condition into a warning annotation, `ignore` into a log line. The
 * outcome (the `verdict` output) follows from the failure, the gates and the findings read.
 */
export function judge(result: ScanResult, settings: Settings, error?: unknown): Verdict {
  const verdict = reactions(result, settings, error)
  const outcome = outcomeOf(result, verdict, settings)
  return outcome ? { ...verdict, outcome } : verdict
}

/**
 * Whether the user configured any gate: a condition on the findings that can fail the step.
 * A new gate is one more condition here.
 */
export function gatesConfigured(
  settings: Pick<Settings, 'failOnSeverity' | 'failOnExploitable'>,
): boolean {
  return settings.failOnSeverity !== undefined || settings.failOnExploitable
}

/**
 * Every finding of the image was read: a final, complete scan status (COMPLETE or ACTIVE), the
 * wait did not stop at wait-timeout (Inspector's findings settled), and every page of the list
 * was read. Only then can a gate that found nothing say so.
 */
export function findingsReadInFull(result: ScanResult): boolean {
  const { findings } = result
  return (
    findings !== undefined &&
    findings.unread === 0 &&
    !result.timedOut &&
    classifyStatus(result.scanStatus) === 'complete'
  )
}

/** One image's `verdict` output (see Outcome), from its verdict's failure and its findings. */
export function outcomeOf(
  result: ScanResult,
  verdict: Pick<Verdict, 'failure'>,
  settings: Pick<Settings, 'failOnSeverity' | 'failOnExploitable'>,
): Outcome | undefined {
  if (verdict.failure) return 'failed'
  if (!gatesConfigured(settings)) return undefined
  return findingsReadInFull(result) ? 'passed' : 'incomplete'
}

/**
 * The step's `verdict` output from its images': failed when any failed, else incomplete when
 * any is, else passed when every image passed; unset when no gate was configured.
 */
export function stepOutcome(reports: ImageReport[]): Outcome | undefined {
  const outcomes = reports.map((report) => report.verdict.outcome)
  if (outcomes.includes('failed')) return 'failed'
  if (outcomes.includes('incomplete')) return 'incomplete'
  if (outcomes.length > 0 && outcomes.every((outcome) => outcome === 'passed')) return 'passed'
  return undefined
}

/** The failure line, warnings and notes of judge, before the outcome is drawn from them. */
function reactions(result: ScanResult, settings: Settings, error?: unknown): Verdict {
  const verdict: Verdict = { warnings: [], notes: [] }
  const react = (reaction: Reaction, text: string): void => {
    if (reaction === 'fail') verdict.failure ??= text
    else if (reaction === 'warn') verdict.warnings.push(text)
    else verdict.notes.push(text)
  }
  const considered = consideredFindings(result, settings)
  const counts = considered?.counts
  if (counts && settings.failOnSeverity) {
    const found = severitiesAtOrAbove(settings.failOnSeverity).filter(
      (severity) => counts[severity] > 0,
    )
    // "Not exceeded" only from findings read in full: an unread page may hold one.
    if (found.length > 0) verdict.thresholdExceeded = true
    else if (findingsReadInFull(result)) verdict.thresholdExceeded = false
    if (verdict.thresholdExceeded && !error) {
      const total = found.reduce((sum, severity) => sum + counts[severity], 0)
      const breakdown = found.map((severity) => `${counts[severity]} ${severity}`).join(', ')
      verdict.failure =
        `${total} ${considered.words}finding${total === 1 ? '' : 's'} at or above ${settings.failOnSeverity} in ${imageLabel(result)} (${breakdown}). ` +
        'Fix them, or raise fail-on-severity; the job summary lists them.'
    }
  }
  if (error) {
    verdict.failure = describeFailure(error)
    return verdict
  }
  const exploitable = considered?.list.filter(isExploitable) ?? []
  if (settings.failOnExploitable && exploitable.length > 0) {
    react('fail', exploitableText(result, exploitable, considered?.words ?? ''))
  }
  const baseline = result.baseline
  if (settings.compareTo && baseline && baseline.outcome !== 'compared') {
    const fallback = settings.onlyNew ? '; only-new considers every finding instead' : ''
    verdict.warnings.push(
      `The baseline ${baseline.label} was not compared: ${baseline.reason ?? baseline.outcome}. new-findings and fixed-findings stay empty${fallback}.`,
    )
  }
  if (result.limitExceeded) react(settings.onLimitExceeded, quotaText(result, settings))
  const problem = scanProblem(result, settings)
  if (problem) react(settings.onScanFailure, problem)
  return verdict
}

/** Exploitable findings listed in the failure line; the summary marks every one. */
const MAX_LISTED_EXPLOITABLE = 5

function exploitableText(result: ScanResult, exploitable: Finding[], words: string): string {
  const listed = mostSevere(exploitable, MAX_LISTED_EXPLOITABLE)
    .map(
      (finding) =>
        `${finding.id} (${finding.packageName ?? 'unknown package'}, ${finding.ecrSeverity})`,
    )
    .join(', ')
  const more =
    exploitable.length > MAX_LISTED_EXPLOITABLE
      ? ` and ${exploitable.length - MAX_LISTED_EXPLOITABLE} more`
      : ''
  const count = exploitable.length
  return (
    `${count} ${words}finding${count === 1 ? '' : 's'} in ${imageLabel(result)} ${count === 1 ? 'has' : 'have'} a known exploit: ${listed}${more}. ` +
    'Fix them first, or set fail-on-exploitable: false; the job summary marks them.'
  )
}

/**
 * The findings the verdict considers, and their counts per severity. ECR's own counts (less
 * ignored findings) serve while no filter applies: they count findings whose pages could not be
 * read too. only-new and only-fixable count the listed findings they keep.
 */
export function consideredFindings(
  result: ScanResult,
  settings: Pick<Settings, 'onlyNew' | 'onlyFixable'>,
): { counts: SeverityCounts; list: Finding[]; words: string } | undefined {
  const findings = result.findings
  if (!findings) return undefined
  const comparison = settings.onlyNew ? comparisonOf(result) : undefined
  let list = comparison ? comparison.added : findings.list
  if (settings.onlyFixable) list = list.filter(isFixable)
  const words = `${comparison ? 'new ' : ''}${settings.onlyFixable ? 'fixable ' : ''}`
  if (!comparison && !settings.onlyFixable) return { counts: findings.severityCounts, list, words }
  const counts = emptyCounts()
  for (const finding of list) counts[finding.severity] += 1
  return { counts, list, words }
}

/** ECR's one-scan-per-image-per-24-hours quota, said as on-limit-exceeded asks. */
function quotaText(result: ScanResult, settings: Settings): string {
  const text = `ECR's scan quota for ${imageLabel(result)} is used up (one scan per image per 24 hours)`
  return settings.onLimitExceeded === 'fail'
    ? `${text}. Set on-limit-exceeded: warn (or ignore) to report the image's existing scan instead.`
    : `${text}; its existing scan is reported.`
}

/** A scan that did not produce findings: a failed status, or a wait that ran out. */
function scanProblem(result: ScanResult, settings: Settings): string | undefined {
  const image = imageLabel(result)
  const last = result.scanStatus
    ? `${result.scanStatus}${result.scanStatusDescription ? ` (${sentenceBody(result.scanStatusDescription)})` : ''}`
    : undefined
  if (result.timedOut) return timeoutProblem(result, settings, image, last)
  if (classifyStatus(result.scanStatus) !== 'failed') return undefined
  const description = result.scanStatusDescription
    ? `: ${sentenceBody(result.scanStatusDescription)}`
    : ''
  const unsupported = unsupportedAdvice(result, settings)
  const advice: Record<string, string> = {
    FAILED: unsupported,
    UNSUPPORTED_IMAGE: unsupported,
    IMAGE_ARCHIVED: 'Restore the image from archive storage, then re-run.',
    SCAN_ELIGIBILITY_EXPIRED:
      "Inspector's continuous-scan window for this image has lapsed; push the image again or extend the window in Amazon Inspector.",
    FINDINGS_UNAVAILABLE:
      'Inspector could not provide findings; re-run later or check Amazon Inspector.',
    LIMIT_EXCEEDED: "The registry's daily scan quota is used up; re-run tomorrow.",
  }
  return `The scan of ${image} ended ${result.scanStatus}${description}. ${advice[result.scanStatus ?? ''] ?? ''}`.trim()
}

/**
 * The operating system and version an UnsupportedImageError names, e.g. `alpine v3.21` from
 * "UnsupportedImageError: The operating system 'alpine' version 'v3.21' is not supported."
 * (real descriptions in __fixtures__/realdata/other/errors-and-status-descriptions.json);
 * undefined when it names none ("The operating system and/or package manager are not supported.").
 */
export function unsupportedSystem(description: string | undefined): string | undefined {
  const named = /operating system '([^']+)' version '([^']+)'/i.exec(description ?? '')
  return named ? `${named[1]} ${named[2]}` : undefined
}

/**
 * What to do about a scan that ended FAILED or UNSUPPORTED_IMAGE: the operating system ECR named,
 * if it named one; with basic scanning, that enhanced scanning reads more, so on-scan-failure is
 * not the only way out; and on-scan-failure: warn, unless it is already the user's choice.
 */
function unsupportedAdvice(result: ScanResult, settings: Settings): string {
  const system = unsupportedSystem(result.scanStatusDescription)
  // Advice to set on-scan-failure: warn only where it is not already what the user chose.
  const accept = settings.onScanFailure === 'fail' ? 'set on-scan-failure: warn to accept that' : ''
  if (result.scanType === 'ENHANCED') {
    const what = system
      ? `Amazon Inspector does not support ${system}`
      : "Amazon Inspector does not support this image's operating system or media type"
    return `${what}${accept ? `; ${accept}` : ''}.`
  }
  const what = system
    ? `Basic scanning does not support ${system}`
    : result.scanStatus === 'FAILED'
      ? 'Basic scanning cannot scan images without a supported OS package manager (scratch, distroless)'
      : "Basic scanning does not support this image's operating system or media type"
  return (
    `${what}. Enhanced scanning (Amazon Inspector) covers more operating systems, and language packages too: ` +
    `turn it on for the registry (ECR console: Private registry > Scanning)${accept ? `, or ${accept}` : ''}.`
  )
}

/** Why a wait ran out, in the words of what it last saw. */
function timeoutProblem(
  result: ScanResult,
  settings: Settings,
  image: string,
  last: string | undefined,
): string {
  const seconds = `${settings.waitTimeoutSeconds} s`
  const accept =
    settings.onScanFailure === 'fail'
      ? ', or set on-scan-failure: warn to accept an unfinished scan.'
      : '.'
  if (result.lastPollError) {
    return (
      `ECR kept failing while the action waited for the scan of ${image}${last ? ` (its last known status: ${last})` : ''}: every poll in ${seconds} failed, the last with: ${sentenceBody(result.lastPollError)}. ` +
      `This is usually a temporary ECR or network problem: re-run the job${accept}`
    )
  }
  if (result.findingsUnsettled) {
    return (
      `Amazon Inspector's findings for ${image} were still changing when wait-timeout (${seconds}) ended; the counts shown are from the last read. ` +
      `Raise wait-timeout so they can settle${accept}`
    )
  }
  if (last && classifyStatus(result.scanStatus) === 'unknown') {
    return (
      `The scan of ${image} did not finish within wait-timeout (${seconds}): ECR last answered ${last}, a status this action does not know. ` +
      `Check the scan in the ECR console; raise wait-timeout${accept}`
    )
  }
  return (
    `The scan of ${image} did not finish within wait-timeout (${seconds}); its last status was ${last ?? 'unknown (no poll was answered)'}. ` +
    `Raise wait-timeout${accept}`
  )
}

/** A text to quote inside a sentence: without its own closing full stop. */
function sentenceBody(text: string): string {
  return text.trim().replace(/[.\s]+$/, '')
}

/** Failure lines shown in full in the step's one error line; the rest are counted. */
const MAX_LISTED_FAILURES = 5

/**
 * The step's one failure line from every image's verdict: an image's own line when it is the
 * only image, else how many failed and why, image by image.
 */
export function stepFailure(reports: ImageReport[]): string | undefined {
  const failed = reports.filter((report) => report.verdict.failure)
  if (failed.length === 0) return undefined
  if (reports.length === 1) return failed[0]?.verdict.failure
  const listed = failed
    .slice(0, MAX_LISTED_FAILURES)
    .map((report) => `${imageLabel(report.result)}: ${report.verdict.failure}`)
  const more =
    failed.length > MAX_LISTED_FAILURES
      ? ` … and ${failed.length - MAX_LISTED_FAILURES} more; the job summary lists them.`
      : ''
  return `${failed.length} of ${reports.length} images failed. ${listed.join(' | ')}${more}`
}
