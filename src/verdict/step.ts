// The step's verdict, from every image's: the one failure line the step ends with.

import { imageLabel } from '../kernel/image-ref.js'
import type { ImageReport } from '../kernel/model.js'

/** Failure lines shown in full in the step's one error line; the rest are counted. */
const MAX_LISTED_FAILURES = 5

/**
 * The step's one failure line from every image's verdict: an image's own line when it is the
 * only image, else how many failed and why, image by image.
 */
export function stepFailure(reports: ImageReport[]): string | undefined {
  const failed = reports.filter((report) => report.verdict.failure)
  if (failed.length === 0) return undefined
  if (reports.length === 1) return failed[0]?.verdict.failure
  const listed = failed
    .slice(0, MAX_LISTED_FAILURES)
    .map((report) => `${imageLabel(report.result)}: ${report.verdict.failure}`)
  const more =
    failed.length > MAX_LISTED_FAILURES
      ? ` … and ${failed.length - MAX_LISTED_FAILURES} more; the job summary lists them.`
      : ''
  return `${failed.length} of ${reports.length} images failed. ${listed.join(' | ')}${more}`
}
