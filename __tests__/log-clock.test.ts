// The small ports every scan uses: the log (labelled per platform, buffered per image, written as
// one group) and the system clock's sleep, which a cancelled job must cut short.
import { describe, expect, it } from '@jest/globals'
import { systemClock } from '../src/kernel/clock.js'
import { bufferedLog, labelled, writeGroup, type Log } from '../src/kernel/log.js'

function recorder(): { log: Log; lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    log: {
      info: (message) => lines.push(`info ${message}`),
      notice: (message) => lines.push(`notice ${message}`),
      warning: (message) => lines.push(`warning ${message}`),
      debug: (message) => lines.push(`debug ${message}`),
      startGroup: (title) => lines.push(`group ${title}`),
      endGroup: () => lines.push('endgroup'),
    },
  }
}

describe('labelled', () => {
  it('prefixes every kind of line with the label, at its own level', () => {
    const { log, lines } = recorder()
    const arm = labelled(log, 'linux/arm64')
    arm.info('a')
    arm.notice('b')
    arm.warning('c')
    arm.debug('d')
    expect(lines).toEqual([
      'info [linux/arm64] a',
      'notice [linux/arm64] b',
      'warning [linux/arm64] c',
      'debug [linux/arm64] d',
    ])
  })
})

describe('bufferedLog and writeGroup', () => {
  it('keeps lines until they are written together in one group, in order and at their level', () => {
    const { log, lines } = recorder()
    const buffered = bufferedLog()
    buffered.log.info('one')
    buffered.log.warning('two')
    buffered.log.notice('three')
    buffered.log.debug('four')
    expect(lines).toEqual([])
    writeGroup(log, 'team/api:v1', buffered.lines)
    expect(lines).toEqual([
      'group team/api:v1',
      'info one',
      'warning two',
      'notice three',
      'debug four',
      'endgroup',
    ])
  })

  it('writes no empty group', () => {
    const { log, lines } = recorder()
    writeGroup(log, 'team/api:v1', [])
    expect(lines).toEqual([])
  })

  it('writes the lines without a group to a log that has none', () => {
    const lines: string[] = []
    const plain: Log = {
      info: (message) => lines.push(message),
      notice: (message) => lines.push(message),
      warning: (message) => lines.push(message),
      debug: (message) => lines.push(message),
    }
    writeGroup(plain, 'team/api:v1', [{ level: 'info', message: 'one' }])
    expect(lines).toEqual(['one'])
  })
})

/** The event types of every listener later removed from `signal`. */
function removalsOf(signal: AbortSignal): string[] {
  const removed: string[] = []
  const remove = signal.removeEventListener.bind(signal)
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    removed.push(args[0])
    remove(...args)
  }
  return removed
}

describe('systemClock.sleep', () => {
  it('resolves after the time', async () => {
    const before = systemClock.now()
    await systemClock.sleep(20)
    // Timers may fire a millisecond early by Date's clock; never much earlier.
    expect(systemClock.now() - before).toBeGreaterThanOrEqual(15)
  })

  it('resolves at once for a signal already aborted', async () => {
    // An hour-long sleep: the test would time out if the signal were not honoured.
    await expect(systemClock.sleep(3_600_000, AbortSignal.abort())).resolves.toBeUndefined()
  })

  it('resolves early when the signal aborts, and lets go of the signal and the timer', async () => {
    const controller = new AbortController()
    const signal = controller.signal
    const removed = removalsOf(signal)
    const timers = () =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length
    const before = timers()
    const sleeping = systemClock.sleep(3_600_000, signal)
    expect(timers()).toBe(before + 1)
    controller.abort()
    await expect(sleeping).resolves.toBeUndefined()
    expect(removed).toEqual(['abort'])
    expect(timers()).toBe(before)
  })

  it('lets go of the signal when the time is up', async () => {
    const controller = new AbortController()
    const signal = controller.signal
    const removed = removalsOf(signal)
    await systemClock.sleep(5, signal)
    expect(removed).toEqual(['abort'])
  })
})
