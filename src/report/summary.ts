// The job summary: a pure renderer of one scan result and its verdict to GitHub's Markdown
// with HTML tables. Every value from ECR or the user goes through escape.ts.

import { consoleUrl, imageLabel } from '../kernel/image-ref.js'
import {
  SEVERITIES,
  isExploitable,
  totalOf,
  type Baseline,
  type Comparison,
  type ExploitFacts,
  type Finding,
  type IgnoreRule,
  type IgnoredFinding,
  type ScanFrequency,
  type ScanResult,
} from '../kernel/model.js'
import type { ImageReport, Verdict } from '../kernel/model.js'
import { countOf } from '../kernel/text.js'
import { link, text } from './escape.js'
import { EXPLOIT_MARK, exploitWords, sourceWords } from './present.js'
import { exploitsOfFacts, mostSevere, type ExploitsOf } from '../facts/order.js'
import { vexSections } from './vex.js'

/** Rows of the findings table: enough to act on, and far below the 1 MiB summary limit. */
export const MAX_FINDING_ROWS = 50
/** Rows of each of the fixed and the unchanged tables of compare-to; new findings get MAX_FINDING_ROWS. */
export const MAX_COMPARED_ROWS = 25

export const SEVERITY_ICON: Record<string, string> = {
  CRITICAL: '🟥',
  HIGH: '🟧',
  MEDIUM: '🟨',
  LOW: '🟦',
  INFORMATIONAL: '⬜',
  UNDEFINED: '⬜',
}

/** One image's section; `level` 2 when it is the whole summary, 3 under a step overview. */
export function renderSummary({ result, facts, verdict }: ImageReport, level = 2): string {
  const lines: string[] = []
  const name = text(imageLabel(result), 400)
  const heading = '#'.repeat(level)
  const subheading = '#'.repeat(level + 1)
  lines.push(`${heading} ${headline(result, verdict)} ECR image scan: <code>${name}</code>`, '')
  const comparison = facts.comparison
  const of = exploitsOfFacts([facts.exploits])
  lines.push(detailsTable(result, verdict, comparison, facts.exploits), '')
  if (verdict.failure) lines.push(`> [!CAUTION]`, `> ${text(verdict.failure, 2000)}`, '')
  for (const warning of verdict.warnings) lines.push(`> [!WARNING]`, `> ${text(warning, 2000)}`, '')
  const findings = result.findings
  if (findings) {
    const ignored = findings.ignored ?? []
    if (comparison && result.baseline) {
      // What this push changed comes first; the counts of every finding follow it.
      lines.push(...comparedSections(result.baseline, comparison, subheading, of))
      lines.push(`${subheading} All findings by severity`, '', severityTable(result), '')
    } else {
      lines.push(`${subheading} Findings by severity`, '', severityTable(result), '')
      const total = totalOf(findings.severityCounts)
      if (total === 0 && facts.vex?.suppressed.length)
        lines.push('No vulnerabilities besides the ignored and suppressed ones.', '')
      else if (total === 0 && ignored.length > 0)
        lines.push('No vulnerabilities besides the ignored ones.', '')
      else lines.push(...findingsSection(findings.list, total, subheading, of))
    }
    if (basicScanFoundNothing(result)) lines.push(BASIC_ZERO_NOTE, '')
    lines.push(...ignoredSection(ignored))
    if (facts.vex) lines.push(...vexSections(facts.vex))
    if (findings.unread > 0) {
      lines.push(
        `${findings.unread} findings could not be read from ECR; the counts include them.`,
        '',
      )
    }
  }
  if (result.image?.registryId) {
    lines.push(
      link(
        consoleUrl({ ...result.image, region: result.region }),
        'Open the scan in the AWS console',
      ),
      '',
    )
  }
  return lines.join('\n')
}

/**
 * Said under a basic scan that reported no finding at all. Basic scanning reads the packages of
 * the image's operating system only, so it finds nothing in language packages (npm, pip, Maven,
 * Go modules…) and nothing in distroless or scratch-based images, whose packages it cannot list:
 * zero there is the absence of data, not of vulnerabilities. Amazon Inspector's enhanced scanning
 * reads both.
 */
export const BASIC_ZERO_NOTE =
  'Zero findings from a basic scan is not proof of safety: basic scanning reads operating-system packages only, so language packages and distroless or scratch-based images go unchecked. ' +
  link(
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html',
    'Enhanced scanning (Amazon Inspector)',
  ) +
  ' covers them.'

/**
 * A basic scan whose findings were read and that reported none, ignored ones included. ECR's
 * counts cover every finding, and what the list lacks of them is `unread`: nothing listed,
 * ignored or unread means ECR counted none.
 */
function basicScanFoundNothing({ scanType, findings }: ScanResult): boolean {
  if (scanType !== 'BASIC' || !findings) return false
  return (
    findings.list.length === 0 && (findings.ignored ?? []).length === 0 && findings.unread === 0
  )
}

export function headline(result: ScanResult, verdict: Verdict): string {
  if (verdict.failure) return '❌'
  if (verdict.warnings.length > 0 || result.timedOut) return '⚠️'
  return '✅'
}

function detailsTable(
  result: ScanResult,
  verdict: Verdict,
  comparison: Comparison | undefined,
  exploits?: ExploitFacts,
): string {
  const rows: [string, string][] = []
  const digest = result.image?.imageDigest ?? result.target.imageDigest
  if (digest) rows.push(['Digest', `<code>${text(digest)}</code>`])
  if (result.indexDigest) rows.push(['Image index', `<code>${text(result.indexDigest)}</code>`])
  const registry = result.image?.registryId || result.target.registryId
  rows.push(['Registry', `${registry ? `${text(registry)}, ` : ''}${text(result.region)}`])
  if (result.scanType) rows.push(['Scan type', text(result.scanType)])
  if (result.scanFrequency) rows.push(['Scan frequency', FREQUENCY_WORDS[result.scanFrequency]])
  rows.push(['Scan', scanOrigin(result)])
  if (result.baseline) rows.push(['Baseline', describeBaseline(result.baseline, comparison)])
  const status = result.scanStatus ? `<b>${text(result.scanStatus)}</b>` : 'unknown'
  const description = result.scanStatusDescription
    ? ` — ${text(result.scanStatusDescription, 500)}`
    : ''
  const stopped = result.findingsUnsettled
    ? " (stopped waiting at wait-timeout while Inspector's findings were still changing)"
    : result.timedOut
      ? ' (stopped waiting at wait-timeout)'
      : ''
  rows.push(['Status', `${status}${description}${stopped}`])
  if (result.findings?.imageScanCompletedAt) {
    rows.push(['Completed', text(result.findings.imageScanCompletedAt.toISOString())])
  }
  if (verdict.thresholdExceeded !== undefined) {
    rows.push(['Threshold exceeded', verdict.thresholdExceeded ? '<b>yes</b>' : 'no'])
  }
  const sources = exploits
    ? [sourceWords('kev', exploits.kev), sourceWords('epss', exploits.epss)].filter(Boolean)
    : []
  if (sources.length > 0)
    rows.push(['Exploit data', sources.map((words) => text(words, 500)).join('<br>')])
  const body = rows.map(([key, value]) => `<tr><th align="left">${key}</th><td>${value}</td></tr>`)
  return `<table>\n${body.join('\n')}\n</table>`
}

/** ECR's ScanFrequency in words, as the registry's scanning rules apply it to the repository. */
const FREQUENCY_WORDS: Record<ScanFrequency, string> = {
  SCAN_ON_PUSH: 'scan on push (registry scanning rule)',
  CONTINUOUS_SCAN: 'continuous scanning (registry scanning rule)',
  MANUAL: 'manual: no scanning rule of the registry covers the repository',
}

function scanOrigin(result: ScanResult): string {
  if (result.scanStarted) return 'started by this run'
  if (result.recentScanReused)
    return 'reused: scanned in the last 24 hours (one scan per image per day)'
  if (result.limitExceeded) return 'reused: the 24-hour scan quota for this image was used up'
  if (result.scanType === 'ENHANCED') return 'by Amazon Inspector (no manual scan)'
  return 'not started'
}

export function severityTable(result: ScanResult): string {
  const counts = result.findings?.severityCounts
  if (!counts) return ''
  const head = SEVERITIES.map((severity) => `<th>${SEVERITY_ICON[severity]} ${severity}</th>`).join(
    '',
  )
  const cells = SEVERITIES.map((severity) => `<td align="right">${counts[severity]}</td>`).join('')
  return `<table>\n<tr>${head}<th>Total</th></tr>\n<tr>${cells}<td align="right"><b>${totalOf(counts)}</b></td></tr>\n</table>`
}

/**
 * Whether a table of these findings has a "Fixed in" column: only when one of them names a
 * fixed version. Basic findings never do, and a column that is always empty says nothing.
 */
export function hasFixedIn(findings: Finding[]): boolean {
  return findings.some((finding) => finding.fixedInVersion !== undefined)
}

/** The head row of a findings table; "Fixed in" only `withFixedIn` (hasFixedIn). */
export function findingsHead(withFixedIn: boolean): string {
  return `<tr><th>Vulnerability</th><th>Severity</th><th>Package</th><th>Installed</th>${withFixedIn ? '<th>Fixed in</th>' : ''}</tr>`
}

/**
 * One finding's row, with the cells findingsHead(withFixedIn) names; with `of`, the KEV mark and
 * EPSS score next to its ID (or that no CVE covers it).
 */
export function findingRow(finding: Finding, withFixedIn: boolean, of?: ExploitsOf): string {
  const words = of ? exploitWords(of(finding)) : ''
  const exploit =
    (isExploitable(finding) ? ` <b>${EXPLOIT_MARK}</b>` : '') +
    (words ? ` <b>${text(words, 100)}</b>` : '')
  const fixedIn = withFixedIn ? `<td>${text(finding.fixedInVersion, 60)}</td>` : ''
  return (
    `<tr><td>${link(finding.uri, text(finding.id, 100))}${exploit}</td><td>${SEVERITY_ICON[finding.severity]} ${text(finding.ecrSeverity, 20)}</td>` +
    `<td>${text(finding.packageName, 100)}</td><td>${text(finding.packageVersion, 60)}</td>${fixedIn}</tr>`
  )
}

/**
 * The most severe findings, one table per severity, at most MAX_FINDING_ROWS rows in all; with
 * exploit data (`of`), the riskiest in one table: in KEV first, then by EPSS score, then severity.
 */
function findingsSection(
  findings: Finding[],
  total: number,
  heading: string,
  of?: ExploitsOf,
): string[] {
  if (total === 0) return ['No vulnerabilities found.', '']
  if (findings.length === 0) return []
  const shown = mostSevere(findings, MAX_FINDING_ROWS, of)
  const most = of ? 'Riskiest' : 'Most severe'
  const lines =
    shown.length < total
      ? [
          `${heading} ${most} findings (${shown.length} of ${total})`,
          '',
          'The rest are in the file of the findings-file output and in the AWS console.',
          '',
        ]
      : [`${heading} Findings`, '']
  return [...lines, ...severityTables(shown, heading, of)]
}

/**
 * One table per severity under a heading of its own, most severe first; with exploit data
 * (`of`), one table in the order given (riskiest first), each row marked.
 */
function severityTables(shown: Finding[], heading: string, of?: ExploitsOf): string[] {
  if (of) return [RISK_ORDER_NOTE, '', ...findingsTable(shown, of), '']
  const lines: string[] = []
  for (const severity of SEVERITIES) {
    const rows = shown.filter((finding) => finding.severity === severity)
    if (rows.length === 0) continue
    lines.push(`${heading}# ${SEVERITY_ICON[severity]} ${severity}`, '', ...findingsTable(rows), '')
  }
  return lines
}

/** `<code>team/api:production</code>`: the baseline as the user named it. */
export function baselineName(baseline: Baseline): string {
  return `<code>${text(baseline.label, 300)}</code>`
}

/**
 * The baseline in one line, for the details table and the pull-request comment: its name and
 * digest, then how this image compares with it, or why it was not compared.
 */
export function describeBaseline(baseline: Baseline, comparison: Comparison | undefined): string {
  const digest = baseline.imageDigest ? ` <code>${text(baseline.imageDigest)}</code>` : ''
  const named = `${baselineName(baseline)}${digest}`
  if (comparison) return `${named}: ${comparisonCounts(comparison)}`
  // Compared, but this image's findings are unknown: nothing to count.
  if (baseline.outcome === 'compared') return named
  return `${named}: ${notCompared(baseline)}`
}

/** "<b>1 new</b>, 2 fixed, 3 unchanged". */
function comparisonCounts({ added, fixed, unchanged }: Comparison): string {
  const news = `${added.length} new`
  return `${added.length > 0 ? `<b>${news}</b>` : news}, ${fixed.length} fixed, ${unchanged.length} unchanged`
}

/** Why a baseline was not compared: "not compared: ECR has no scan of it". */
function notCompared(baseline: Baseline): string {
  return `not compared: ${text(baseline.reason ?? baseline.outcome, 500)}`
}

/** Said above a table in risk order. */
const RISK_ORDER_NOTE =
  "Riskiest first: in CISA's Known Exploited Vulnerabilities catalog (🔥 KEV), then by EPSS score (the chance of exploitation in the next 30 days), then by severity."

/** A plain table of findings, most severe first (already cut to size); `of` marks each row. */
export function findingsTable(shown: Finding[], of?: ExploitsOf): string[] {
  const withFixedIn = hasFixedIn(shown)
  return [
    '<table>',
    findingsHead(withFixedIn),
    ...shown.map((finding) => findingRow(finding, withFixedIn, of)),
    '</table>',
  ]
}

/**
 * compare-to: the findings the baseline lacks, by severity; then the baseline's findings this
 * image no longer has; then the unchanged ones, collapsed. Each list is cut to its most severe.
 */
function comparedSections(
  baseline: Baseline,
  comparison: Comparison,
  heading: string,
  of?: ExploitsOf,
): string[] {
  const { added, fixed, unchanged } = comparison
  const name = baselineName(baseline)
  const cut = (shown: Finding[], all: Finding[], rest: string): string[] =>
    shown.length < all.length
      ? [`The ${shown.length} most severe of ${all.length} are listed; ${rest}.`, '']
      : []
  const lines: string[] = []
  if (added.length === 0) {
    lines.push(`${heading} No new findings since ${name}`, '')
  } else {
    const shown = mostSevere(added, MAX_FINDING_ROWS, of)
    lines.push(
      `${heading} ${added.length} new ${plural(added.length, 'finding')} since ${name}`,
      '',
    )
    lines.push(...cut(shown, added, 'the findings-file output has every finding'))
    lines.push(...severityTables(shown, heading, of))
  }
  if (fixed.length === 0) {
    lines.push(`${heading} Fixed since ${name}: none`, '')
  } else {
    const shown = mostSevere(fixed, MAX_COMPARED_ROWS)
    lines.push(`${heading} Fixed since ${name}: ${fixed.length}`, '')
    lines.push(...cut(shown, fixed, "the baseline's scan in the AWS console has the rest"))
    lines.push(...findingsTable(shown), '')
  }
  if (unchanged.length > 0) {
    const shown = mostSevere(unchanged, MAX_COMPARED_ROWS, of)
    lines.push(
      `<details><summary>${unchanged.length} unchanged ${plural(unchanged.length, 'finding')}, in ${name} too</summary>`,
      '',
      ...cut(shown, unchanged, 'the findings-file output has every finding'),
      ...findingsTable(shown, of),
      '',
      '</details>',
      '',
    )
  }
  return lines
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`
}

/** Rows of the ignored-findings table; all of them are in the findings file. */
export const MAX_IGNORED_ROWS = 100

function ignoredSection(ignored: IgnoredFinding[]): string[] {
  if (ignored.length === 0) return []
  const listed = ignored.slice(0, MAX_IGNORED_ROWS)
  const withFixedIn = hasFixedIn(listed.map(({ finding }) => finding))
  const rows = listed.map(
    ({ finding, rule }) =>
      findingRow(finding, withFixedIn).replace(/<\/tr>$/, '') +
      `<td>${text(rule.reason ?? '', 200)}</td><td>${text(rule.source, 120)}${rule.expires ? `, until ${text(rule.expires)}` : ''}</td></tr>`,
  )
  const more =
    ignored.length > MAX_IGNORED_ROWS
      ? [
          `${ignored.length - MAX_IGNORED_ROWS} more are in the file of the findings-file output.`,
          '',
        ]
      : []
  return [
    `<details><summary>${ignored.length} ignored finding${ignored.length === 1 ? '' : 's'} (not counted above)</summary>`,
    '',
    '<table>',
    findingsHead(withFixedIn).replace('</tr>', '<th>Reason</th><th>Rule</th></tr>'),
    ...rows,
    '</table>',
    '',
    ...more,
    '</details>',
    '',
  ]
}

/** Expired and unmatched ignore rules, for the whole run (they are not about one image). */
export function renderIgnoreNotes(expired: IgnoreRule[], unmatched: IgnoreRule[]): string {
  const lines: string[] = []
  const list = (rules: IgnoreRule[]): string[] =>
    rules
      .slice(0, MAX_IGNORED_ROWS)
      .map(
        (rule) =>
          `> - <code>${text(rule.id, 100)}</code>${rule.package ? ` in ${text(rule.package, 100)}` : ''} (${text(rule.source, 120)})${rule.expires ? `, expires ${text(rule.expires)}` : ''}`,
      )
      .concat(
        rules.length > MAX_IGNORED_ROWS ? [`> - and ${rules.length - MAX_IGNORED_ROWS} more`] : [],
      )
  if (expired.length > 0) {
    lines.push('> [!WARNING]', '> These ignore entries have expired and no longer ignore anything:')
    lines.push(...list(expired), '')
  }
  if (unmatched.length > 0) {
    lines.push(
      '> [!NOTE]',
      '> These ignore entries matched no finding; remove them if they are stale:',
    )
    lines.push(...list(unmatched), '')
  }
  return lines.join('\n')
}

/** GitHub drops a step summary over 1 MiB whole; stay well below it. */
export const MAX_SUMMARY_BYTES = 1000 * 1024

/** Said after a summary cut to fit GitHub's limit. */
export const CUT_NOTE =
  "\n\n> [!NOTE]\n> This was cut here to stay under GitHub's size limit; the findings-file output has every finding.\n"

/**
 * The summary cut at a line boundary to fit `maxBytes`, with open tables and details closed and
 * a note saying so: a shorter summary, never none.
 */
export function fitSummary(markdown: string, maxBytes = MAX_SUMMARY_BYTES): string {
  if (Buffer.byteLength(markdown) <= maxBytes) return markdown
  // 64 bytes are kept for the tags that close what the cut left open.
  const budget = maxBytes - Buffer.byteLength(CUT_NOTE) - 64
  const lines = markdown.split('\n')
  const kept: string[] = []
  let size = 0
  for (const line of lines) {
    size += Buffer.byteLength(line) + 1
    if (size > budget) break
    kept.push(line)
  }
  const body = kept.join('\n')
  const open = (tag: string): number =>
    (body.match(new RegExp(`<${tag}[ >]`, 'g'))?.length ?? 0) -
    (body.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0)
  const closing =
    '</table>'.repeat(Math.max(0, open('table'))) +
    '</details>'.repeat(Math.max(0, open('details')))
  return `${body}\n${closing}${CUT_NOTE}`
}

/** The summary of a run that stopped before it knew which image to scan. */
export function renderFailureOnly(failure: string): string {
  return `## ❌ ECR image scan\n\n> [!CAUTION]\n> ${text(failure, 2000)}\n`
}

/** GitHub drops a step summary over 1 MiB; stop adding image sections well before that. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024
/** Rows of the overview table of a step with many images. */
export const MAX_OVERVIEW_ROWS = 500

/** The step's summary: one image's section, or an overview of every image and their sections. */
export function renderStepSummary(reports: ImageReport[], failure: string | undefined): string {
  const only = reports[0]
  if (reports.length === 1 && only) return renderSummary(only)
  const failed = reports.filter(({ verdict }) => verdict.failure).length
  const warned = reports.some(
    ({ verdict, result }) => verdict.warnings.length > 0 || result.timedOut,
  )
  const icon = failed > 0 ? '❌' : warned ? '⚠️' : '✅'
  const lines = [`## ${icon} ECR image scan: ${reports.length} images`, '']
  if (failure) lines.push('> [!CAUTION]', `> ${text(failure, 4000)}`, '')
  lines.push(overviewTable(reports.slice(0, MAX_OVERVIEW_ROWS)), '')
  if (reports.length > MAX_OVERVIEW_ROWS) {
    lines.push(
      `The \`results\` output has ${countOf(reports.length - MAX_OVERVIEW_ROWS, 'more image')}.`,
      '',
    )
  }
  // A blank line ends the overview's HTML block; without it the first heading is read as HTML.
  let summary = `${lines.join('\n')}\n`
  let omitted = 0
  for (const report of reports) {
    const section = `${renderSummary(report, 3)}\n`
    if (Buffer.byteLength(summary) + Buffer.byteLength(section) > SUMMARY_BUDGET_BYTES) omitted++
    else summary += section
  }
  if (omitted > 0) {
    summary += `\nThe details of ${countOf(omitted, 'image')} are left out to keep the summary under GitHub's 1 MiB limit; the \`results\` output has them.\n`
  }
  return summary
}

function overviewTable(reports: ImageReport[]): string {
  // compare-to: a column of what each image adds to its baseline, blank where none was compared.
  const added = reports.map(({ facts }) => facts.comparison?.added.length)
  const compared = added.some((count) => count !== undefined)
  const head = `<tr><th>Image</th><th>Status</th>${SEVERITIES.map((severity) => `<th>${SEVERITY_ICON[severity]}</th>`).join('')}${compared ? '<th>New</th>' : ''}<th>Verdict</th></tr>`
  const rows = reports.map(({ result, verdict }, index) => {
    const counts = result.findings?.severityCounts
    const cells = SEVERITIES.map(
      (severity) => `<td align="right">${counts ? counts[severity] : ''}</td>`,
    )
    if (compared) cells.push(`<td align="right">${added[index] ?? ''}</td>`)
    const outcome = verdict.failure
      ? '❌ failed'
      : verdict.warnings.length > 0
        ? '⚠️ warning'
        : '✅ passed'
    return `<tr><td><code>${text(imageLabel(result), 300)}</code></td><td>${text(result.scanStatus ?? 'unknown')}${result.timedOut ? ' (timed out)' : ''}</td>${cells.join('')}<td>${outcome}</td></tr>`
  })
  return ['<table>', head, ...rows, '</table>'].join('\n')
}
