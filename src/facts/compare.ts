// compare-to: which findings this push adds, which it fixes, which it keeps. Pure: the scan
// result (after ignore rules) and the baseline's findings in, the three lists out.

import type { Comparison, Finding, ScanResult } from '../kernel/model.js'

/**
 * The keys a finding is known by: its vulnerability ID with each of its packages, lower case
 * (IDs and package names are compared case-insensitively). An enhanced finding that names
 * several packages (`a, b`, as the normaliser joins them) has a key for each.
 */
export function findingKeys(finding: Finding): string[] {
  const id = finding.id.toLowerCase()
  const packages = (finding.packageName ?? '').split(', ').map((name) => name.trim().toLowerCase())
  return [...new Set(packages)].map((name) => `${id}\u0000${name}`)
}

/**
 * How `current` differs from `baseline`: a finding is new when one of its keys (ID and package)
 * is not in the other list, so a known CVE that reaches another package is new there. `ignored`
 * are current findings left out by ignore rules: they are not new, and not fixed either.
 */
export function compareFindings(
  current: Finding[],
  baseline: Finding[],
  ignored: Finding[] = [],
): Comparison {
  const keysIn = (findings: Finding[]): Set<string> => new Set(findings.flatMap(findingKeys))
  const before = keysIn(baseline)
  const now = keysIn([...current, ...ignored])
  const isNew = (finding: Finding): boolean => findingKeys(finding).some((key) => !before.has(key))
  return {
    added: current.filter(isNew),
    unchanged: current.filter((finding) => !isNew(finding)),
    fixed: baseline.filter((finding) => findingKeys(finding).some((key) => !now.has(key))),
  }
}

/**
 * The comparison of a result with its baseline, when one was read (compare-to); else undefined.
 * `suppressed` are findings VEX statements took out: like ignored ones, neither new nor fixed.
 */
export function comparisonOf(
  result: ScanResult,
  suppressed: Finding[] = [],
): Comparison | undefined {
  const { baseline, findings } = result
  if (baseline?.outcome !== 'compared' || !findings) return undefined
  const comparison = compareFindings(findings.list, baseline.findings ?? [], [
    ...(findings.ignored ?? []).map(({ finding }) => finding),
    ...suppressed,
  ])
  // With pages of this image's findings unread, a baseline finding missing from the list may
  // only be unread: nothing is called fixed then. (An unread baseline page errs the safe way:
  // its findings count as new.)
  return findings.unread > 0 ? { ...comparison, fixed: [] } : comparison
}
