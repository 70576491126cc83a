// The order findings are listed and chosen in, everywhere: the summary's tables, the annotations,
// the SARIF file's cut, the failure line's examples. One comparator, so they all agree.

import { SEVERITIES, type Finding } from '../kernel/model.js'

/** Most severe first, then highest score, then by ID, so the order is stable. */
export function mostSevere(findings: Finding[], limit: number): Finding[] {
  return [...findings].sort(severer).slice(0, limit)
}

/** The order of mostSevere, as a comparator: negative when `a` comes first. */
export function severer(a: Finding, b: Finding): number {
  const rank = (finding: Finding): number => SEVERITIES.indexOf(finding.severity)
  return rank(a) - rank(b) || (b.score ?? 0) - (a.score ?? 0) || a.id.localeCompare(b.id)
}
