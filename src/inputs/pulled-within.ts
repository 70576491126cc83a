// pulled-within: how recently an image must have been pulled to be watched, in whole days.
// ECR records `lastRecordedPullTime` at least once a day, so days are the finest unit it keeps.

/** Days accepted: ECR keeps pull times for as long as the image exists; a year is plenty. */
export const MAX_PULLED_WITHIN_DAYS = 365

/**
 * `7` or `7d` → 7 (days, 1 to 365); undefined for anything else, for the caller to name the input.
 */
export function parsePulledWithin(value: string): number | undefined {
  const match = /^([0-9]{1,3})d?$/i.exec(value.trim())
  if (!match?.[1]) return undefined
  const days = Number(match[1])
  return days >= 1 && days <= MAX_PULLED_WITHIN_DAYS ? days : undefined
}
