// Workflow annotations for the most severe findings. GitHub shows 10 warnings per step, and the
// one failure line is the step's only error, so findings are warnings within what is left of
// those 10, followed by one notice that says how many more the summary holds.

import { formatImage } from '../image-ref.js'
import { isFixable, totalOf, type Finding, type ScanResult } from '../model.js'
import { findingLine, mostSevere } from './present.js'
import { plainLine } from '../text.js'

/** GitHub shows at most this many warning annotations per step. */
export const MAX_WARNING_ANNOTATIONS = 10

export interface AnnotationSpec {
  level: 'warning' | 'notice'
  title: string
  message: string
}

export interface AnnotationOptions {
  /** Only findings Inspector says have a fix (only-fixable). */
  onlyFixable: boolean
  /** Warning annotations still free in this step (10 less those already shown). */
  max: number
}

export function findingAnnotations(
  results: ScanResult[],
  { onlyFixable, max }: AnnotationOptions,
): AnnotationSpec[] {
  const candidates: { finding: Finding; image: string }[] = []
  let total = 0
  for (const result of results) {
    const findings = result.findings
    if (!findings) continue
    const list = onlyFixable ? findings.list.filter(isFixable) : findings.list
    // ECR's counts include findings whose pages could not be read; only-fixable knows the list only.
    total += onlyFixable ? list.length : totalOf(findings.severityCounts)
    const image = shortImage(result)
    for (const finding of list) candidates.push({ finding, image })
  }
  const imageOf = new Map(candidates.map(({ finding, image }) => [finding, image]))
  const shown = mostSevere(
    candidates.map(({ finding }) => finding),
    Math.max(0, Math.min(max, MAX_WARNING_ANNOTATIONS)),
  )
  const specs: AnnotationSpec[] = shown.map((finding) => ({
    level: 'warning',
    title: plainLine(`${finding.ecrSeverity} vulnerability in ${imageOf.get(finding)}`, 200),
    message: `${findingLine(finding)} — ${imageOf.get(finding)}`,
  }))
  const more = total - shown.length
  if (more > 0) {
    specs.push({
      level: 'notice',
      title: 'More findings',
      message: `${more} more ${onlyFixable ? 'fixable ' : ''}finding${more === 1 ? '' : 's'} than annotated here: see the job summary, and the findings-file output for all of them.`,
    })
  }
  return specs
}

/** team/api:v1, or team/api@sha256:0123456789ab when no tag was given. */
function shortImage(result: ScanResult): string {
  const { target } = result
  if (target.imageTag) return formatImage({ ...target, imageDigest: undefined })
  const digest = result.image?.imageDigest ?? target.imageDigest
  return `${target.repositoryName}${digest ? `@${digest.slice(0, 19)}` : ''}`
}
