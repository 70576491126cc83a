// Which of many images matter most, for a step that watches a registry: each image's risk marks
// and one order over them, worst first, and the vulnerabilities found in the most images. Known
// exploitation (CISA KEV) and exploit likelihood (EPSS) are marks here, read from the facts.

import { SEVERITIES, type Finding, type ImageReport, type Severity } from '../kernel/model.js'
import { isExploitable } from '../kernel/model.js'

/** What ranks one image among others; every field is a count of its findings. */
export interface RiskMarks {
  /** Findings per severity, after ignore rules (ECR's counts: every finding, read or not). */
  counts: Record<Severity, number>
  /** Findings with a known exploit (Inspector's exploitAvailable: YES; basic scans carry none). */
  exploitable: number
  /** Findings read that are in CISA's KEV catalog; undefined when the catalog was not read. */
  kev?: number
  /** The highest EPSS score (0 to 1) among the findings read; undefined when none is scored. */
  epssMax?: number
}

/** `report`'s risk marks, from its result's counts and the findings read. */
export function riskMarks(report: ImageReport): RiskMarks {
  const findings = report.result.findings
  const counts = Object.fromEntries(
    SEVERITIES.map((severity) => [severity, findings?.severityCounts[severity] ?? 0]),
  ) as Record<Severity, number>
  const marks: RiskMarks = { counts, exploitable: findings?.list.filter(isExploitable).length ?? 0 }
  const exploits = report.facts.exploits
  if (!exploits || !findings) return marks
  const known = findings.list.map((finding) => exploits.byFinding.get(finding))
  if (exploits.kev.state === 'read') marks.kev = known.filter((found) => found?.kev).length
  const scores = known.flatMap((found) => (found?.epss ? [Number(found.epss.epss)] : []))
  if (scores.length > 0) marks.epssMax = Math.max(...scores)
  return marks
}

/**
 * Negative when image `a` is worse than `b`: a failed verdict first, then more findings in CISA's
 * KEV catalog, then the higher EPSS score, then more exploitable findings, then more findings at
 * each severity from CRITICAL down (the risk order findings are listed in); ties keep their order.
 */
export function worse(a: ImageReport, b: ImageReport): number {
  const failed = Number(Boolean(b.verdict.failure)) - Number(Boolean(a.verdict.failure))
  if (failed !== 0) return failed
  const ma = riskMarks(a)
  const mb = riskMarks(b)
  if ((mb.kev ?? 0) !== (ma.kev ?? 0)) return (mb.kev ?? 0) - (ma.kev ?? 0)
  if ((mb.epssMax ?? -1) !== (ma.epssMax ?? -1)) return (mb.epssMax ?? -1) - (ma.epssMax ?? -1)
  if (mb.exploitable !== ma.exploitable) return mb.exploitable - ma.exploitable
  for (const severity of SEVERITIES) {
    const difference = mb.counts[severity] - ma.counts[severity]
    if (difference !== 0) return difference
  }
  return 0
}

/** The reports, worst first (a stable sort by `worse`); the input is left as it was. */
export function worstFirst(reports: ImageReport[]): ImageReport[] {
  return [...reports].sort(worse)
}

/** One vulnerability and the images it was found in. */
export interface SharedVulnerability {
  id: string
  /** Its most severe rating among the images. */
  severity: Severity
  /** Whether any image's finding has a known exploit. */
  exploitable: boolean
  /** Indexes into the reports given, in their order. */
  images: number[]
}

/**
 * The vulnerabilities found in the most images, most images first (then most severe, then by
 * ID), at most `limit`. Each image counts once per ID, whatever its packages; only the findings
 * read count (ECR's counts say how many exist).
 */
export function mostWidespread(reports: ImageReport[], limit: number): SharedVulnerability[] {
  const byId = new Map<string, SharedVulnerability>()
  reports.forEach((report, index) => {
    for (const finding of report.result.findings?.list ?? []) note(byId, finding, index)
  })
  const rank = (severity: Severity): number => SEVERITIES.indexOf(severity)
  return [...byId.values()]
    .sort(
      (a, b) =>
        b.images.length - a.images.length ||
        rank(a.severity) - rank(b.severity) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, limit)
}

function note(byId: Map<string, SharedVulnerability>, finding: Finding, index: number): void {
  const shared = byId.get(finding.id)
  if (!shared) {
    byId.set(finding.id, {
      id: finding.id,
      severity: finding.severity,
      exploitable: isExploitable(finding),
      images: [index],
    })
    return
  }
  if (SEVERITIES.indexOf(finding.severity) < SEVERITIES.indexOf(shared.severity)) {
    shared.severity = finding.severity
  }
  shared.exploitable ||= isExploitable(finding)
  if (shared.images.at(-1) !== index) shared.images.push(index)
}
