// Slow answers past the client's request timeout (src/ecr/client.ts): a stalled attempt is
// abandoned and retried, a server that never answers ends in a clear failure, and a stalled poll
// never holds the step past wait-timeout. Three emulators, so the three runs overlap.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { REQUEST_TIMEOUT_MS } from '../src/ecr/client.js'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { basicFinding, emulatorEnv, expectFailure, expectSettled } from './helpers/reliability.js'
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
  const inputs = { repository: 'team/api', 'image-tag': 'v1', 'wait-timeout': '3' }
  const [retried, failed, timedOut] = await Promise.all([
    runAction(inputs, { env: emulatorEnv(once) }),
    runAction(inputs, { env: emulatorEnv(always, { AWS_MAX_ATTEMPTS: '1' }) }),
    runAction(inputs, { env: emulatorEnv(polls) }),
  ])
  const bound = REQUEST_TIMEOUT_MS + 8_000

  expectSettled(retried)
  expect(retried.exitCode).toBe(0)
  expect(retried.outputs).toMatchObject({ 'scan-status': 'COMPLETE', high: '1' })
  expect(retried.durationMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS)
  expect(retried.durationMs).toBeLessThan(bound)

  expectFailure(failed, /StartImageScan/, /TimeoutError/, /re-run the job/)
  expect(failed.outputs['image-digest']).toMatch(/^sha256:/)
  expect(failed.durationMs).toBeLessThan(bound)

  // The poll is aborted at the deadline, before the request timeout.
  expectFailure(timedOut, /did not finish within wait-timeout \(3 s/)
  expect(timedOut.durationMs).toBeLessThan(3_000 + 6_000)
}, 40_000)
