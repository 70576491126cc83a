import type { Clock } from '../clock.js'
import { isThrottling } from './errors.js'

/** Throttling that outlasts the SDK's retries is waited out this many more times. */
export const THROTTLED_CALL_ATTEMPTS = 4

/**
 * Calls ECR again when throttling outlasted the SDK's retries (after 1 s, 2 s, 3 s): by then the
 * step's rate limiter has slowed down, and one busy moment must not fail an image. Any other
 * error, or a cancelled job, ends it at once.
 */
export async function patiently<T>(
  clock: Clock,
  signal: AbortSignal | undefined,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const giveUp = !isThrottling(error) || attempt >= THROTTLED_CALL_ATTEMPTS || signal?.aborted
      if (giveUp) throw error
      await clock.sleep(1000 * attempt, signal)
    }
  }
}
