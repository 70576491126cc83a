// One request budget for the whole step, shared by every image and every SDK retry: ECR
// publishes no rate for StartImageScan and the Describe* calls, and N waiting images must not
// mean N times the requests. Throttling halves the rate; successes win it back (AIMD).

import type { ECRClient } from '@aws-sdk/client-ecr'
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  MetadataBearer,
} from '@smithy/types'
import type { Clock } from '../clock.js'
import { isThrottling } from './errors.js'

export class RateLimiter {
  readonly maxRate: number
  private rate: number
  private readonly clock: Clock
  /** When the last request was let through, and the queue of those waiting for their turn. */
  private lastGrantAt = Number.NEGATIVE_INFINITY
  private queue: Promise<void> = Promise.resolve()
  private lastDecreaseAt = Number.NEGATIVE_INFINITY
  /** Throttling answers seen, for the log and the benchmarks. */
  throttled = 0

  constructor(requestsPerSecond: number, clock: Clock) {
    this.maxRate = requestsPerSecond
    this.rate = requestsPerSecond
    this.clock = clock
  }

  get currentRate(): number {
    return this.rate
  }

  /**
   * Waits for this request's turn (first come, first served); throws if `signal` aborts. Turns
   * are spaced from the time the previous one was really given, so a stalled event loop does
   * not release a burst to catch up.
   */
  async take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      const wait = this.lastGrantAt + 1000 / this.rate - this.clock.now()
      if (wait > 0) await this.clock.sleep(wait, signal)
      if (!signal?.aborted) this.lastGrantAt = this.clock.now()
    })
    this.queue = turn
    await turn
    if (signal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' })
  }

  /**
   * Halves the rate, at most once a second: one throttled moment shows up as several throttled
   * attempts (the SDK's retries, other images), and each must not halve it again.
   */
  onThrottled(): void {
    this.throttled++
    const now = this.clock.now()
    if (now - this.lastDecreaseAt < 1000) return
    this.lastDecreaseAt = now
    this.rate = Math.max(this.maxRate / 8, this.rate / 2)
  }

  onSuccess(): void {
    this.rate = Math.min(this.maxRate, this.rate + this.maxRate / 10)
  }
}

/** Puts every attempt of every request of `client` (retries included) through `limiter`. */
export function limitRequests(client: ECRClient, limiter: RateLimiter): void {
  const middleware =
    <Input extends object, Output extends MetadataBearer>(
      next: FinalizeHandler<Input, Output>,
      context: HandlerExecutionContext,
    ) =>
    async (args: FinalizeHandlerArguments<Input>) => {
      // The SDK keeps the send() call's abort signal here; a deadline or cancellation must cut
      // the wait for a turn too, not only the request.
      const smithy = (context as { __smithy_context?: { abortSignal?: AbortSignal } })
        .__smithy_context
      await limiter.take(smithy?.abortSignal)
      try {
        const result = await next(args)
        limiter.onSuccess()
        return result
      } catch (error) {
        if (isThrottling(error)) limiter.onThrottled()
        throw error
      }
    }
  client.middlewareStack.addRelativeTo(middleware, {
    name: 'ecrImageScanRateLimit',
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    override: true,
  })
}
