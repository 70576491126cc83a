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
import type { Clock } from '../kernel/clock.js'
import { isThrottling } from './errors.js'

/**
 * A token bucket holding one second's worth of requests: a short burst (the few calls of one
 * image) goes at once, a long run is held to the rate. Waiters are served first come, first
 * served.
 */
export class RateLimiter {
  readonly maxRate: number
  private rate: number
  private readonly clock: Clock
  private tokens: number
  private refilledAt: number
  private queue: Promise<void> = Promise.resolve()
  private lastDecreaseAt = Number.NEGATIVE_INFINITY
  /** Throttling answers seen, for the log and the benchmarks. */
  throttled = 0

  constructor(requestsPerSecond: number, clock: Clock) {
    this.maxRate = requestsPerSecond
    this.rate = requestsPerSecond
    this.clock = clock
    // One short of full: ECR's (or the emulator's) bucket is full too, and paced requests that
    // arrive a little closer together than they left then still find a token waiting.
    this.tokens = Math.max(1, this.capacity - 1)
    this.refilledAt = clock.now()
  }

  get currentRate(): number {
    return this.rate
  }

  private get capacity(): number {
    return Math.max(1, this.rate)
  }

  private refill(): void {
    const now = this.clock.now()
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.refilledAt) * this.rate) / 1000,
    )
    this.refilledAt = now
  }

  /** Waits for this request's turn; throws if `signal` aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill()
      if (this.tokens < 1) {
        await this.clock.sleep(((1 - this.tokens) * 1000) / this.rate, signal)
        this.refill()
      }
      if (!signal?.aborted) this.tokens -= 1
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
    // A throttled burst must not go on with what is left in the bucket.
    this.tokens = Math.min(this.tokens, 0)
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
