// The job summary of a step that watches many images (a repository pattern), for a person
// reading it the next morning: the totals, the images worst first with their counts, the
// vulnerabilities found in the most images, then each image's section folded, all within
// GitHub's 1 MiB.

import { imageLabel } from '../kernel/image-ref.js'
import { SEVERITIES, type ImageReport } from '../kernel/model.js'
import { countOf } from '../kernel/text.js'
import { mostWidespread, riskMarks, worstFirst } from '../facts/rank.js'
import { text } from './escape.js'
import { EXPLOIT_MARK, KEV_MARK, epssNumber } from './present.js'
import { SEVERITY_ICON, SUMMARY_BUDGET_BYTES, renderSummary } from './summary.js'

/** Rows of the ranked table; the `results` output and the findings file have every image. */
export const MAX_RANKED_ROWS = 500
/** Rows of the table of vulnerabilities found in the most images. */
export const MAX_SHARED_ROWS = 25
/** Images named beside each shared vulnerability; the rest are counted. */
const NAMED_IMAGES = 3

/**
 * The summary of a pattern step: `pattern` as the user wrote it, `reports` in scan order,
 * `failure` the step's error line. At most SUMMARY_BUDGET_BYTES: the sections that do not fit
 * are counted at the end, worst images kept first.
 */
export function renderWatchSummary(
  reports: ImageReport[],
  failure: string | undefined,
  pattern: string,
): string {
  const ranked = worstFirst(reports)
  const failed = reports.filter(({ verdict }) => verdict.failure).length
  const warned = reports.filter(
    ({ verdict, result }) => !verdict.failure && (verdict.warnings.length > 0 || result.timedOut),
  ).length
  const icon = failed > 0 ? '❌' : warned > 0 ? '⚠️' : '✅'
  const lines = [
    `## ${icon} ECR image scan: ${countOf(reports.length, 'image')} in repositories matching \`${text(pattern, 300)}\``,
    '',
  ]
  if (failure) lines.push('> [!CAUTION]', `> ${text(failure, 4000)}`, '')
  lines.push(totals(reports, failed, warned), '')
  lines.push('### Images, worst first', '', rankedTable(ranked.slice(0, MAX_RANKED_ROWS)), '')
  if (ranked.length > MAX_RANKED_ROWS) {
    lines.push(
      `${countOf(ranked.length - MAX_RANKED_ROWS, 'more image')} in the \`results\` output and the findings file.`,
      '',
    )
  }
  const shared = mostWidespread(ranked, MAX_SHARED_ROWS)
  if (shared.length > 0) {
    lines.push('### Vulnerabilities in the most images', '', sharedTable(shared, ranked), '')
  }
  let summary = `${lines.join('\n')}\n### Each image\n\n`
  let omitted = 0
  for (const report of ranked) {
    const section = folded(report)
    if (Buffer.byteLength(summary) + Buffer.byteLength(section) > SUMMARY_BUDGET_BYTES) omitted++
    else summary += section
  }
  if (omitted > 0) {
    summary += `\nThe details of ${countOf(omitted, 'image')} (the least affected) are left out to keep the summary under GitHub's 1 MiB limit; the findings file has every image whole.\n`
  }
  return summary
}

/** Images by verdict, and findings by severity over all images (ECR's counts). */
function totals(reports: ImageReport[], failed: number, warned: number): string {
  const sums = SEVERITIES.map((severity) =>
    reports.reduce((sum, report) => sum + riskMarks(report).counts[severity], 0),
  )
  const affected = reports.filter((report) =>
    SEVERITIES.some((severity) => riskMarks(report).counts[severity] > 0),
  ).length
  const passed = reports.length - failed - warned
  const head = `<tr><th>Images</th><th>❌ failed</th><th>⚠️ warned</th><th>✅ passed</th><th>with findings</th>${SEVERITIES.map((severity) => `<th>${SEVERITY_ICON[severity]} ${severity}</th>`).join('')}</tr>`
  const row = `<tr><td align="right">${reports.length}</td><td align="right">${failed}</td><td align="right">${warned}</td><td align="right">${passed}</td><td align="right">${affected}</td>${sums.map((sum) => `<td align="right">${sum}</td>`).join('')}</tr>`
  return ['<table>', head, row, '</table>'].join('\n')
}

function rankedTable(ranked: ImageReport[]): string {
  const all = ranked.map(riskMarks)
  // KEV and EPSS columns only where some image has the data: a step without the sources shows none.
  const kev = all.some((marks) => marks.kev !== undefined)
  const epss = all.some((marks) => marks.epssMax !== undefined)
  const head = `<tr><th>#</th><th>Image</th><th>Status</th>${kev ? `<th>${KEV_MARK}</th>` : ''}${epss ? '<th>EPSS max</th>' : ''}${SEVERITIES.map((severity) => `<th>${SEVERITY_ICON[severity]}</th>`).join('')}<th>${EXPLOIT_MARK}</th><th>Verdict</th></tr>`
  const rows = ranked.map((report, index) => {
    const { result, verdict } = report
    const marks = all[index] ?? riskMarks(report)
    const risk = `${kev ? `<td align="right">${marks.kev ?? ''}</td>` : ''}${epss ? `<td align="right">${marks.epssMax === undefined ? '' : epssNumber(String(marks.epssMax))}</td>` : ''}`
    const read = result.findings !== undefined
    const cells = SEVERITIES.map(
      (severity) => `<td align="right">${read ? marks.counts[severity] : ''}</td>`,
    )
    const outcome = verdict.failure
      ? '❌ failed'
      : verdict.warnings.length > 0
        ? '⚠️ warning'
        : '✅ passed'
    return `<tr><td align="right">${index + 1}</td><td><code>${text(imageLabel(result), 300)}</code></td><td>${text(result.scanStatus ?? 'unknown')}${result.timedOut ? ' (timed out)' : ''}</td>${risk}${cells.join('')}<td align="right">${read ? marks.exploitable : ''}</td><td>${outcome}</td></tr>`
  })
  return ['<table>', head, ...rows, '</table>'].join('\n')
}

function sharedTable(shared: ReturnType<typeof mostWidespread>, ranked: ImageReport[]): string {
  const head = '<tr><th>Vulnerability</th><th>Severity</th><th>Images</th><th>In</th></tr>'
  const rows = shared.map(({ id, severity, exploitable, images }) => {
    const named = images
      .slice(0, NAMED_IMAGES)
      .map((index) => {
        const report = ranked[index]
        return report ? `<code>${text(imageLabel(report.result), 200)}</code>` : ''
      })
      .join(', ')
    const more = images.length > NAMED_IMAGES ? ` and ${images.length - NAMED_IMAGES} more` : ''
    return `<tr><td>${text(id, 100)}${exploitable ? ` ${EXPLOIT_MARK}` : ''}</td><td>${SEVERITY_ICON[severity]} ${severity}</td><td align="right">${images.length}</td><td>${named}${more}</td></tr>`
  })
  return ['<table>', head, ...rows, '</table>'].join('\n')
}

/** One image's full section, folded under a line with its counts. */
function folded(report: ImageReport): string {
  const marks = riskMarks(report)
  const counts = report.result.findings
    ? SEVERITIES.filter((severity) => marks.counts[severity] > 0)
        .map((severity) => `${marks.counts[severity]} ${severity}`)
        .join(', ') || 'no findings'
    : 'findings not read'
  const icon = report.verdict.failure ? '❌' : report.verdict.warnings.length > 0 ? '⚠️' : '✅'
  return `<details><summary>${icon} <code>${text(imageLabel(report.result), 300)}</code>: ${counts}</summary>\n\n${renderSummary(report, 4)}\n</details>\n\n`
}
