// Cancellation: when a job is cancelled the runner sends SIGINT, SIGTERM 7.5 s later and SIGKILL
// 2.5 s after that. Whether the action sleeps between polls or waits for a poll's answer, either
// signal ends the step before the runner would kill it, with the outputs and the summary of what
// it knew by then.
import { expect, it } from '@jest/globals'
import type { InFlightRequest } from '../tools/emulator/index.ts'
import { emulatorEnv, emulatorWithImage, expectFailure } from './helpers/reliability.js'
import { runAndSignal, waitForLine, type ActionRun } from './helpers/run-action.js'

const emulator = emulatorWithImage({ durationMs: 600_000 })

/**
 * The runner's SIGKILL comes 2.5 s after SIGTERM: an action still running then loses its outputs
 * and summary. The only bound on time here, since it is the one users rely on.
 */
const RUNNER_GRACE_MS = 2_500

/** Sends `signal` to a run of the action once `ready` resolves. */
const cancel = (
  signal: NodeJS.Signals,
  ready: Promise<unknown>,
  onStdout?: (chunk: string) => void,
) =>
  runAndSignal(
    { repository: 'team/api', 'image-tag': 'v1' },
    { env: emulatorEnv(emulator), onStdout },
    signal,
    ready,
  )

function expectCancelledWhileWaiting(run: ActionRun): void {
  expectFailure(run, /^::error::The job was cancelled while waiting for the scan of team\/api:v1/)
  expect(run.outputs).toMatchObject({
    'scan-status': 'IN_PROGRESS',
    'scan-started': 'true',
    'scan-type': 'BASIC',
    repository: 'team/api',
    'image-digest': expect.stringMatching(/^sha256:/),
  })
  expect(run.summary).toContain('<b>IN_PROGRESS</b>')
}

it.each(['SIGINT', 'SIGTERM'] as const)(
  'ends before the runner would kill it after %s between polls, with outputs and summary',
  async (signal) => {
    const requests: InFlightRequest[] = []
    emulator.onRequest((request) => requests.push(request))
    // The action logs a poll's status once it has the answer; the next poll is 2 s away.
    const polled = waitForLine(/^Scan status: IN_PROGRESS\b/)
    let waitingAtSignal: string[] = []
    const ready = polled.line.then(() => {
      waitingAtSignal = requests.filter((r) => !r.answered).map((r) => r.operation)
    })
    const { run, exitMs } = await cancel(signal, ready, polled.onStdout)
    expect(waitingAtSignal).toEqual([])
    expect(exitMs).toBeLessThan(RUNNER_GRACE_MS)
    expectCancelledWhileWaiting(run)
  },
)

it('ends before the runner would kill it after SIGTERM while a poll waits for its answer', async () => {
  emulator.injectFault({ kind: 'delay', operation: 'DescribeImageScanFindings', delayMs: 60_000 })
  const poll = emulator.nextRequest('DescribeImageScanFindings')
  let answeredAtSignal: boolean | undefined
  const ready = poll.then((request) => (answeredAtSignal = request.answered))
  const { run, exitMs } = await cancel('SIGTERM', ready)
  expect(answeredAtSignal).toBe(false)
  expect(exitMs).toBeLessThan(RUNNER_GRACE_MS)
  // The action hung up on the poll: ECR's answer never reached it.
  expect(await (await poll).done).toMatchObject({ abandoned: true })
  expectCancelledWhileWaiting(run)
})

it('ends before the runner would kill it after SIGINT while the SDK backs off from throttling', async () => {
  emulator.injectFault({ kind: 'throttling', operation: 'DescribeImageScanFindings' })
  // After the third throttled answer the SDK waits, with jitter, up to 2 s before the next try.
  let throttled = 0
  let thirdThrottle: () => void = () => {}
  const backingOff = new Promise<void>((resolve) => (thirdThrottle = resolve))
  emulator.onRequest((request) => {
    if (request.operation !== 'DescribeImageScanFindings') return
    void request.done.then((entry) => {
      if (entry.fault === 'throttling' && ++throttled === 3) thirdThrottle()
    })
  })
  const { run, exitMs } = await cancel('SIGINT', backingOff)
  expect(exitMs).toBeLessThan(RUNNER_GRACE_MS)
  expectCancelledWhileWaiting(run)
})
