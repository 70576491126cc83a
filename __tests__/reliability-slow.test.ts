// Slow answers past the client's request timeout (src/ecr/client.ts): a stalled attempt is
// abandoned and retried, a server that never answers ends in a clear failure, and a stalled poll
// never holds the step past wait-timeout. Three emulators, so the three runs overlap.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import {
  answered,
  basicFinding,
  emulatorEnv,
  expectFailure,
  expectSettled,
} from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

const STALL_MS = 60_000
const emulators: Emulator[] = []

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const emulator = await startEmulator()
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scanProfile: { durationMs: 0, findings: [basicFinding('CVE-2024-0001', 'HIGH')] },
    })
    emulators.push(emulator)
  }
})

afterAll(async () => {
  await Promise.all(emulators.map((emulator) => emulator.close()))
})

it('abandons stalled requests after the request timeout, retrying or failing clearly', async () => {
  const [once, always, polls] = emulators as [Emulator, Emulator, Emulator]
  once.injectFault({ kind: 'delay', operation: 'DescribeImages', delayMs: STALL_MS, times: 1 })
  always.injectFault({ kind: 'delay', operation: 'StartImageScan', delayMs: STALL_MS })
  polls.injectFault({ kind: 'delay', operation: 'DescribeImageScanFindings', delayMs: STALL_MS })
  // The first stalled request of each: the log shows whether the action hung up on it.
  const stalled = [
    once.nextRequest('DescribeImages'),
    always.nextRequest('StartImageScan'),
    polls.nextRequest('DescribeImageScanFindings'),
  ].map((arrival) => arrival.then((request) => request.done))
  const inputs = { repository: 'team/api', 'image-tag': 'v1', 'wait-timeout': '3' }
  const [retried, failed, timedOut] = await Promise.all([
    runAction(inputs, { env: emulatorEnv(once) }),
    runAction(inputs, { env: emulatorEnv(always, { AWS_MAX_ATTEMPTS: '1' }) }),
    runAction(inputs, { env: emulatorEnv(polls) }),
  ])
  // Every stall is STALL_MS, longer than this test may run: each run ended by hanging up.
  for (const entry of await Promise.all(stalled)) expect(entry.abandoned).toBe(true)

  expectSettled(retried)
  expect(retried.exitCode).toBe(0)
  expect(retried.outputs).toMatchObject({ 'scan-status': 'COMPLETE', high: '1' })
  expect(answered(once, 'DescribeImages').map((entry) => entry.abandoned ?? false)).toEqual([
    true,
    false,
  ])

  expectFailure(failed, /StartImageScan/, /TimeoutError/, /re-run the job/)
  expect(failed.outputs['image-digest']).toMatch(/^sha256:/)

  // The deadline aborted the poll, not the poll's own request timeout (which the action would
  // have logged as an interrupted poll, and retried).
  expectFailure(timedOut, /did not finish within wait-timeout \(3 s/)
  expect(timedOut.stdout).not.toContain('Polling was interrupted')
  expect(answered(polls, 'DescribeImageScanFindings')).toEqual([
    expect.objectContaining({ abandoned: true }),
  ])
}, 40_000)
