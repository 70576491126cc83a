// How the wait loop spends its requests and how it ends: 2 s between the first polls, 3 s after,
// and a cancelled job stops even a poll that is still on the wire.
import { describe, expect, it } from '@jest/globals'
import { FakeClock } from '../__fixtures__/clock.js'
import { pollUntil, type PollAnswer } from '../src/scan/poll.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'

const { pollDelayMs } = WAIT_POLICY

const notYet: PollAnswer<string> = { done: false, reason: 'still IN_PROGRESS' }

describe('the poll cadence', () => {
  it('polls every 2 s for the first 15 polls, then every 3 s', async () => {
    expect([13, 14, 15, 16].map(pollDelayMs)).toEqual([2000, 2000, 3000, 3000])
    const clock = new FakeClock()
    let calls = 0
    await pollUntil({
      clock,
      timeoutMs: 600_000,
      poll: async () => (++calls === 18 ? { done: true, value: 'COMPLETE' } : notYet),
    })
    expect(clock.sleeps).toEqual([...Array(15).fill(2000), 3000, 3000])
  })
})

describe('the end of a wait', () => {
  it('says there was no answer yet when the time is up before the first poll', async () => {
    const outcome = await pollUntil({
      clock: new FakeClock(),
      timeoutMs: 0,
      poll: async () => notYet,
    })
    expect(outcome).toEqual({ outcome: 'timed-out', reason: 'no answer yet' })
  })

  it('aborts the poll in flight when the job is cancelled, and ends as cancelled', async () => {
    const controller = new AbortController()
    let aborted = false
    const outcome = await pollUntil<string>({
      clock: new FakeClock(),
      signal: controller.signal,
      timeoutMs: 600_000,
      poll: (signal) =>
        new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true
            reject(new Error('The operation was aborted'))
          })
          // An answer that comes too late: the cancellation must have ended the poll first.
          setTimeout(() => resolve({ done: true, value: 'COMPLETE' }), 200)
          controller.abort()
        }),
    })
    expect(aborted).toBe(true)
    expect(outcome).toEqual({ outcome: 'cancelled', reason: 'no answer yet' })
  })
})
