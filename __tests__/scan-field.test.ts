// What real registries do, replayed on scanImage with a mocked ECR client and virtual time:
// statuses the wait must keep, enhanced findings that arrive after COMPLETE, scanning rules that
// leave a repository out, a role without ecr:StartImageScan, another account's registry.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
  type EnhancedImageScanFinding,
  type GetRegistryScanningConfigurationCommandOutput,
  type ScanStatus,
} from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import { realAnswer } from '../__fixtures__/realdata.js'
import { type FlatSettings, settingsWith, verdictOf } from '../__fixtures__/results.js'
import { describeFailure } from '../src/kernel/errors.js'
import type { Log } from '../src/kernel/log.js'
import { scanImage } from '../src/scan/image.js'
import { WAIT_POLICY, type WaitPolicy } from '../src/kernel/wait-policy.js'

const { emptySettleMs: EMPTY_SETTLE_MS, settleIntervalMs: SETTLE_INTERVAL_MS } = WAIT_POLICY

const DIGEST = `sha256:${'c'.repeat(64)}`
const START = 1_000_000
const ecr = mockClient(ECRClient)
const client = new ECRClient({ region: 'us-east-1' })

type FindingsAnswer = Partial<DescribeImageScanFindingsCommandOutput>

function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })
}

function status(scanStatus: string, description?: string): FindingsAnswer {
  return { imageScanStatus: { status: scanStatus as ScanStatus, description } }
}

/** Inspector findings: `critical` CRITICAL ones, the rest HIGH, with matching counts. */
function enhanced(total: number, critical: number): FindingsAnswer {
  const list: EnhancedImageScanFinding[] = Array.from({ length: total }, (_, i) => ({
    severity: i < critical ? 'CRITICAL' : 'HIGH',
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-2026-${1000 + i}`,
      vulnerablePackages: [{ name: 'openssl', version: '3.0.1' }],
    },
  }))
  return {
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: {
      findingSeverityCounts: { CRITICAL: critical, HIGH: total - critical },
      enhancedFindings: list,
    },
  }
}

/** ECR's answer seconds before Inspector's findings arrive, as reported against the AWS SDK. */
const completeBeforeFindings = realAnswer<FindingsAnswer>(
  'findings/enhanced-scan-on-push-complete-before-findings-arrive.json',
)

function registry(
  scanType: 'BASIC' | 'ENHANCED',
  rules: readonly { scanFrequency: string; filters: readonly string[] }[] = [],
): Partial<GetRegistryScanningConfigurationCommandOutput> {
  return {
    registryId: '123456789012',
    scanningConfiguration: {
      scanType,
      rules: rules.map((rule) => ({
        scanFrequency: rule.scanFrequency as 'SCAN_ON_PUSH',
        repositoryFilters: rule.filters.map((filter) => ({ filter, filterType: 'WILDCARD' })),
      })),
    },
  }
}

let clock: FakeClock
let lines: { level: keyof Log; message: string }[]
const log: Log = {
  info: (message) => lines.push({ level: 'info', message }),
  notice: (message) => lines.push({ level: 'notice', message }),
  warning: (message) => lines.push({ level: 'warning', message }),
  debug: (message) => lines.push({ level: 'debug', message }),
}
const logged = (level: keyof Log) =>
  lines.filter((line) => line.level === level).map((line) => line.message)

async function scan(
  overrides: Partial<FlatSettings> = {},
  signal?: AbortSignal,
  policy: WaitPolicy = WAIT_POLICY,
) {
  const settings = settingsWith(overrides)
  const [request] = settings.images
  if (!request) throw new Error('no image')
  const outcomes = await scanImage(request, settings.scan, {
    client: () => client,
    clock,
    log,
    signal,
    registryScanTypes: new Map(),
    policy,
  })
  expect(outcomes).toHaveLength(1)
  const [outcome] = outcomes
  if (!outcome) throw new Error('no outcome')
  return { ...outcome, verdict: verdictOf(outcome.result, settings, outcome.error) }
}

function imageIn(repositoryName: string, registryId = '123456789012'): void {
  ecr.on(DescribeImagesCommand).resolves({
    imageDetails: [{ registryId, repositoryName, imageDigest: DIGEST, imageTags: ['v1'] }],
  })
}

beforeEach(() => {
  ecr.reset()
  clock = new FakeClock(START)
  lines = []
  imageIn('team/api')
  ecr.on(GetRegistryScanningConfigurationCommand).resolves(registry('BASIC'))
  ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
})

describe('what the wait saw is what the step reports', () => {
  it('keeps IN_PROGRESS and its description after the quota error and a timeout', async () => {
    ecr
      .on(StartImageScanCommand)
      .rejects(
        awsError(
          'LimitExceededException',
          'The scan quota per image has been exceeded. Wait and try again.',
        ),
      )
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(status('IN_PROGRESS', 'The scan is in progress.'))
    const { result, verdict } = await scan({ waitTimeoutSeconds: 5 })
    expect(result).toMatchObject({
      limitExceeded: true,
      timedOut: true,
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: 'The scan is in progress.',
    })
    expect(verdict.failure).toContain('its last status was IN_PROGRESS (The scan is in progress).')
    expect(verdict.failure).not.toContain('none')
  })

  it('keeps the last status when the job is cancelled during the wait', async () => {
    const cancel = new AbortController()
    let polls = 0
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      polls += 1
      if (polls === 2) cancel.abort()
      return status('IN_PROGRESS', 'Scanning.')
    })
    const { result, error } = await scan({}, cancel.signal)
    expect(result).toMatchObject({ scanStatus: 'IN_PROGRESS', timedOut: false })
    expect(describeFailure(error)).toContain(
      'cancelled while waiting for the scan of team/api:v1 (its last status was IN_PROGRESS (Scanning.))',
    )
  })

  it('keeps polling a status it has never seen until the timeout, then quotes it', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(status('IMAGE_QUARANTINED', 'Held for review by the registry.'))
    const { result, verdict } = await scan({ waitTimeoutSeconds: 20 })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).length).toBeGreaterThan(5)
    expect(clock.now() - START).toBe(20_000)
    expect(result).toMatchObject({ timedOut: true, scanStatus: 'IMAGE_QUARANTINED' })
    expect(verdict.failure).toContain(
      'ECR last answered IMAGE_QUARANTINED (Held for review by the registry), a status this action does not know',
    )
  })

  it('keeps the last status when a later poll fails for good', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('IN_PROGRESS', 'Scanning.'))
      .rejects(awsError('AccessDeniedException', 'not authorized to perform this'))
    const { result, error } = await scan()
    expect(result.scanStatus).toBe('IN_PROGRESS')
    expect(result.scanStatusDescription).toBe('Scanning.')
    expect(describeFailure(error)).toContain('ecr:DescribeImageScanFindings')
  })

  it('says ECR kept failing, with the last error, when every poll failed', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(awsError('ServerException', 'We encountered an internal error.', 500))
    const { result, verdict } = await scan({ waitTimeoutSeconds: 10 })
    expect(result.lastPollError).toBe('We encountered an internal error.')
    expect(verdict.failure).toContain('ECR kept failing')
    expect(verdict.failure).toContain('the last with: We encountered an internal error')
  })
})

describe('a failed scan that still has counts', () => {
  it('reads its findings, so the threshold is known, and still fails on the status', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      ...status('FAILED', 'Scan stopped early.'),
      imageScanFindings: {
        findingSeverityCounts: { HIGH: 1 },
        findings: [{ name: 'CVE-2026-1', severity: 'HIGH' }],
      },
    })
    const { result, verdict } = await scan({ failOnSeverity: 'HIGH' })
    expect(result.findings?.list.map((f) => f.id)).toEqual(['CVE-2026-1'])
    expect(verdict.thresholdExceeded).toBe(true)
    expect(verdict.failure).toContain('1 finding at or above HIGH')
  })

  it('does not take a failed scan without counts for a clean one', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(realAnswer('findings/basic-failed-unsupported-scratch-workshop.json'))
    const { result, verdict } = await scan({ failOnSeverity: 'HIGH' })
    expect(result.findings).toBeUndefined()
    expect(verdict.thresholdExceeded).toBeUndefined()
    expect(verdict.failure).toContain('ended FAILED: UnsupportedImageError')
  })
})

describe('enhanced findings settle before they are counted', () => {
  beforeEach(() => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves(registry('ENHANCED'))
  })

  it('waits past COMPLETE-with-nothing and partial findings until two reads agree', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('IN_PROGRESS'))
      .resolvesOnce(completeBeforeFindings)
      .resolvesOnce(enhanced(30, 1))
      .resolves(enhanced(48, 2))
    const { result, verdict } = await scan({ failOnSeverity: 'CRITICAL' })
    expect(result.findings?.list).toHaveLength(48)
    expect(result.findings?.severityCounts.CRITICAL).toBe(2)
    expect(result.timedOut).toBe(false)
    expect(verdict.failure).toContain('2 findings at or above CRITICAL')
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
    const info = logged('info').join('\n')
    expect(info).toContain('read again every 3 s until two reads agree')
    expect(info).toContain('Findings settled')
    // Settling reads are SETTLE_INTERVAL_MS apart.
    expect(clock.sleeps.slice(-3)).toEqual([
      SETTLE_INTERVAL_MS,
      SETTLE_INTERVAL_MS,
      SETTLE_INTERVAL_MS,
    ])
  })

  it('waits as the policy carried by the scan dependencies says, not by numbers of its own', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(status('IN_PROGRESS'))
      .resolvesOnce(completeBeforeFindings)
      .resolves(enhanced(48, 2))
    const policy: WaitPolicy = {
      ...WAIT_POLICY,
      pollDelayMs: () => 700,
      settleIntervalMs: 1100,
      emptySettleMs: 4400,
    }
    const { result } = await scan({}, undefined, policy)
    expect(result.findings?.list).toHaveLength(48)
    expect(clock.sleeps).toEqual([700, 1100, 1100])
    expect(logged('info').join('\n')).toContain('read again every 1.1 s until two reads agree')
  })

  it('believes an empty enhanced result only after it stayed empty for a while', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(completeBeforeFindings)
    const { result, verdict } = await scan()
    expect(verdict.failure).toBeUndefined()
    expect(result.findings?.list).toEqual([])
    expect(clock.now() - START).toBeGreaterThanOrEqual(EMPTY_SETTLE_MS)
  })

  it('reports unsettled findings at the timeout and still fails on what it read', async () => {
    let read = 0
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      read += 1
      return enhanced(read * 2, 1)
    })
    const { result, verdict } = await scan({ waitTimeoutSeconds: 10, failOnSeverity: 'CRITICAL' })
    expect(result).toMatchObject({ timedOut: true, findingsUnsettled: true })
    expect(result.findings?.severityCounts.CRITICAL).toBe(1)
    expect(verdict.failure).toContain('at or above CRITICAL')
  })

  // Each part of a read must agree: the counts, how many the first page lists, and whether a
  // next page exists. Any one of them changing alone means Inspector is still writing.
  it.each([
    ['the counts', { CRITICAL: 1, HIGH: 1 }, 2, false, { CRITICAL: 2, HIGH: 1 }, 2, false],
    ['the first page', { HIGH: 3 }, 1, false, { HIGH: 3 }, 3, false],
    ['a next page', { HIGH: 2 }, 2, false, { HIGH: 2 }, 2, true],
  ] as const)(
    'reads again when only %s changed between two reads',
    async (_what, counts1, listed1, more1, counts2, listed2, more2) => {
      const page = (counts: Record<string, number>, listed: number, more: boolean) => ({
        ...enhanced(listed, 0),
        imageScanFindings: {
          findingSeverityCounts: counts,
          enhancedFindings: enhanced(listed, 0).imageScanFindings?.enhancedFindings,
        },
        nextToken: more ? 'page-2' : undefined,
      })
      let reads = 0
      ecr.on(DescribeImageScanFindingsCommand).callsFake(async (input: { nextToken?: string }) => {
        if (input.nextToken) return { ...status('COMPLETE'), imageScanFindings: {} }
        reads += 1
        return reads === 1 ? page(counts1, listed1, more1) : page(counts2, listed2, more2)
      })
      const { result } = await scan()
      const total = Object.values(counts2).reduce((sum: number, n: number) => sum + n, 0)
      expect(logged('info')).toContain(`Findings still arriving: ${total} findings.`)
      expect(reads).toBe(3)
      expect(result.findings?.list).toHaveLength(listed2)
    },
  )

  // The real answers that hold nothing yet (the bundle test replays those that hold findings).
  it.each([
    ['enhanced-scan-on-push-complete-before-findings-arrive', 'COMPLETE'],
    ['enhanced-continuous-active-old-cli-no-enhancedFindings-member', 'ACTIVE'],
  ])('believes the real empty answer %s only after it stayed empty', async (file, status) => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(realAnswer(`findings/${file}.json`))
    const { result, verdict } = await scan({ failOnSeverity: 'LOW' })
    expect(result).toMatchObject({ scanStatus: status, timedOut: false })
    expect(result.findings?.list).toEqual([])
    expect(verdict.failure).toBeUndefined()
    expect(clock.now() - START).toBeGreaterThanOrEqual(EMPTY_SETTLE_MS)
  })

  it('reports the real PENDING answer with empty lists as still PENDING at wait-timeout', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(realAnswer('findings/basic-or-enhanced-pending-empty-lists.json'))
    const { result, verdict } = await scan({ waitTimeoutSeconds: 18, onScanFailure: 'warn' })
    expect(result).toMatchObject({ scanStatus: 'PENDING', timedOut: true })
    expect(result.findings).toBeUndefined()
    expect(verdict.failure).toBeUndefined()
    expect(verdict.warnings.join('\n')).toContain('its last status was PENDING')
  })

  it('reads a basic COMPLETE once: basic results are written whole', async () => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves(registry('BASIC'))
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      ...status('COMPLETE'),
      imageScanFindings: { findingSeverityCounts: {}, findings: [] },
    })
    await scan()
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
  })
})

describe("the registry's scanning rules are read, not guessed", () => {
  it('fails at once when no enhanced rule covers the repository, naming the filters', async () => {
    imageIn('tools/builder')
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .resolves(registry('ENHANCED', [{ scanFrequency: 'CONTINUOUS_SCAN', filters: ['prod*'] }]))
    const { error } = await scan({
      images: [
        { target: { repositoryName: 'tools/builder', imageTag: 'v1' }, region: 'us-east-1' },
      ],
    })
    const failure = describeFailure(error)
    expect(failure).toContain('No scan exists for tools/builder:v1, and none will')
    expect(failure).toContain('none of its scanning rules covers the repository (filters: prod*)')
    expect(failure).toContain('ECR takes no manual scans')
    expect(failure).not.toMatch(/[{}]/)
    expect(clock.now() - START).toBe(0)
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })

  it.each([
    [
      'ENHANCED',
      [
        { scanFrequency: 'SCAN_ON_PUSH', filters: ['*'] },
        { scanFrequency: 'CONTINUOUS_SCAN', filters: ['api'] },
      ],
      'CONTINUOUS_SCAN',
    ],
    ['ENHANCED', [{ scanFrequency: 'SCAN_ON_PUSH', filters: ['team/*'] }], 'SCAN_ON_PUSH'],
    ['BASIC', [{ scanFrequency: 'SCAN_ON_PUSH', filters: ['*'] }], 'SCAN_ON_PUSH'],
    ['BASIC', [{ scanFrequency: 'SCAN_ON_PUSH', filters: ['prod*'] }], 'MANUAL'],
    ['BASIC', [], undefined],
  ] as const)('%s with rules %j scans team/api %s', async (scanType, rules, frequency) => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves(registry(scanType, [...rules]))
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      ...status('ACTIVE'),
      imageScanFindings: {
        findingSeverityCounts: { HIGH: 1 },
        enhancedFindings: [{ severity: 'HIGH' }],
        findings: [],
      },
    })
    const { result } = await scan()
    expect(result.scanFrequency).toBe(frequency)
  })

  it('reads the real basic scan-on-push configuration', async () => {
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .resolves(realAnswer('other/get-registry-scanning-configuration-basic-scan-on-push.json'))
    ecr.on(DescribeImageScanFindingsCommand).resolves(status('COMPLETE'))
    const { result } = await scan()
    expect(result).toMatchObject({ scanType: 'BASIC', scanFrequency: 'SCAN_ON_PUSH' })
  })
})

describe('least privilege: reading works without ecr:StartImageScan', () => {
  const denied = awsError(
    'AccessDeniedException',
    'User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: ecr:StartImageScan on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/api because no identity-based policy allows the ecr:StartImageScan action',
  )

  it('warns once and reports the existing scan', async () => {
    ecr.on(StartImageScanCommand).rejects(denied)
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves(realAnswer('findings/basic-clair-ubuntu-complete-aws-example.json'))
    const { result, error, verdict } = await scan()
    expect(error).toBeUndefined()
    expect(verdict.failure).toBeUndefined()
    expect(result).toMatchObject({ scanStarted: false, scanStatus: 'COMPLETE' })
    expect(result.findings?.list.length).toBeGreaterThan(0)
    expect(logged('warning')).toHaveLength(1)
    expect(logged('warning')[0]).toContain('ecr:StartImageScan')
  })

  it('fails at once with the IAM advice when no scan exists either', async () => {
    ecr.on(StartImageScanCommand).rejects(denied)
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'none'))
    const { error } = await scan()
    expect(describeFailure(error)).toContain(
      'IAM denied ecr:StartImageScan, and scan on push made no scan',
    )
    expect(describeFailure(error)).toContain('Allow ecr:StartImageScan')
    expect(clock.now() - START).toBeLessThan(5000)
  })

  it('with wait: false reports the existing scan, or fails with the same advice', async () => {
    ecr.on(StartImageScanCommand).rejects(denied)
    ecr.on(DescribeImageScanFindingsCommand).resolvesOnce(status('COMPLETE', 'done'))
    const found = await scan({ wait: false })
    expect(found.result).toMatchObject({ scanStarted: false, scanStatus: 'COMPLETE' })
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'none'))
    const missing = await scan({ wait: false })
    expect(describeFailure(missing.error)).toContain('Allow ecr:StartImageScan')
  })
})

describe('"No scan exists" says why', () => {
  it("in another account's enhanced registry, suggests a role in that account", async () => {
    imageIn('team/api', '210987654321')
    ecr
      .on(StartImageScanCommand)
      .rejects(awsError('ValidationException', 'This feature is disabled'))
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'none'))
    const { error } = await scan({ waitTimeoutSeconds: 60 })
    const failure = describeFailure(error)
    expect(failure).toContain("another account's registry (210987654321)")
    expect(failure).toContain('a role in account 210987654321')
  })

  it('with wait: false and no scan, says that wait: false only reports an existing scan', async () => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves(registry('ENHANCED'))
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'none'))
    const { error } = await scan({ wait: false })
    expect(describeFailure(error)).toContain(
      'with wait: false, this step reports only a scan that already exists',
    )
  })

  it('waits no longer than wait-timeout for a scan to appear', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'none'))
    const { error } = await scan({ waitTimeoutSeconds: 6 })
    expect(clock.now() - START).toBeLessThanOrEqual(6000)
    // Reported as no scan, not as a scan that did not finish.
    expect(describeFailure(error)).toMatch(/^No scan exists for team\/api:v1/)
  })
})
