import { describe, expect, it } from '@jest/globals'
import { FakeClock } from '../__fixtures__/clock.js'
import { pollUntil, type PollAnswer } from '../src/scan/poll.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'

const { pollDelayMs } = WAIT_POLICY

const notYet: PollAnswer<string> = { done: false, reason: 'still IN_PROGRESS' }

describe('pollUntil', () => {
  it('returns as soon as the poll is done, polling at once first', async () => {
    const clock = new FakeClock()
    let calls = 0
    const outcome = await pollUntil({
      clock,
      timeoutMs: 60_000,
      poll: async () => (++calls === 3 ? { done: true, value: 'COMPLETE' } : notYet),
    })
    expect(outcome).toEqual({ outcome: 'done', value: 'COMPLETE' })
    expect(calls).toBe(3)
    expect(clock.sleeps).toEqual([2000, 2000])
  })

  it('can wait one delay before the first poll', async () => {
    const clock = new FakeClock()
    const start = clock.now()
    const polledAt: number[] = []
    await pollUntil({
      clock,
      timeoutMs: 60_000,
      delayFirst: true,
      poll: async () => {
        polledAt.push(clock.now() - start)
        return polledAt.length === 2 ? { done: true, value: 'COMPLETE' } : notYet
      },
    })
    expect(polledAt).toEqual([2000, 4000])
  })

  it('never waits more than 5 s between polls, and at most one poll per 2 s', () => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      expect(pollDelayMs(attempt)).toBeLessThanOrEqual(5000)
      expect(pollDelayMs(attempt)).toBeGreaterThanOrEqual(2000)
    }
  })

  it('stops at the timeout exactly, with the last reason', async () => {
    const clock = new FakeClock()
    const start = clock.now()
    let calls = 0
    const outcome = await pollUntil({
      clock,
      timeoutMs: 4000,
      poll: async () => {
        calls++
        clock.advance(300) // each request takes a while
        return notYet
      },
    })
    expect(outcome).toEqual({ outcome: 'timed-out', reason: 'still IN_PROGRESS' })
    expect(clock.now() - start).toBe(4000)
    expect(calls).toBe(2)
  })

  it('aborts a poll that is still running at the deadline', async () => {
    const clock = new FakeClock()
    const outcome = await pollUntil({
      clock,
      timeoutMs: 50,
      poll: (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    })
    expect(outcome.outcome).toBe('timed-out')
  })

  it('ends as cancelled when the signal aborts', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const outcome = await pollUntil({
      clock,
      signal: controller.signal,
      timeoutMs: 600_000,
      poll: async () => {
        controller.abort()
        return notYet
      },
    })
    expect(outcome.outcome).toBe('cancelled')
  })

  it('lets an error from the poll end the wait', async () => {
    await expect(
      pollUntil({
        clock: new FakeClock(),
        timeoutMs: 10_000,
        poll: async () => {
          throw new Error('AccessDenied')
        },
      }),
    ).rejects.toThrow('AccessDenied')
  })
})
