// Workflow annotations for the most severe findings. GitHub shows 10 warnings per step, and the
// one failure line is the step's only error, so findings are warnings within what is left of
// those 10, followed by one notice that says how many more the summary holds.

import { formatImage } from '../kernel/image-ref.js'
import {
  isExploitable,
  totalOf,
  type Finding,
  type ImageReport,
  type ScanResult,
} from '../kernel/model.js'
import { EXPLOIT_MARK, exploitWords, findingLine } from './present.js'
import { exploitsOfFacts, mostSevere } from '../facts/order.js'
import { plainLine } from '../kernel/text.js'

/** GitHub shows at most this many warning annotations per step. */
export const MAX_WARNING_ANNOTATIONS = 10

export interface AnnotationSpec {
  level: 'warning' | 'notice'
  title: string
  message: string
}

export interface AnnotationOptions {
  /** Warning annotations still free in this step (10 less those already shown). */
  max: number
}

/**
 * The findings the verdict considers (each report's `facts.considered`: only-new and
 * only-fixable narrow them), riskiest first (facts/order.ts: KEV, then EPSS, then severity, when
 * exploit sources were asked), as warnings with their KEV mark and EPSS score; then a notice
 * counting the rest.
 */
export function findingAnnotations(
  reports: ImageReport[],
  { max }: AnnotationOptions,
): AnnotationSpec[] {
  const candidates: { finding: Finding; image: string }[] = []
  const words = new Set<string>()
  let total = 0
  for (const { result, facts } of reports) {
    const considered = facts.considered
    if (!considered) continue
    // ECR's counts include findings whose pages could not be read; a narrowed list knows only itself.
    total += totalOf(considered.counts)
    words.add(considered.words)
    const image = shortImage(result)
    for (const finding of considered.list) candidates.push({ finding, image })
  }
  const imageOf = new Map(candidates.map(({ finding, image }) => [finding, image]))
  const of = exploitsOfFacts(reports.map(({ facts }) => facts.exploits))
  const shown = mostSevere(
    candidates.map(({ finding }) => finding),
    Math.max(0, Math.min(max, MAX_WARNING_ANNOTATIONS)),
    of,
  )
  const specs: AnnotationSpec[] = shown.map((finding) => {
    const exploits = of ? exploitWords(of(finding)) : ''
    return {
      level: 'warning',
      title: plainLine(
        `${isExploitable(finding) ? `${EXPLOIT_MARK}: ` : ''}${exploits && exploits !== 'not covered (no CVE)' ? `${exploits}: ` : ''}${finding.ecrSeverity} vulnerability in ${imageOf.get(finding)}`,
        200,
      ),
      message: `${findingLine(finding)}${exploits ? `; ${exploits}` : ''} — ${imageOf.get(finding)}`,
    }
  })
  const more = total - shown.length
  if (more > 0) {
    // Images that were compared and images that were not: "new" holds for some only, while
    // only-fixable narrows every image alike.
    const kind =
      words.size === 1
        ? [...words][0]
        : [...words].every((w) => w.includes('fixable'))
          ? 'fixable '
          : ''
    specs.push({
      level: 'notice',
      title: 'More findings',
      message: `${more} more ${kind}finding${more === 1 ? '' : 's'} than annotated here: see the job summary, and the findings-file output for all of them.`,
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
