// What the verdict considers of an image's findings, decided once and carried on its report: the
// verdict counts it, the annotations show it.

import {
  emptyCounts,
  isFixable,
  type Comparison,
  type Considered,
  type ScanFindings,
} from '../kernel/model.js'

/** The inputs that narrow what the verdict considers. */
export interface Narrowing {
  /** only-new: only findings the baseline lacks, where a baseline was compared. */
  onlyNew: boolean
  /** only-fixable: only findings Inspector says have a fix. */
  onlyFixable: boolean
}

/**
 * The findings the verdict considers, and their counts per severity: `findings` (after ignore
 * rules), narrowed by only-new to the comparison's additions (every finding when no baseline was
 * compared) and by only-fixable. ECR's own counts (less ignored findings) serve while no filter
 * applies: they count findings whose pages could not be read too. A filter counts the listed
 * findings it keeps. Undefined while the findings are unknown.
 */
export function consideredFindings(
  findings: ScanFindings | undefined,
  comparison: Comparison | undefined,
  { onlyNew, onlyFixable }: Narrowing,
): Considered | undefined {
  if (!findings) return undefined
  const narrowed = onlyNew ? comparison : undefined
  let list = narrowed ? narrowed.added : findings.list
  if (onlyFixable) list = list.filter(isFixable)
  const words = `${narrowed ? 'new ' : ''}${onlyFixable ? 'fixable ' : ''}`
  if (!narrowed && !onlyFixable) return { counts: findings.severityCounts, list, words }
  const counts = emptyCounts()
  for (const finding of list) counts[finding.severity] += 1
  return { counts, list, words }
}
