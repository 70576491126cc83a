// The order findings are listed and chosen in, everywhere: the summary's tables, the annotations,
// the SARIF file's cut, the failure line's examples. One comparator, so they all agree.

import {
  SEVERITIES,
  type ExploitFacts,
  type Finding,
  type FindingExploits,
} from '../kernel/model.js'

/** What the exploit sources say about a finding, for ordering; undefined when nothing. */
export type ExploitsOf = (finding: Finding) => FindingExploits | undefined

/**
 * Riskiest first: with `exploitsOf`, findings in CISA KEV first, then by highest EPSS score
 * (an unscored finding last); then most severe, highest CVSS score, and by ID, so the order is
 * stable.
 */
export function mostSevere(findings: Finding[], limit: number, exploitsOf?: ExploitsOf): Finding[] {
  return [...findings].sort((a, b) => severer(a, b, exploitsOf)).slice(0, limit)
}

/** The order of mostSevere, as a comparator: negative when `a` comes first. */
export function severer(a: Finding, b: Finding, exploitsOf?: ExploitsOf): number {
  return riskier(a, b, exploitsOf) || bySeverity(a, b)
}

function riskier(a: Finding, b: Finding, exploitsOf?: ExploitsOf): number {
  if (!exploitsOf) return 0
  const kev = (finding: Finding): number => (exploitsOf(finding)?.kev ? 0 : 1)
  const epss = (finding: Finding): number => Number(exploitsOf(finding)?.epss?.epss ?? -1)
  return kev(a) - kev(b) || epss(b) - epss(a)
}

function bySeverity(a: Finding, b: Finding): number {
  const rank = (finding: Finding): number => SEVERITIES.indexOf(finding.severity)
  return rank(a) - rank(b) || (b.score ?? 0) - (a.score ?? 0) || a.id.localeCompare(b.id)
}

/** The lookup of mostSevere over the exploit facts of one or more images. */
export function exploitsOfFacts(facts: (ExploitFacts | undefined)[]): ExploitsOf | undefined {
  const known = facts.filter((fact) => fact !== undefined)
  if (known.length === 0) return undefined
  return (finding) => {
    for (const fact of known) {
      const found = fact.byFinding.get(finding)
      if (found) return found
    }
    return undefined
  }
}
