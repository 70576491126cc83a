// Cancellation: the runner sends SIGINT, then SIGTERM, when a job is cancelled. While the action
// waits for a scan, either signal ends the step within 2 s, with the outputs and the summary of
// what it knew by then.
import { expect, it } from '@jest/globals'
import { emulatorEnv, emulatorWithImage, expectFailure } from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

const emulator = emulatorWithImage({ durationMs: 600_000 })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves once the first poll has been answered: the action is sleeping until the next. */
async function betweenPolls(): Promise<void> {
  const deadline = Date.now() + 20_000
  while (
    !emulator.requests().some((request) => request.operation === 'DescribeImageScanFindings')
  ) {
    if (Date.now() > deadline) throw new Error('the action never polled')
    await sleep(50)
  }
}

/**
 * Sends `signal` once the action is waiting: between two polls, or (`hung`) while its first
 * poll hangs, which the request log cannot show, since it logs requests as they are answered.
 */
async function cancelWhileWaiting(signal: NodeJS.Signals, hung = false) {
  let signalledAt = 0
  let started: () => void = () => {}
  const scanStarted = new Promise<void>((resolve) => (started = resolve))
  const run = await runAction(
    { repository: 'team/api', 'image-tag': 'v1' },
    {
      env: emulatorEnv(emulator),
      onStdout: (chunk) => {
        if (chunk.includes('Scan started')) started()
      },
      onStart: (child) => {
        const waiting = hung ? scanStarted.then(() => sleep(500)) : betweenPolls()
        void waiting.then(() => {
          signalledAt = Date.now()
          child.kill(signal)
        })
      },
    },
  )
  return { run, exitMs: Date.now() - signalledAt }
}

it.each(['SIGINT', 'SIGTERM'] as const)(
  'ends within 2 s of %s between polls, with outputs and summary',
  async (signal) => {
    const { run, exitMs } = await cancelWhileWaiting(signal)
    expect(exitMs).toBeLessThan(2_000)
    expectFailure(run, /^::error::The job was cancelled while waiting for the scan of team\/api:v1/)
    expect(run.outputs).toMatchObject({
      'scan-status': 'IN_PROGRESS',
      'scan-started': 'true',
      'scan-type': 'BASIC',
      repository: 'team/api',
      'image-digest': expect.stringMatching(/^sha256:/),
    })
    expect(run.summary).toContain('<b>IN_PROGRESS</b>')
  },
)

it('ends within 2 s of SIGTERM while a poll hangs', async () => {
  emulator.injectFault({ kind: 'delay', operation: 'DescribeImageScanFindings', delayMs: 60_000 })
  const { run, exitMs } = await cancelWhileWaiting('SIGTERM', true)
  expect(run.durationMs).toBeLessThan(5_000) // well before the request timeout
  expect(exitMs).toBeLessThan(2_000)
  expectFailure(run, /cancelled while waiting/)
  expect(run.outputs).toMatchObject({ 'scan-started': 'true', 'image-digest': expect.any(String) })
})
