// Real DescribeImageScanFindings answers replayed: a response as ECR or the AWS CLI gave it becomes
// a scan profile whose answer is that response, placeholder values and all.
import type { ScanFindingsResponse, ScanProfile } from './types.ts'

// The timestamp members of ImageScanFindings and of the shapes below it, in ECR's API model.
const TIMESTAMP_MEMBERS: ReadonlySet<string> = new Set([
  'imageScanCompletedAt',
  'vulnerabilitySourceUpdatedAt',
  'firstObservedAt',
  'lastObservedAt',
  'updatedAt',
  'vendorCreatedAt',
  'vendorUpdatedAt',
  'pushedAt',
  'lastInUseAt',
])

/** A copy whose timestamps are epoch seconds, as on the wire; the AWS CLI prints ISO strings. */
export function withWireTimestamps<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withWireTimestamps) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => {
      const ms = typeof member === 'string' ? Date.parse(member) : NaN
      const wire = TIMESTAMP_MEMBERS.has(key) && !Number.isNaN(ms) ? ms / 1000 : member
      return [key, withWireTimestamps(wire)]
    }),
  ) as T
}

/**
 * A profile whose scan, once done, answers with `response`'s status, description and
 * `imageScanFindings` as they are. A response without `imageScanFindings` leaves them to the
 * profile's defaults (none, unless the status is one that carries findings).
 */
export function scanProfileFromResponse(response: ScanFindingsResponse): ScanProfile {
  const status: unknown = response?.imageScanStatus?.status
  if (typeof status !== 'string') {
    throw new Error('a DescribeImageScanFindings response needs imageScanStatus.status')
  }
  return {
    outcome: status,
    description: response.imageScanStatus.description ?? null,
    ...('imageScanFindings' in response
      ? { imageScanFindings: response.imageScanFindings ?? null }
      : {}),
  }
}
