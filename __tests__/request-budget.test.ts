// The step's one request budget: a burst within the rate goes at once, a longer run waits only
// as long as it must, a cancelled waiter gives its turn back, and every request of a limited
// client, through the real SDK, takes its turn and reports throttling.
import { describe, expect, it } from '@jest/globals'
import { DescribeImagesCommand } from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import { RateLimiter, limitRequests } from '../src/ecr/rate-limit.js'
import { fakeEcr } from './helpers/ecr-transport.js'

describe('RateLimiter', () => {
  it('lets a burst one short of a second of requests through without waiting', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(5, clock)
    for (let i = 0; i < 4; i++) await limiter.take()
    expect(clock.sleeps).toEqual([])
    await limiter.take()
    expect(clock.sleeps).toEqual([200])
  })

  it('waits only for the part of a turn still missing', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(2, clock)
    await limiter.take()
    await limiter.take()
    clock.advance(250)
    await limiter.take()
    // The second waited a whole turn (the bucket starts one short); the third only the rest.
    expect(clock.sleeps).toEqual([500, 250])
  })

  it('refills while idle: after a pause the next requests go at once', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(1, clock)
    await limiter.take()
    await limiter.take()
    expect(clock.sleeps).toEqual([1000])
    clock.advance(5000)
    await limiter.take()
    expect(clock.sleeps).toEqual([1000])
  })

  it('lets no turns build up while a request waits, even when the rate rises meanwhile', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(1, clock)
    limiter.onThrottled()
    expect(limiter.currentRate).toBe(0.5)
    const sleep = clock.sleep.bind(clock)
    // Another request succeeds while this one waits for its turn.
    clock.sleep = async (ms, signal) => {
      limiter.onSuccess()
      return sleep(ms, signal)
    }
    await limiter.take()
    await limiter.take()
    // The bucket holds one turn at most: the first wait fills it, the first request takes it,
    // and the second waits a whole turn at the rate it then has (0.6 a second).
    expect(clock.sleeps[0]).toBe(2000)
    expect(clock.sleeps[1]).toBeCloseTo(1000 / 0.6)
  })

  it('gives the turn of a cancelled waiter back', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(1, clock)
    await limiter.take()
    const controller = new AbortController()
    controller.abort()
    await expect(limiter.take(controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Request aborted',
    })
    await limiter.take()
    expect(clock.sleeps).toEqual([1000])
  })
})

describe('limitRequests', () => {
  it('makes every request of the client wait for its turn', async () => {
    const clock = new FakeClock()
    const ecr = fakeEcr()
    limitRequests(ecr.client, new RateLimiter(1, clock))
    const command = new DescribeImagesCommand({ repositoryName: 'team/api' })
    await ecr.client.send(command)
    await ecr.client.send(command)
    await ecr.client.send(command)
    expect(ecr.sent).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 1000])
  })

  it('halves the rate when ECR throttles, and wins it back with successes', async () => {
    const clock = new FakeClock()
    const ecr = fakeEcr()
    const limiter = new RateLimiter(10, clock)
    limitRequests(ecr.client, limiter)
    ecr.answer(
      { status: 400, error: 'ThrottlingException', message: 'Rate exceeded' },
      { body: {} },
    )
    const command = new DescribeImagesCommand({ repositoryName: 'team/api' })
    await expect(ecr.client.send(command)).rejects.toThrow('Rate exceeded')
    expect(limiter.throttled).toBe(1)
    expect(limiter.currentRate).toBe(5)
    await ecr.client.send(command)
    expect(limiter.currentRate).toBe(6)
  })

  it('takes one turn per request when a client is limited twice', async () => {
    const clock = new FakeClock()
    const ecr = fakeEcr()
    const limiter = new RateLimiter(1, clock)
    limitRequests(ecr.client, limiter)
    limitRequests(ecr.client, limiter)
    const command = new DescribeImagesCommand({ repositoryName: 'team/api' })
    await ecr.client.send(command)
    await ecr.client.send(command)
    expect(clock.sleeps).toEqual([1000])
  })

  it('does not count an error that is no throttling', async () => {
    const clock = new FakeClock()
    const ecr = fakeEcr()
    const limiter = new RateLimiter(10, clock)
    limitRequests(ecr.client, limiter)
    ecr.answer({ status: 400, error: 'RepositoryNotFoundException', message: 'no such repository' })
    await expect(
      ecr.client.send(new DescribeImagesCommand({ repositoryName: 'team/api' })),
    ).rejects.toThrow('no such repository')
    expect(limiter.throttled).toBe(0)
    expect(limiter.currentRate).toBe(10)
  })
})
