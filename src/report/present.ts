// How one finding is ordered and said, shared by the summary, annotations, SARIF and the PR comment.

import { SEVERITIES, type Finding } from '../kernel/model.js'
import { plainLine } from '../kernel/text.js'

/**
 * Said next to a finding with a known exploit (Inspector's exploitAvailable) in the summary, the
 * pull-request comment and the annotations: a word, so it reads without the symbol too.
 */
export const EXPLOIT_MARK = '⚠ exploit'

/** Most severe first, then highest score, then by ID, so the order is stable. */
export function mostSevere(findings: Finding[], limit: number): Finding[] {
  return [...findings].sort(severer).slice(0, limit)
}

/** The order of mostSevere, as a comparator: negative when `a` comes first. */
export function severer(a: Finding, b: Finding): number {
  const rank = (finding: Finding): number => SEVERITIES.indexOf(finding.severity)
  return rank(a) - rank(b) || (b.score ?? 0) - (a.score ?? 0) || a.id.localeCompare(b.id)
}

/** "CVE-1 (HIGH) in openssl 3.0.1, fixed in 3.0.2": one line, shared with the annotations. */
export function findingLine(finding: Finding): string {
  const where = finding.packageName
    ? ` in ${finding.packageName}${finding.packageVersion ? ` ${finding.packageVersion}` : ''}`
    : ''
  const fix = finding.fixedInVersion
    ? `, fixed in ${finding.fixedInVersion}`
    : finding.fixAvailable === 'NO'
      ? ', no fix available'
      : ', fixed version not known'
  return plainLine(`${finding.id} (${finding.ecrSeverity})${where}${fix}`)
}
