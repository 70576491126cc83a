// Ignore rules applied: which findings they leave out of the counts and the verdict, which rules
// have expired, and which matched nothing. Pure; the rules come parsed from inputs/ignore-rules.ts.

import {
  SEVERITIES,
  emptyCounts,
  type IgnoreRule,
  type IgnoredFinding,
  type ScanResult,
  type SeverityCounts,
} from '../kernel/model.js'
/** A rule ignores through its `expires` day (UTC) and stops the day after. */
export function isExpired(rule: IgnoreRule, now: Date): boolean {
  return rule.expires !== undefined && now.toISOString().slice(0, 10) > rule.expires
}

/** Rules still in force, and those whose date has passed (they warn instead of ignoring). */
export function splitExpired(
  rules: IgnoreRule[],
  now: Date,
): { active: IgnoreRule[]; expired: IgnoreRule[] } {
  return {
    active: rules.filter((rule) => !isExpired(rule, now)),
    expired: rules.filter((rule) => isExpired(rule, now)),
  }
}

export function expiredWarning(rule: IgnoreRule): string {
  return `The ignore entry for ${rule.id}${rule.package ? ` in ${rule.package}` : ''} (${rule.source}) expired on ${rule.expires} and no longer ignores it. Fix the finding, or renew or remove the entry.`
}

/** Whether `rule`, whose ID is the finding's (case-insensitively), covers the finding's package. */
function matches(rule: IgnoreRule, finding: { packageName?: string }): boolean {
  if (rule.package === undefined) return true
  // Enhanced findings list every vulnerable package of the finding, joined by ', '.
  const packages = (finding.packageName ?? '').split(', ').map((name) => name.toLowerCase())
  return packages.includes(rule.package.toLowerCase())
}

/**
 * The result with ignored findings moved out of `list` into `ignored`, and `severityCounts`
 * lowered by them. ECR's counts cover every finding while the list may lack unread pages, so
 * the counts are ECR's minus what was ignored, never a count of the list.
 * `rawSeverityCounts` keeps ECR's numbers. Pass only rules that have not expired.
 */
export function applyIgnoreRules(result: ScanResult, rules: IgnoreRule[]): ScanResult {
  const findings = result.findings
  if (!findings || rules.length === 0) return result
  // The rules by lower-case ID, each list in the given order: the first that matches ignores.
  const byId = new Map<string, IgnoreRule[]>()
  for (const rule of rules) {
    const id = rule.id.toLowerCase()
    const same = byId.get(id)
    if (same) same.push(rule)
    else byId.set(id, [rule])
  }
  const kept = []
  const ignored: IgnoredFinding[] = [...(findings.ignored ?? [])]
  for (const finding of findings.list) {
    const rule = byId
      .get(finding.id.toLowerCase())
      ?.find((candidate) => matches(candidate, finding))
    if (rule) ignored.push({ finding, rule })
    else kept.push(finding)
  }
  const removed = countOf(ignored.slice(findings.ignored?.length ?? 0))
  const severityCounts = emptyCounts()
  for (const severity of SEVERITIES) {
    severityCounts[severity] = Math.max(0, findings.severityCounts[severity] - removed[severity])
  }
  return { ...result, findings: { ...findings, list: kept, ignored, severityCounts } }
}

function countOf(ignored: IgnoredFinding[]): SeverityCounts {
  const counts = emptyCounts()
  for (const { finding } of ignored) counts[finding.severity] += 1
  return counts
}

/** Rules that ignored nothing in any image whose findings were read. */
export function unmatchedRules(rules: IgnoreRule[], results: ScanResult[]): IgnoreRule[] {
  const read = results.filter((result) => result.findings)
  if (read.length === 0) return []
  const used = new Set(read.flatMap((result) => result.findings?.ignored ?? []).map((i) => i.rule))
  return rules.filter((rule) => !used.has(rule))
}

export function ignoredCount(results: ScanResult[]): number {
  return results.reduce((sum, result) => sum + (result.findings?.ignored?.length ?? 0), 0)
}
