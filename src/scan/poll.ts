// The wait loop, instead of the SDK's waitUntilImageScanComplete: that waiter accepts only
// COMPLETE (so ACTIVE always times out), retries every error until maxWaitTime, and backs off
// to 120 s between polls. This one polls every 2–3 s and stops at the deadline exactly.

import type { Clock } from '../kernel/clock.js'
import { WAIT_POLICY } from '../kernel/wait-policy.js'

export type PollAnswer<T> = { done: true; value: T } | { done: false; reason: string }

export type WaitOutcome<T> =
  | { outcome: 'done'; value: T }
  | { outcome: 'timed-out'; reason: string }
  | { outcome: 'cancelled'; reason: string }

/**
 * Calls `poll` until it is done, the deadline passes (an in-flight poll is aborted then), or
 * `signal` aborts. `poll` decides what a status or an error means; what it throws ends the wait.
 */
export async function pollUntil<T>(options: {
  poll: (signal: AbortSignal) => Promise<PollAnswer<T>>
  timeoutMs: number
  clock: Clock
  signal?: AbortSignal
  /** Delay before poll number `attempt` (default: WAIT_POLICY's). */
  delayMs?: (attempt: number) => number
  /** Wait one delay before the first poll (a scan this run just started is not done yet). */
  delayFirst?: boolean
}): Promise<WaitOutcome<T>> {
  const { poll, timeoutMs, clock, signal } = options
  const delayMs = options.delayMs ?? WAIT_POLICY.pollDelayMs
  const deadline = clock.now() + timeoutMs
  let reason = 'no answer yet'
  if (options.delayFirst) await clock.sleep(Math.min(delayMs(0), timeoutMs), signal)
  for (let attempt = options.delayFirst ? 1 : 0; ; attempt++) {
    if (signal?.aborted) return { outcome: 'cancelled', reason }
    const remaining = deadline - clock.now()
    if (remaining <= 0) return { outcome: 'timed-out', reason }
    const timeout = AbortSignal.timeout(Math.ceil(remaining))
    const pollSignal = signal ? AbortSignal.any([signal, timeout]) : timeout
    let answer: PollAnswer<T>
    try {
      answer = await poll(pollSignal)
    } catch (error) {
      if (signal?.aborted) return { outcome: 'cancelled', reason }
      if (timeout.aborted) return { outcome: 'timed-out', reason }
      throw error
    }
    if (answer.done) return { outcome: 'done', value: answer.value }
    reason = answer.reason
    const left = deadline - clock.now()
    if (left <= 0) return { outcome: 'timed-out', reason }
    await clock.sleep(Math.min(delayMs(attempt), left), signal)
  }
}
