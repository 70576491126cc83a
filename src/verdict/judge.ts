// The verdict on one image: what its scan means for the step. Pure: what was learned (the result
// and its facts) and the verdict's settings in; the failure line (if any), warnings and notes out.

import { describeFailure } from '../kernel/errors.js'
import { mostSevere, type ExploitsOf } from '../facts/order.js'
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
  type Outcome,
  type Verdict,
} from '../kernel/model.js'
import type { VerdictSettings } from '../inputs/settings.js'

/** Severities at or above `threshold`, most severe first. */
export function severitiesAtOrAbove(threshold: Severity): Severity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(threshold) + 1)
}

/**
/**
 * The verdict on one image: every reaction the user can configure, in one place. It reads facts,
 * never works them out: what it considers is `facts.considered` (the findings after ignore rules,
 * narrowed by only-new and only-fixable). The failure line, if any, is the first of: the error
 * that stopped the scan, considered findings at or above fail-on-severity, considered findings
 * with a known exploit (fail-on-exploitable), the 24-hour quota (on-limit-exceeded: fail), a scan
 * that did not produce findings (on-scan-failure: fail). `warn` turns a condition into a warning
 * annotation, `ignore` into a log line. The outcome (the `verdict` output) follows from the
 * failure, the gates and the findings read.
 */
export function judge(
  result: ScanResult,
  facts: FindingFacts,
  settings: VerdictSettings,
  error?: unknown,
): Verdict {
  const verdict = reactions(result, facts, settings, error)
  const outcome = outcomeOf(facts, verdict, settings)
  return outcome ? { ...verdict, outcome } : verdict
}

/**
 * Whether the user configured any gate: a condition on the findings that can fail the step.
 * A new gate is one more condition here.
 */
export function gatesConfigured(
  settings: Pick<VerdictSettings, 'failOnSeverity' | 'failOnExploitable'> &
    Partial<Pick<VerdictSettings, 'failOnKev' | 'failOnEpss'>>,
): boolean {
  return (
    settings.failOnSeverity !== undefined ||
    settings.failOnExploitable ||
    settings.failOnKev === true ||
    settings.failOnEpss !== undefined
  )
}

/** One image's `verdict` output (see Outcome), from its verdict's failure and its findings. */
export function outcomeOf(
  facts: Pick<FindingFacts, 'readInFull'> & Partial<Pick<FindingFacts, 'exploits'>>,
  verdict: Pick<Verdict, 'failure'>,
  settings: Pick<VerdictSettings, 'failOnSeverity' | 'failOnExploitable'> &
    Partial<Pick<VerdictSettings, 'failOnKev' | 'failOnEpss'>>,
): Outcome | undefined {
  if (verdict.failure) return 'failed'
  if (!gatesConfigured(settings)) return undefined
  // A gate whose source could not be read checked nothing (on-scan-failure: warn or ignore).
  const missing =
    (settings.failOnKev === true && facts.exploits?.kev.state === 'failed') ||
    (settings.failOnEpss !== undefined && facts.exploits?.epss.state === 'failed')
  return facts.readInFull && !missing ? 'passed' : 'incomplete'
}

/** The failure line, warnings and notes of judge, before the outcome is drawn from them. */
function reactions(
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
  if (counts && settings.failOnSeverity) {
    const found = severitiesAtOrAbove(settings.failOnSeverity).filter(
      (severity) => counts[severity] > 0,
    )
    // "Not exceeded" only from findings read in full: an unread page may hold one.
    if (found.length > 0) verdict.thresholdExceeded = true
    else if (facts.readInFull) verdict.thresholdExceeded = false
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
  exploitGates(result, facts, settings, react)
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

/** Findings listed in the failure line of fail-on-kev and fail-on-epss; the summary lists every one. */
const MAX_LISTED_RISKY = 5

/**
 * fail-on-kev and fail-on-epss: considered findings in CISA's KEV catalog, or with an EPSS score
 * at or above fail-on-epss, fail. A gate whose source could not be read reacts as
 * on-scan-failure says, with the source's reason: it never passes on data it did not get.
 */
function exploitGates(
  result: ScanResult,
  facts: FindingFacts,
  settings: VerdictSettings,
  react: (reaction: Reaction, text: string) => void,
): void {
  const exploits = facts.exploits
  const considered = facts.considered
  if (!exploits || !considered) return
  const of = (finding: Finding) => exploits.byFinding.get(finding)
  const words = considered.words
  const image = imageLabel(result)
  if (settings.failOnKev) {
    if (exploits.kev.state === 'failed') {
      react(
        settings.onScanFailure,
        missingText('fail-on-kev', "CISA's KEV catalog", exploits.kev.reason, image, settings),
      )
    } else {
      const inKev = considered.list.filter((finding) => of(finding)?.kev)
      if (inKev.length > 0) {
        const listed = listRisky(
          inKev,
          of,
          (finding) => `in KEV since ${of(finding)?.kev?.dateAdded}`,
        )
        react(
          'fail',
          `${countWords(inKev.length, words)} in ${image} ${inKev.length === 1 ? 'is' : 'are'} in CISA's Known Exploited Vulnerabilities catalog: ${listed}. ` +
            'Attackers use them now: fix them first, or set fail-on-kev: false; the job summary lists them.',
        )
      }
    }
  }
  const threshold = settings.failOnEpss
  if (threshold !== undefined) {
    if (exploits.epss.state === 'failed') {
      react(
        settings.onScanFailure,
        missingText('fail-on-epss', 'EPSS', exploits.epss.reason, image, settings),
      )
    } else {
      const likely = considered.list.filter(
        (finding) => Number(of(finding)?.epss?.epss ?? -1) >= threshold,
      )
      if (likely.length > 0) {
        const listed = listRisky(likely, of, (finding) => `EPSS ${of(finding)?.epss?.epss}`)
        react(
          'fail',
          `${countWords(likely.length, words)} in ${image} ${likely.length === 1 ? 'has' : 'have'} an EPSS score at or above ${threshold}: ${listed}. ` +
            'Fix them first, or raise fail-on-epss; the job summary lists them.',
        )
      }
    }
  }
}

function countWords(count: number, words: string): string {
  return `${count} ${words}finding${count === 1 ? '' : 's'}`
}

function listRisky(
  findings: Finding[],
  of: ExploitsOf,
  detail: (finding: Finding) => string,
): string {
  const listed = mostSevere(findings, MAX_LISTED_RISKY, of)
    .map(
      (finding) =>
        `${finding.id} (${finding.packageName ?? 'unknown package'}, ${finding.ecrSeverity}, ${detail(finding)})`,
    )
    .join(', ')
  const more =
    findings.length > MAX_LISTED_RISKY ? ` and ${findings.length - MAX_LISTED_RISKY} more` : ''
  return `${listed}${more}`
}

/** A gate that could not be checked because its source could not be read. */
function missingText(
  gate: string,
  source: string,
  reason: string | undefined,
  image: string,
  settings: VerdictSettings,
): string {
  const text = `${gate} could not be checked for ${image}: ${source} could not be read (${reason ?? 'no reason given'})`
  return settings.onScanFailure === 'fail'
    ? `${text}. Re-run when it answers, point ${gate === 'fail-on-kev' ? 'kev-url' : 'epss-url'} at a mirror, or set on-scan-failure: warn to accept a verdict without it.`
    : `${text}; the verdict is incomplete.`
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
function unsupportedAdvice(result: ScanResult, settings: VerdictSettings): string {
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
