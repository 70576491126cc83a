// The step's verdict, from every image's: the one failure line the step ends with.

import { imageLabel } from '../kernel/image-ref.js'
import type { ExploitData, ImageReport } from '../kernel/model.js'
import type { VerdictSettings } from '../inputs/settings.js'

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

/**
 * One warning for each exploit source that could not be read while no gate needs it (a gate
 * that does reacts in each image's verdict): which source, why, and what the report lacks.
 */
export function sourceWarnings(
  exploits: ExploitData,
  settings: Pick<VerdictSettings, 'failOnKev' | 'failOnEpss'>,
): string[] {
  const warnings: string[] = []
  if (exploits.kev.state === 'failed' && !settings.failOnKev) {
    warnings.push(
      `CISA's KEV catalog could not be read: ${exploits.kev.reason ?? 'no reason given'}. The report shows no KEV marks; re-run later, or point kev-url at a mirror.`,
    )
  }
  if (exploits.epss.state === 'failed' && settings.failOnEpss === undefined) {
    warnings.push(
      `EPSS could not be read: ${exploits.epss.reason ?? 'no reason given'}. The report shows no EPSS scores; re-run later, or point epss-url at a mirror.`,
    )
  }
  return warnings
}
