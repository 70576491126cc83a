// The bundle against an emulator that misbehaves: throttling, 5xx, connection resets, malformed
// answers and failures in the middle of the findings' pages. Each run ends with the right result
// after retries, or with one clear failure, within wait-timeout plus a bounded retry time.
import { THROTTLED_ATTEMPTS_FACTOR } from '../src/ecr/client.js'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { ManualClock, startEmulator, type EnhancedFinding } from '../tools/emulator/index.ts'
import {
  answered,
  basicFinding,
  emulatorEnv,
  emulatorWithImage,
  expectFailure,
  expectSettled,
} from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

const WAIT_TIMEOUT_S = 5
/**
 * The promise each run is held to: faults never keep the step past wait-timeout plus the SDK's
 * bounded retries (throttling back-off: up to 1 s, then 2 s). Generous, for start-up on a busy
 * machine; what it catches is a step that retries or waits without end.
 */
const RETRY_BOUND_MS = 15_000
// Annotations of the findings are left out: the warnings here are the faults'.
const INPUTS = {
  repository: 'team/api',
  'image-tag': 'v1',
  'wait-timeout': `${WAIT_TIMEOUT_S}`,
  annotations: 'false',
}
const FINDINGS = [
  basicFinding('CVE-2024-0001', 'HIGH'),
  basicFinding('CVE-2024-0002', 'HIGH'),
  basicFinding('CVE-2024-0003', 'LOW'),
]
const RIGHT_RESULT = {
  'scan-status': 'COMPLETE',
  'scan-started': 'true',
  'findings-total': '3',
  high: '2',
  low: '1',
}

const emulator = emulatorWithImage({ durationMs: 0, findings: FINDINGS })

async function run(env: Record<string, string> = {}, waitTimeoutS = WAIT_TIMEOUT_S) {
  const inputs = { ...INPUTS, 'wait-timeout': `${waitTimeoutS}` }
  const result = await runAction(inputs, { env: emulatorEnv(emulator, env) })
  expectSettled(result)
  // What the run knew is in the outputs, whatever happened.
  expect(result.outputs).toMatchObject({ repository: 'team/api', 'image-tag': 'v1' })
  expect(result.durationMs).toBeLessThan(waitTimeoutS * 1000 + RETRY_BOUND_MS)
  return result
}

describe('throttling', () => {
  it('retries bursts on every operation, and polls again when a burst outlasts the retries', async () => {
    emulator.injectFault({ kind: 'throttling', operation: 'DescribeImages', times: 2 })
    emulator.injectFault({
      kind: 'too-many-requests',
      operation: 'GetRegistryScanningConfiguration',
      times: 1,
    })
    emulator.injectFault({ kind: 'throttling', operation: 'StartImageScan', times: 1 })
    // With AWS_MAX_ATTEMPTS 1 a throttled call is sent THROTTLED_ATTEMPTS_FACTOR (3) times: all
    // attempts of the first poll and one of the second.
    emulator.injectFault({ kind: 'throttling', operation: 'DescribeImageScanFindings', times: 4 })
    // The action halves its request rate on each throttled second, so the second poll comes
    // later than the SDK's retries alone would send it.
    const result = await run({ AWS_MAX_ATTEMPTS: '1' }, 15)
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject(RIGHT_RESULT)
    expect(result.stdout).toMatch(/Polling was interrupted \(Rate exceeded\); trying again\./)
    expect(answered(emulator, 'StartImageScan')).toHaveLength(2)
    expect(emulator.requests().filter((request) => request.fault)).toHaveLength(8)
  })

  it('gets through a requests-per-second limit that only refills later', async () => {
    // On a clock of its own, the limit lets the first three requests through and throttles the
    // poll; each throttled answer moves time on a second, which refills it: no dependence on how
    // fast this machine is.
    const clock = new ManualClock()
    const limited = await startEmulator({ clock })
    limited.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scanProfile: { durationMs: 0, findings: FINDINGS },
    })
    limited.setRateLimit(3)
    limited.onAnswered((entry) => {
      if (entry.fault === 'rate-limit') clock.advance(1000)
    })
    try {
      const result = await runAction(INPUTS, { env: emulatorEnv(limited) })
      expectSettled(result)
      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject(RIGHT_RESULT)
      const polls = limited.requests().filter((r) => r.operation === 'DescribeImageScanFindings')
      expect(polls[0]?.fault).toBe('rate-limit')
      expect(polls.at(-1)?.status).toBe(200)
    } finally {
      await limited.close()
    }
  })

  it('fails clearly when throttling never ends, naming the operation and what to do', async () => {
    emulator.injectFault({ kind: 'throttling', operation: 'DescribeImages' })
    const result = await run({ AWS_MAX_ATTEMPTS: '1' })
    expectFailure(result, /^::error::ECR did not answer DescribeImages for team\/api:v1/, /re-run/)
    // One retry layer, the SDK's: a throttled call is sent AWS_MAX_ATTEMPTS (1) × 3 times, no more.
    expect(answered(emulator, 'DescribeImages')).toHaveLength(THROTTLED_ATTEMPTS_FACTOR)
    expect(answered(emulator, 'StartImageScan')).toHaveLength(0)
  })

  it('stops at wait-timeout when every poll is throttled', async () => {
    emulator.injectFault({ kind: 'throttling', operation: 'DescribeImageScanFindings' })
    const result = await run({ AWS_MAX_ATTEMPTS: '1' })
    expectFailure(
      result,
      /ECR kept failing while the action waited for the scan of team\/api:v1 \(its last known status: IN_PROGRESS\): every poll in 5 s failed, the last with: Rate exceeded/,
    )
    expect(result.stdout).toMatch(/Stopped waiting after 5 s: the last poll failed: Rate exceeded/)
    expect(result.outputs).toMatchObject({ 'scan-started': 'true', 'scan-status': 'IN_PROGRESS' })
  })
})

describe('server errors and broken connections', () => {
  it('retries 500 and 503 answers to the right result', async () => {
    emulator.injectFault({ kind: 'service-unavailable', operation: 'DescribeImages', times: 2 })
    emulator.injectFault({ kind: 'server-error', operation: 'StartImageScan', times: 2 })
    emulator.injectFault({ kind: 'server-error', operation: 'DescribeImageScanFindings', times: 1 })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject(RIGHT_RESULT)
    expect(answered(emulator, 'StartImageScan')).toHaveLength(3)
  })

  it('retries connection resets to the right result', async () => {
    emulator.injectFault({ kind: 'connection-reset', operation: 'DescribeImages', times: 1 })
    emulator.injectFault({
      kind: 'connection-reset',
      operation: 'DescribeImageScanFindings',
      times: 2,
    })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject(RIGHT_RESULT)
  })

  it('fails clearly on a server that keeps answering 500, with what is known', async () => {
    emulator.injectFault({ kind: 'server-error', operation: 'StartImageScan' })
    const result = await run({ AWS_MAX_ATTEMPTS: '2' })
    expectFailure(result, /StartImageScan/, /ServerException/, /re-run the job/)
    expect(result.outputs['image-digest']).toMatch(/^sha256:/)
    expect(result.outputs['scan-started']).toBe('false')
  })

  it('fails clearly when every connection is reset', async () => {
    emulator.injectFault({ kind: 'connection-reset' })
    const result = await run({ AWS_MAX_ATTEMPTS: '2' })
    expectFailure(result, /ECR did not answer DescribeImages/, /re-run the job/)
  })
})

describe('malformed answers', () => {
  it('polls again after an answer that is not JSON', async () => {
    emulator.injectFault({
      kind: 'malformed-body',
      operation: 'DescribeImageScanFindings',
      times: 1,
    })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject(RIGHT_RESULT)
  })

  it('fails clearly, without the SDK internals, when the answers stay malformed', async () => {
    emulator.injectFault({ kind: 'malformed-body', operation: 'DescribeImages' })
    const result = await run()
    const error = expectFailure(
      result,
      /^::error::ECR's answer to DescribeImages for team\/api:v1 could not be read \(it was not the JSON ECR sends\)/,
      /re-run the job/,
    )
    expect(error).not.toMatch(/\$response|Deserialization/)
  })
})

describe('failures in the middle of the findings pages', () => {
  // Enhanced pages hold 100 findings: 250 take three pages.
  const MANY: EnhancedFinding[] = Array.from({ length: 250 }, (_, i) => ({
    severity: i < 10 ? 'CRITICAL' : 'MEDIUM',
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${i}`,
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-2024-${String(i).padStart(4, '0')}`,
      vulnerablePackages: [{ name: `pkg-${i}`, version: '1.0', fixedInVersion: '1.1' }],
    },
  }))

  beforeEach(() => {
    emulator.reset()
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scanProfile: { durationMs: 0, enhancedFindings: MANY },
    })
  })

  it('retries a failed page and reads every finding', async () => {
    emulator.injectFault({
      kind: 'server-error',
      operation: 'DescribeImageScanFindings',
      requests: { from: 2, to: 2 },
    })
    emulator.injectFault({
      kind: 'connection-reset',
      operation: 'DescribeImageScanFindings',
      requests: { from: 4, to: 4 },
    })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      'scan-status': 'ACTIVE',
      'findings-total': '250',
      critical: '10',
      medium: '240',
    })
    expect(result.commands('warning')).toEqual([])
    expect(result.summary).toContain('Most severe findings (50 of 250)')
    expect(result.summary).not.toContain('could not be read')
    // The first page twice (enhanced findings count once two reads agree), then pages 2 and 3.
    const pages = answered(emulator, 'DescribeImageScanFindings').filter((r) => r.status === 200)
    expect(pages).toHaveLength(4)
  })

  it('keeps the complete counts and warns when the later pages cannot be read', async () => {
    emulator.injectFault({
      kind: 'server-error',
      operation: 'DescribeImageScanFindings',
      // After the two reads that settle the findings: only the later pages fail.
      requests: { from: 3, to: 1000 },
    })
    const result = await run({ AWS_MAX_ATTEMPTS: '2' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ 'findings-total': '250', critical: '10' })
    expect(result.commands('warning')).toEqual([
      expect.stringMatching(
        /^::warning::Could not read every page of findings of team\/api:v1 \(Internal server error\)/,
      ),
    ])
    expect(result.summary).toContain(
      '150 findings could not be read from ECR; the counts include them.',
    )
  })
})
