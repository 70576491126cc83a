// The verdict on one image: what its scan means for the step. Pure: what was learned (the result
// and its facts) and the verdict's settings in; the failure line (if any), warnings and notes out.

import { describeFailure } from '../kernel/errors.js'
import { mostSevere } from '../facts/order.js'
import { imageLabel } from '../kernel/image-ref.js'
import {
  SEVERITIES,
  classifyStatus,
  isExploitable,
  type Finding,
  type FindingFacts,
  type Reaction,
  type ScanResult,
  type Severity,
  type Verdict,
} from '../kernel/model.js'
import type { VerdictSettings } from '../inputs/settings.js'

/** Severities at or above `threshold`, most severe first. */
export function severitiesAtOrAbove(threshold: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1)
}

/**
 * The verdict on one image: every reaction the user can configure, in one place. It reads facts,
 * never works them out: what it considers is `facts.considered` (the findings after ignore rules,
 * narrowed by only-new and only-fixable). The failure line, if any, is the first of: the error
 * that stopped the scan, considered findings at or above fail-on-severity, considered findings
 * with a known exploit (fail-on-exploitable), the 24-hour quota (on-limit-exceeded: fail), a scan
 * that did not produce findings (on-scan-failure: fail). `warn` turns a condition into a warning
 * annotation, `ignore` into a log line.
 */
export function judge(
  result: ScanResult,
  facts: FindingFacts,
  settings: VerdictSettings,
  error?: unknown,
): Verdict {
  const verdict: Verdict = { warnings: [], notes: [] }
  const react = (reaction: Reaction, text: string): void => {
    if (reaction === 'fail') verdict.failure ??= text
    else if (reaction === 'warn') verdict.warnings.push(text)
    else verdict.notes.push(text)
  }
  const considered = facts.considered
  const counts = considered?.counts
  if (counts) {
    const over = settings.failOnSeverity ? severitiesAtOrAbove(settings.failOnSeverity) : []
    const found = over.filter((severity) => counts[severity] > 0)
    verdict.thresholdExceeded = found.length > 0
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
  // A baseline is read only for compare-to.
  const baseline = result.baseline
  if (baseline && baseline.outcome !== 'compared') {
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

/** ECR's one-scan-per-image-per-24-hours quota, said as on-limit-exceeded asks. */
function quotaText(result: ScanResult, settings: VerdictSettings): string {
  const text = `ECR's scan quota for ${imageLabel(result)} is used up (one scan per image per 24 hours)`
  return settings.onLimitExceeded === 'fail'
    ? `${text}. Set on-limit-exceeded: warn (or ignore) to report the image's existing scan instead.`
    : `${text}; its existing scan is reported.`
}

/** A scan that did not produce findings: a failed status, or a wait that ran out. */
function scanProblem(result: ScanResult, settings: VerdictSettings): string | undefined {
  const image = imageLabel(result)
  const last = result.scanStatus
    ? `${result.scanStatus}${result.scanStatusDescription ? ` (${sentenceBody(result.scanStatusDescription)})` : ''}`
    : undefined
  if (result.timedOut) return timeoutProblem(result, settings, image, last)
  if (classifyStatus(result.scanStatus) !== 'failed') return undefined
  const description = result.scanStatusDescription
    ? `: ${sentenceBody(result.scanStatusDescription)}`
    : ''
  // Advice to set on-scan-failure: warn only where it is not already what the user chose.
  const acceptThat =
    settings.onScanFailure === 'fail' ? '; set on-scan-failure: warn to accept that.' : '.'
  const advice: Record<string, string> = {
    FAILED: `Basic scanning cannot scan images without a supported OS package manager (scratch, distroless)${acceptThat}`,
    UNSUPPORTED_IMAGE: `ECR does not support this image's operating system or media type${acceptThat}`,
    IMAGE_ARCHIVED: 'Restore the image from archive storage, then re-run.',
    SCAN_ELIGIBILITY_EXPIRED:
      "Inspector's continuous-scan window for this image has lapsed; push the image again or extend the window in Amazon Inspector.",
    FINDINGS_UNAVAILABLE:
      'Inspector could not provide findings; re-run later or check Amazon Inspector.',
    LIMIT_EXCEEDED: "The registry's daily scan quota is used up; re-run tomorrow.",
  }
  return `The scan of ${image} ended ${result.scanStatus}${description}. ${advice[result.scanStatus ?? ''] ?? ''}`.trim()
}

/** Why a wait ran out, in the words of what it last saw. */
function timeoutProblem(
  result: ScanResult,
  settings: VerdictSettings,
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
