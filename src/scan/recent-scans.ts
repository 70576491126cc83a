// Nightly re-runs and the quota: a basic scan is allowed once per image per 24 hours, so an
// image scanned in the last day is reported from that scan instead of being asked for another
// (which ECR would refuse, one LimitExceededException per image).

import type { ECRClient } from '@aws-sdk/client-ecr'
import { describeFindingsPage, type FindingsPage } from '../ecr/findings.js'
import type { ResolvedImage } from '../kernel/model.js'

/** ECR's basic-scan quota window: one scan per image per 24 hours. */
export const RECENT_SCAN_MS = 24 * 60 * 60 * 1000

/**
 * True when `page` is a COMPLETE scan whose imageScanCompletedAt is less than 24 hours before
 * `now` (ms since the epoch): another scan would only spend the request on the quota error.
 */
export function isRecentScan(page: FindingsPage, now: number): boolean {
  const completedAt = page.imageScanCompletedAt?.getTime()
  return (
    page.scanStatus === 'COMPLETE' &&
    completedAt !== undefined &&
    now - completedAt < RECENT_SCAN_MS
  )
}

/**
 * The image's existing scan when it completed in the last 24 hours (its first page of findings,
 * which the wait then starts from), else undefined: no scan, an older one, one still running, or
 * an error reading it (the scan is then started as usual, and the error, if it lasts, is met
 * there).
 */
export async function readRecentScan(
  client: ECRClient,
  image: ResolvedImage,
  now: number,
  signal?: AbortSignal,
): Promise<FindingsPage | undefined> {
  try {
    const page = await describeFindingsPage(client, image, undefined, signal)
    return page !== 'scan-not-found' && isRecentScan(page, now) ? page : undefined
  } catch {
    return undefined
  }
}
