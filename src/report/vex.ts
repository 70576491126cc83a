// What the VEX statements decided, shown: the folded sections of the job summary and the
// pull-request comment, and the note on statements that matched nothing. Renders facts/vex.ts's
// decisions; never matches anything itself.

import type { VexDecision, VexFacts } from '../kernel/model.js'
import type { VexStatement } from '../kernel/vex.js'
import { text } from './escape.js'

/** Rows of each VEX table; the findings file has every finding. */
export const MAX_VEX_ROWS = 100

/** Why the statement decided so: its justification and impact statement, or its action statement. */
export function vexReason({ statement }: Pick<VexDecision, 'statement'>): string {
  const said = [statement.justification, statement.impactStatement ?? statement.actionStatement]
  return said.filter(Boolean).join(': ')
}

function row({ finding, statement }: VexDecision): string {
  const cells = [
    `<code>${text(finding.id, 100)}</code>`,
    text(finding.ecrSeverity, 20),
    text(finding.packageName ?? '', 120),
    text(statement.status, 40),
    text(vexReason({ statement }), 300),
    `${text(statement.document, 200)} ${text(statement.place, 40)}`,
  ]
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`
}

const HEAD =
  '<tr><th>Vulnerability</th><th>Severity</th><th>Package</th><th>Status</th><th>Why</th><th>Document</th></tr>'

function table(title: string, decisions: VexDecision[]): string[] {
  if (decisions.length === 0) return []
  const more = decisions.length - MAX_VEX_ROWS
  return [
    `<details><summary>${title}</summary>`,
    '',
    '<table>',
    HEAD,
    ...decisions.slice(0, MAX_VEX_ROWS).map(row),
    '</table>',
    '',
    ...(more > 0 ? [`${more} more are in the file of the findings-file output.`, ''] : []),
    '</details>',
    '',
  ]
}

/**
 * One image's VEX sections, folded: the findings statements suppressed (not counted), then the
 * findings kept whose statement says affected (with its action statement) or under_investigation.
 */
export function vexSections(vex: VexFacts): string[] {
  const suppressed = vex.suppressed.length
  const kept = vex.kept.length
  return [
    ...table(
      `${suppressed} finding${suppressed === 1 ? '' : 's'} suppressed by VEX statements (not counted above)`,
      vex.suppressed,
    ),
    ...table(
      `${kept} counted finding${kept === 1 ? '' : 's'} with a VEX statement (affected or under investigation)`,
      vex.kept,
    ),
  ]
}

/** Statements that applied to no finding of this run, for the whole step (like unmatched ignore entries). */
export function renderVexNotes(unmatched: VexStatement[]): string {
  if (unmatched.length === 0) return ''
  const listed = unmatched
    .slice(0, MAX_VEX_ROWS)
    .map(
      (statement) =>
        `> - <code>${text(statement.vulnerability, 100)}</code> ${text(statement.status, 40)} (${text(statement.document, 200)} ${text(statement.place, 40)})`,
    )
  const more =
    unmatched.length > MAX_VEX_ROWS ? [`> - and ${unmatched.length - MAX_VEX_ROWS} more`] : []
  return [
    '> [!NOTE]',
    '> These VEX statements matched no finding of this run (another image, or a vulnerability it does not have):',
    ...listed,
    ...more,
    '',
  ].join('\n')
}

/** The log line for statements that matched nothing; undefined when every one matched. */
export function vexNoteLine(unmatched: VexStatement[]): string | undefined {
  if (unmatched.length === 0) return undefined
  const count = unmatched.length
  return `${count} VEX statement${count === 1 ? '' : 's'} matched no finding of this run; the job summary lists them.`
}
