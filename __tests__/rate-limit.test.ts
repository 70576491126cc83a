import { describe, expect, it } from '@jest/globals'
import { FakeClock } from '../__fixtures__/clock.js'
import { RateLimiter } from '../src/ecr/rate-limit.js'

describe('RateLimiter', () => {
  it('lets a burst one short of a second’s worth through, then holds to the rate, in order', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(5, clock)
    const start = clock.now()
    const times: number[] = []
    for (let i = 0; i < 8; i++) {
      await limiter.take()
      times.push(clock.now() - start)
    }
    // One short of full at the start: the server's bucket is full too, so paced requests that
    // arrive closer together than they left still find a token.
    expect(times).toEqual([0, 0, 0, 0, 200, 400, 600, 800])
  })

  it('stops a throttled burst at once', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(4, clock)
    await limiter.take()
    limiter.onThrottled()
    const before = clock.now()
    await limiter.take()
    expect(clock.now() - before).toBe(500) // an empty bucket at half the rate
  })

  it('halves the rate on throttling, once a second, and wins it back on success', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(8, clock)
    limiter.onThrottled()
    expect(limiter.currentRate).toBe(4)
    limiter.onThrottled() // the same throttled moment
    expect(limiter.currentRate).toBe(4)
    clock.advance(1000)
    limiter.onThrottled()
    expect(limiter.currentRate).toBe(2)
    expect(limiter.throttled).toBe(3)
    limiter.onSuccess()
    expect(limiter.currentRate).toBeCloseTo(2.8)
    for (let i = 0; i < 100; i++) limiter.onSuccess()
    expect(limiter.currentRate).toBe(8)
  })

  it('never slows below an eighth of the rate', () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(16, clock)
    for (let i = 0; i < 20; i++) {
      limiter.onThrottled()
      clock.advance(1000)
    }
    expect(limiter.currentRate).toBe(2)
  })

  it('gives up the wait when the signal aborts', async () => {
    const limiter = new RateLimiter(1, new FakeClock())
    await limiter.take()
    const controller = new AbortController()
    controller.abort()
    await expect(limiter.take(controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })
})
