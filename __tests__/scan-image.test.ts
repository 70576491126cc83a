// The single-image flow against a mocked ECR client (aws-sdk-client-mock) and virtual time.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
  type ScanStatus,
} from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import { ActionError, describeFailure } from '../src/kernel/errors.js'
import type { Log } from '../src/kernel/log.js'
import { scanImage } from '../src/scan/image.js'
import { newBaselineCache, type BaselineCache } from '../src/scan/baseline.js'
import { realAnswer } from '../__fixtures__/realdata.js'
import type { Settings } from '../src/inputs/settings.js'
import type { ImageTarget } from '../src/kernel/model.js'
import { type FlatSettings, settingsWith } from '../__fixtures__/results.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'

const DIGEST = `sha256:${'c'.repeat(64)}`
const ecr = mockClient(ECRClient)
const client = new ECRClient({ region: 'us-east-1' })

function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })
}

function recordingLog() {
  const lines: { level: keyof Log; message: string }[] = []
  const log: Log = {
    info: (message) => lines.push({ level: 'info', message }),
    notice: (message) => lines.push({ level: 'notice', message }),
    warning: (message) => lines.push({ level: 'warning', message }),
    debug: (message) => lines.push({ level: 'debug', message }),
  }
  return {
    log,
    lines,
    at: (level: keyof Log) =>
      lines.filter((line) => line.level === level).map((line) => line.message),
  }
}

function findings(
  status: string,
  extra: Partial<DescribeImageScanFindingsCommandOutput> = {},
): Partial<DescribeImageScanFindingsCommandOutput> {
  return {
    imageScanStatus: { status: status as ScanStatus, description: `${status} description` },
    ...extra,
  }
}

const complete = findings('COMPLETE', {
  imageScanFindings: {
    findingSeverityCounts: { CRITICAL: 1, HIGH: 2 },
    findings: [
      {
        name: 'CVE-1',
        severity: 'CRITICAL',
        attributes: [{ key: 'package_name', value: 'openssl' }],
      },
      { name: 'CVE-2', severity: 'HIGH' },
      { name: 'CVE-3', severity: 'HIGH' },
    ],
  },
})

let clock: FakeClock
let rec: ReturnType<typeof recordingLog>
const runAll = (overrides: Partial<FlatSettings> = {}) => {
  const settings = settingsWith(overrides)
  const [request] = settings.images
  if (!request) throw new Error('no image')
  return scanImage(request, settings.scan, {
    client: () => client,
    clock,
    log: rec.log,
    registryScanTypes: new Map(),
    policy: WAIT_POLICY,
  })
}
const run = async (overrides: Partial<FlatSettings> = {}) => {
  const [first, ...rest] = await runAll(overrides)
  expect(rest).toEqual([])
  if (!first) throw new Error('no outcome')
  return first
}
const imageIs = (target: ImageTarget): Partial<Settings> => ({
  images: [{ target, region: 'us-east-1' }],
})

beforeEach(() => {
  ecr.reset()
  clock = new FakeClock()
  rec = recordingLog()
  ecr.on(DescribeImagesCommand).resolves({
    imageDetails: [
      {
        registryId: '123456789012',
        repositoryName: 'team/api',
        imageDigest: DIGEST,
        imageTags: ['v1'],
      },
    ],
  })
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: '123456789012',
    scanningConfiguration: { scanType: 'BASIC' },
  })
  ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
})

describe('scanImage on a basic registry', () => {
  it('starts a scan by digest, waits for COMPLETE and reads the counts and findings', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(findings('IN_PROGRESS'))
      .resolvesOnce(findings('IN_PROGRESS'))
      .resolves(complete)
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(ecr.commandCalls(StartImageScanCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageId: { imageDigest: DIGEST },
    })
    expect(result).toMatchObject({
      scanType: 'BASIC',
      scanStarted: true,
      limitExceeded: false,
      scanStatus: 'COMPLETE',
      timedOut: false,
      image: { imageDigest: DIGEST, registryId: '123456789012' },
    })
    expect(result.findings?.severityCounts).toMatchObject({ CRITICAL: 1, HIGH: 2, MEDIUM: 0 })
    expect(result.findings?.list.map((finding) => finding.id)).toEqual(['CVE-1', 'CVE-2', 'CVE-3'])
    expect(result.findings?.list[0]?.packageName).toBe('openssl')
    // A scan this run just started is first polled after one delay.
    expect(clock.sleeps).toEqual([2000, 2000, 2000])
  })

  it('reads every page of findings, with counts from the first', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand, { nextToken: undefined })
      .resolves({ ...complete, nextToken: 'page2' })
      .on(DescribeImageScanFindingsCommand, { nextToken: 'page2' })
      .resolves({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: { findings: [{ name: 'CVE-4', severity: 'LOW' }] },
        nextToken: 'page3',
      })
      .on(DescribeImageScanFindingsCommand, { nextToken: 'page3' })
      .resolves({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: { findings: [{ name: 'CVE-5', severity: 'LOW' }] },
      })
    const { result } = await run()
    expect(result.findings?.list.map((finding) => finding.id)).toEqual([
      'CVE-1',
      'CVE-2',
      'CVE-3',
      'CVE-4',
      'CVE-5',
    ])
    expect(result.findings?.severityCounts.LOW).toBe(0) // the counts are ECR's, from the first page
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(3)
  })

  it('keeps the counts and warns when a later page cannot be read', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand, { nextToken: undefined })
      .resolves({ ...complete, nextToken: 'page2' })
      .on(DescribeImageScanFindingsCommand, { nextToken: 'page2' })
      .rejects(awsError('ServerException', 'boom', 500))
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(result.findings?.severityCounts.CRITICAL).toBe(1)
    expect(result.findings?.unread).toBe(0)
    expect(rec.at('warning')[0]).toContain('Could not read every page')
  })

  it('stops following a nextToken that repeats', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ ...complete, nextToken: 'same' })
    const { result } = await run()
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(2)
    expect(result.findings?.list).toHaveLength(6)
  })

  it('waits through a ScanNotFound right after the start', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(awsError('ScanNotFoundException', 'no scan'))
      .resolves(complete)
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(result.scanStatus).toBe('COMPLETE')
  })

  it('fails clearly when no scan appears within the grace period', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'no scan'))
    const { error } = await run()
    expect(error).toBeInstanceOf(ActionError)
    expect(describeFailure(error)).toContain('No scan exists for team/api:v1')
    expect(clock.now() - 1_000_000).toBeGreaterThanOrEqual(30_000)
    expect(clock.now() - 1_000_000).toBeLessThan(40_000)
  })

  it('says no scan appeared, and why that may be, in the words a user reads', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'no scan'))
    const { error } = await run()
    expect(describeFailure(error)).toBe(
      'No scan exists for team/api:v1: ECR has no scan of this image. Turn on scan on push for the repository, or let this action start the scan (wait: true with basic scanning); with enhanced scanning, check that a scanning rule covers the repository.',
    )
  })

  it('with on-limit-exceeded: fail, still waits for a scan it could start', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
    const { result, error } = await run({ onLimitExceeded: 'fail' })
    expect(error).toBeUndefined()
    expect(result).toMatchObject({
      scanStarted: true,
      limitExceeded: false,
      scanStatus: 'COMPLETE',
    })
    expect(result.findings?.severityCounts.HIGH).toBe(2)
  })

  it.each([
    ['before any answer', [], 'no answer yet'],
    ['while no scan existed yet', ['ScanNotFound'], 'no scan of the image existed yet'],
  ])('says what it knew when the job is cancelled %s', async (_, before, words) => {
    const controller = new AbortController()
    const reads = ecr.on(DescribeImageScanFindingsCommand)
    for (const name of before) reads.rejectsOnce(awsError(`${name}Exception`, 'no scan'))
    reads.callsFake(() => {
      controller.abort()
      return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
    })
    const settings = settingsWith({ scanType: 'ENHANCED' })
    const [request] = settings.images
    if (!request) throw new Error('no image')
    const [outcome] = await scanImage(request, settings.scan, {
      client: () => client,
      clock,
      log: rec.log,
      registryScanTypes: new Map(),
      policy: WAIT_POLICY,
      signal: controller.signal,
    })
    expect(describeFailure(outcome?.error)).toBe(
      `The job was cancelled while waiting for the scan of team/api:v1 (${words}).`,
    )
  })

  it('keeps polling through throttling that outlasted the SDK retries', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ServiceUnavailable', 'down', 503))
      .resolves(complete)
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(result.scanStatus).toBe('COMPLETE')
  })

  // One retry layer: the SDK's (ecr-client.test.ts). Above it nothing calls again, so a call
  // that is still throttled after the SDK's attempts fails the image, once.
  it('fails an image whose call is still throttled after the SDK retries, calling once', async () => {
    ecr.on(DescribeImagesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'))
    const { error } = await run()
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1)
    expect(describeFailure(error)).toContain(
      'for team/api:v1 successfully, even after retries (ThrottlingException): Rate exceeded',
    )
  })

  it('fails on an error that polling again cannot fix', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized'))
    const { result, error } = await run()
    expect(describeFailure(error)).toContain('ecr:DescribeImageScanFindings')
    expect(result.scanStarted).toBe(true)
  })

  it('times out at wait-timeout and keeps what it learned', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(findings('IN_PROGRESS'))
    const { result, error } = await run({ waitTimeoutSeconds: 4 })
    expect(error).toBeUndefined()
    expect(result).toMatchObject({ timedOut: true, scanStarted: true, scanStatus: 'IN_PROGRESS' })
    expect(clock.now() - 1_000_000).toBe(4000)
  })

  it.each([
    'FAILED',
    'UNSUPPORTED_IMAGE',
    'FINDINGS_UNAVAILABLE',
    'SCAN_ELIGIBILITY_EXPIRED',
    'IMAGE_ARCHIVED',
  ])('treats %s as final', async (status) => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(findings(status))
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(result.scanStatus).toBe(status)
    expect(result.scanStatusDescription).toBe(`${status} description`)
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
  })

  it('returns right after the start with wait: false', async () => {
    const { result } = await run({ wait: false })
    expect(result).toMatchObject({ scanStarted: true, scanStatus: 'IN_PROGRESS' })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
  })

  it('skips GetRegistryScanningConfiguration when scan-type is given', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
    await run({ scanType: 'BASIC' })
    expect(ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(0)
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
  })
})

describe('the 24-hour quota', () => {
  beforeEach(() => {
    ecr
      .on(StartImageScanCommand)
      .rejects(
        awsError(
          'LimitExceededException',
          'The scan quota per image has been exceeded. Wait and try again.',
        ),
      )
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
  })

  // What on-limit-exceeded makes of the quota is the verdict's (policy.test.ts); the scan
  // only learns it, and skips reading an old scan the verdict will fail anyway.
  it('with on-limit-exceeded: fail, records the quota without reading the old scan', async () => {
    const { result, error } = await run({ onLimitExceeded: 'fail' })
    expect(error).toBeUndefined()
    expect(result).toMatchObject({ limitExceeded: true, scanStarted: false })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
  })

  it.each(['warn', 'ignore'] as const)(
    'with on-limit-exceeded: %s, reports the existing scan and warns of nothing itself',
    async (onLimitExceeded) => {
      const { result, error } = await run({ onLimitExceeded })
      expect(error).toBeUndefined()
      expect(result).toMatchObject({
        limitExceeded: true,
        scanStarted: false,
        scanStatus: 'COMPLETE',
      })
      expect(result.findings?.severityCounts.HIGH).toBe(2)
      expect(rec.at('warning')).toEqual([])
    },
  )

  it('waits for an existing scan that is still running', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(findings('IN_PROGRESS'))
      .resolves(complete)
    const { result } = await run()
    expect(result.scanStatus).toBe('COMPLETE')
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(2)
  })

  it('reports the existing scan once with wait: false', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(findings('IN_PROGRESS'))
    const { result } = await run({ wait: false })
    expect(result).toMatchObject({ limitExceeded: true, scanStatus: 'IN_PROGRESS' })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
  })
})

describe('enhanced registries', () => {
  const active = findings('ACTIVE', {
    imageScanFindings: {
      findingSeverityCounts: { HIGH: 1, UNTRIAGED: 2 } as Record<string, number>,
      enhancedFindings: [
        {
          severity: 'HIGH',
          title: 'CVE-2024-1 - zlib',
          score: 7.5,
          fixAvailable: 'YES',
          packageVulnerabilityDetails: {
            vulnerabilityId: 'CVE-2024-1',
            sourceUrl: 'https://nvd.nist.gov/vuln/detail/CVE-2024-1',
            vulnerablePackages: [{ name: 'zlib', version: '1.2', fixedInVersion: '1.3' }],
          },
        },
      ],
    },
  })

  it('does not call StartImageScan and accepts ACTIVE as final', async () => {
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .resolves({ registryId: '123456789012', scanningConfiguration: { scanType: 'ENHANCED' } })
    ecr.on(DescribeImageScanFindingsCommand).resolvesOnce(findings('PENDING')).resolves(active)
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
    expect(result).toMatchObject({ scanType: 'ENHANCED', scanStarted: false, scanStatus: 'ACTIVE' })
    // StartImageScan was not sent: nothing is known of the quota, so nothing is said.
    expect(result.limitExceeded).toBeUndefined()
    expect(result.findings?.severityCounts).toMatchObject({ HIGH: 1, UNDEFINED: 2 })
    expect(result.findings?.list[0]).toMatchObject({
      id: 'CVE-2024-1',
      packageName: 'zlib',
      packageVersion: '1.2',
      fixedInVersion: '1.3',
      fixAvailable: 'YES',
      score: 7.5,
    })
  })

  it('with scan-type: enhanced, asks nothing and starts nothing', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(active)
    const { result } = await run({ scanType: 'ENHANCED' })
    expect(ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(0)
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
    expect(result.scanStatus).toBe('ACTIVE')
  })

  it("falls back to StartImageScan's answer when the registry question is denied", async () => {
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .rejects(awsError('AccessDeniedException', 'denied'))
    ecr
      .on(StartImageScanCommand)
      .rejects(awsError('ValidationException', 'This feature is disabled'))
    ecr.on(DescribeImageScanFindingsCommand).resolves(active)
    const { result, error } = await run()
    expect(error).toBeUndefined()
    expect(result).toMatchObject({ scanType: 'ENHANCED', scanStarted: false, scanStatus: 'ACTIVE' })
    expect(rec.at('notice')[0]).toContain('scan-type')
    // Answered, but not about the quota.
    expect(result.limitExceeded).toBeUndefined()
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
  })

  it('explains "This feature is disabled" when scan-type: basic was given', async () => {
    ecr
      .on(StartImageScanCommand)
      .rejects(awsError('ValidationException', 'This feature is disabled'))
    const { error } = await run({ scanType: 'BASIC' })
    expect(describeFailure(error)).toContain('scan-type: enhanced')
  })

  it('reads the findings at once, without the wait a scan just started needs', async () => {
    const readAt: number[] = []
    ecr.on(DescribeImageScanFindingsCommand).callsFake(() => {
      readAt.push(clock.now() - 1_000_000)
      return Promise.resolve(active)
    })
    await run({ scanType: 'ENHANCED' })
    expect(readAt[0]).toBe(0)
  })

  it('without a scan, gives the general advice when only StartImageScan told the scan type', async () => {
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .rejects(awsError('AccessDeniedException', 'denied'))
    ecr
      .on(StartImageScanCommand)
      .rejects(awsError('ValidationException', 'This feature is disabled'))
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'no scan'))
    const { error } = await run()
    expect(describeFailure(error)).toBe(
      'No scan exists for team/api:v1: ECR has no scan of this image. Turn on scan on push for the repository, or let this action start the scan (wait: true with basic scanning); with enhanced scanning, check that a scanning rule covers the repository.',
    )
  })

  it("without a scan in another account's basic registry, gives the general advice", async () => {
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ registryId: '999999999999', imageDigest: DIGEST, imageTags: ['v1'] }],
    })
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'no scan'))
    const { error } = await run({
      ...imageIs({ repositoryName: 'team/api', imageTag: 'v1', registryId: '999999999999' }),
    })
    expect(describeFailure(error)).toBe(
      'No scan exists for team/api:v1: ECR has no scan of this image. Turn on scan on push for the repository, or let this action start the scan (wait: true with basic scanning); with enhanced scanning, check that a scanning rule covers the repository.',
    )
  })

  it("learns the scan type from StartImageScan for another account's registry", async () => {
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ registryId: '999999999999', imageDigest: DIGEST, imageTags: ['v1'] }],
    })
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
    const { result } = await run({
      ...imageIs({ repositoryName: 'team/api', imageTag: 'v1', registryId: '999999999999' }),
    })
    expect(rec.at('notice')[0]).toContain(
      "Registry 999999999999 is not the caller's (123456789012)",
    )
    expect(ecr.commandCalls(StartImageScanCommand)[0]?.args[0].input.registryId).toBe(
      '999999999999',
    )
    expect(result).toMatchObject({ scanStarted: true, scanType: 'BASIC' })
  })
})

describe('multi-arch images (image indexes)', () => {
  const AMD = `sha256:${'a'.repeat(64)}`
  const ARM = `sha256:${'b'.repeat(64)}`
  const ATTESTATION = `sha256:${'e'.repeat(64)}`
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: AMD,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: ARM,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      },
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: ATTESTATION,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: {
          'vnd.docker.reference.type': 'attestation-manifest',
          'vnd.docker.reference.digest': AMD,
        },
      },
    ],
  })

  beforeEach(() => {
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [
        {
          registryId: '123456789012',
          imageDigest: DIGEST,
          imageTags: ['v1'],
          imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
        },
      ],
    })
    ecr.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: index }] })
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
  })

  it('scans each platform manifest by digest, skipping the attestation', async () => {
    const outcomes = await runAll()
    expect(ecr.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toMatchObject({
      repositoryName: 'team/api',
      imageIds: [{ imageDigest: DIGEST }],
      acceptedMediaTypes: expect.arrayContaining([
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
      ]),
    })
    expect(
      ecr.commandCalls(StartImageScanCommand).map((call) => call.args[0].input.imageId),
    ).toEqual([{ imageDigest: AMD }, { imageDigest: ARM }])
    expect(
      outcomes.map(({ result }) => [
        result.platform,
        result.image?.imageDigest,
        result.indexDigest,
      ]),
    ).toEqual([
      ['linux/amd64', AMD, DIGEST],
      ['linux/arm64/v8', ARM, DIGEST],
    ])
    expect(outcomes.every(({ result, error }) => !error && result.scanStatus === 'COMPLETE')).toBe(
      true,
    )
    // One registry, one question.
    expect(ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(1)
    expect(rec.at('info').some((line) => line.startsWith('[linux/arm64/v8] Scan started'))).toBe(
      true,
    )
  })

  it('scans only the platforms asked for, and says which it found and which it scans', async () => {
    const outcomes = await runAll({ platforms: ['linux/arm64/v8'] })
    expect(outcomes.map(({ result }) => result.platform)).toEqual(['linux/arm64/v8'])
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
    expect(rec.at('info').slice(0, 3)).toEqual([
      `Image team/api:v1 is ${DIGEST}.`,
      'Image index with platforms linux/amd64, linux/arm64/v8: scanning linux/arm64/v8.',
      '[linux/arm64/v8] Scan started: IN_PROGRESS.',
    ])
  })

  it('scans every platform asked for, and names each in the log', async () => {
    const outcomes = await runAll({ platforms: ['linux/amd64', 'linux/arm64'] })
    expect(outcomes.map(({ result }) => result.platform)).toEqual(['linux/amd64', 'linux/arm64/v8'])
    expect(rec.at('info')).toContain(
      'Image index with platforms linux/amd64, linux/arm64/v8: scanning linux/amd64, linux/arm64/v8.',
    )
  })

  it('takes linux/arm64 in platforms for the index entry linux/arm64/v8', async () => {
    // BuildKit writes linux/arm64 and other builders linux/arm64/v8 for the same images.
    const outcomes = await runAll({ platforms: ['linux/arm64'] })
    expect(outcomes.map(({ result }) => result.platform)).toEqual(['linux/arm64/v8'])
  })

  it('fails clearly when no platform matches, naming the ones there are', async () => {
    const { error } = await run({ platforms: ['windows/amd64'] })
    expect(describeFailure(error)).toContain('has no platform that')
    expect(describeFailure(error)).toContain('linux/amd64, linux/arm64/v8')
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })

  it('says the index has no platform at all when it holds only attestations', async () => {
    const attestationsOnly = JSON.parse(index) as { manifests: unknown[] }
    attestationsOnly.manifests = attestationsOnly.manifests.slice(2)
    ecr
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageManifest: JSON.stringify(attestationsOnly) }] })
    const { error } = await run({ platforms: ['linux/amd64'] })
    expect(describeFailure(error)).toBe(
      `The image index ${DIGEST} has no platform that 'platforms' asks for (it has: none). Set 'platforms' to some of them, or to all.`,
    )
  })

  it('keeps one failing platform from hiding the others', async () => {
    ecr
      .on(StartImageScanCommand, { imageId: { imageDigest: ARM } })
      .rejects(awsError('ImageArchivedException', 'archived'))
    const outcomes = await runAll()
    expect(outcomes[0]?.error).toBeUndefined()
    expect(describeFailure(outcomes[1]?.error)).toContain('team/api:v1 (linux/arm64/v8)')
  })

  it('says BatchGetImage is needed when it cannot read the index', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
    })
    const { error } = await run()
    expect(describeFailure(error)).toContain('ecr:BatchGetImage')
  })
})

describe('images that cannot be scanned as given', () => {
  it("explains ECR's own refusal of an index", async () => {
    ecr
      .on(StartImageScanCommand)
      .rejects(
        awsError(
          'UnsupportedImageTypeException',
          "An artifact with media type 'application/vnd.oci.image.index.v1+json' cannot be scanned.",
        ),
      )
    const { error } = await run()
    expect(describeFailure(error)).toContain('multi-arch')
  })

  it('says to restore an archived image', async () => {
    ecr.on(StartImageScanCommand).rejects(awsError('ImageArchivedException', 'archived'))
    const { error } = await run()
    expect(describeFailure(error)).toContain('Restore it')
  })

  it('asks the registry scan type alongside DescribeImages, and a failure of both stays one error', async () => {
    ecr.on(DescribeImagesCommand).rejects(awsError('RepositoryNotFoundException', 'no repository'))
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .rejects(awsError('ServerException', 'down', 500))
    const { error } = await run()
    expect(describeFailure(error)).toContain("Repository 'team/api' does not exist")
    expect(ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(1)
  })

  it("leaves no unhandled rejection when the registry question fails after the image's own failure", async () => {
    const unhandled: unknown[] = []
    const note = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', note)
    try {
      ecr
        .on(DescribeImagesCommand)
        .rejects(awsError('RepositoryNotFoundException', 'no repository'))
      ecr
        .on(GetRegistryScanningConfigurationCommand)
        .rejects(awsError('ServerException', 'down', 500))
      await run()
      await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      process.off('unhandledRejection', note)
    }
    expect(unhandled).toEqual([])
  })

  it('names a missing repository', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'RepositoryNotFoundException',
          "The repository with name 'team/api' does not exist",
        ),
      )
    const { result, error } = await run()
    expect(describeFailure(error)).toContain(
      "Repository 'team/api' does not exist in the caller's own registry in region us-east-1.",
    )
    expect(result.image).toBeUndefined()
    // Nothing was started or waited for; nothing is known of the quota.
    expect(result).toMatchObject({ scanStarted: false, timedOut: false })
    expect(result.limitExceeded).toBeUndefined()
  })

  it("names a missing repository in another account's registry", async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'RepositoryNotFoundException',
          "The repository with name 'team/api' does not exist",
        ),
      )
    const { error } = await run({
      ...imageIs({ repositoryName: 'team/api', imageTag: 'v1', registryId: '999999999999' }),
    })
    expect(describeFailure(error)).toBe(
      "Repository 'team/api' does not exist in registry 999999999999 in region us-east-1. Check 'repository' and 'region' and, for another account's registry, 'registry-id'.",
    )
  })

  it('names a missing tag', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(
        awsError('ImageNotFoundException', "The image with imageId {imageTag:'v1'} does not exist"),
      )
    const { error } = await run()
    expect(describeFailure(error)).toContain('team/api:v1 was not found')
  })

  it('refuses a tag that does not point to the digest', async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['v2'] }] })
    const { error } = await run({
      ...imageIs({ repositoryName: 'team/api', imageTag: 'v1', imageDigest: DIGEST }),
    })
    expect(describeFailure(error)).toContain(`Tag 'v1' does not point to ${DIGEST}`)
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input.imageIds).toEqual([
      { imageDigest: DIGEST },
    ])
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })

  it('points missing credentials to configure-aws-credentials', async () => {
    process.env.GITHUB_ACTIONS = 'true' // on a runner; jest gives each test file its own env
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    )
    const { error } = await run()
    expect(describeFailure(error)).toContain('aws-actions/configure-aws-credentials')
  })
})

// The log is what a user reads of a run: each phase says what it did, in these words.
describe("the log tells one image's story", () => {
  const story = () => rec.lines.map(({ level, message }) => `${level}: ${message}`)

  it('a basic scan: resolved, started, polled to COMPLETE', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(findings('IN_PROGRESS'))
      .resolves(complete)
    await run()
    expect(story()).toEqual([
      `info: Image team/api:v1 is ${DIGEST}.`,
      'info: Scan started: IN_PROGRESS.',
      'info: Scan status: IN_PROGRESS (IN_PROGRESS description).',
      'info: Scan status: COMPLETE (COMPLETE description).',
    ])
  })

  it('wait: false after a start, and after the quota', async () => {
    await run({ wait: false })
    const started = story()
    rec = recordingLog()
    ecr
      .on(StartImageScanCommand)
      .rejects(awsError('LimitExceededException', 'The scan quota per image has been exceeded.'))
    ecr.on(DescribeImageScanFindingsCommand).resolves(findings('IN_PROGRESS'))
    await run({ wait: false, onLimitExceeded: 'warn' })
    expect(started).toEqual([
      `info: Image team/api:v1 is ${DIGEST}.`,
      'info: Scan started: IN_PROGRESS.',
      'info: wait is false: not waiting for the scan to finish.',
    ])
    expect(story()).toEqual([
      `info: Image team/api:v1 is ${DIGEST}.`,
      'info: StartImageScan answered: The scan quota per image has been exceeded.',
      'info: Scan status: IN_PROGRESS (IN_PROGRESS description).',
      'info: wait is false: not waiting for the scan to finish.',
    ])
  })

  it('an enhanced registry: nothing started, findings read until two reads agree', async () => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({
      registryId: '123456789012',
      scanningConfiguration: {
        scanType: 'ENHANCED',
        rules: [
          {
            scanFrequency: 'CONTINUOUS_SCAN',
            repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }],
          },
        ],
      },
    })
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(findings('PENDING'))
      .resolvesOnce(findings('ACTIVE'))
      .resolves(complete)
    await run()
    expect(story()).toEqual([
      `info: Image team/api:v1 is ${DIGEST}.`,
      'info: The registry uses enhanced scanning (Amazon Inspector, continuous scanning): reporting its findings; ECR takes no manual scans there.',
      'info: Scan status: PENDING (PENDING description).',
      'info: Scan status: ACTIVE (ACTIVE description).',
      'info: Amazon Inspector can add findings after ACTIVE, so the findings are read again every 3 s until two reads agree (within wait-timeout).',
      'info: Scan status: COMPLETE (COMPLETE description).',
      'info: Findings still arriving: 3 findings.',
      'info: Findings settled: two reads 3 s apart agree (3 findings).',
    ])
  })

  it('a role that may not start scans, or ask the registry', async () => {
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .rejects(awsError('AccessDeniedException', 'not allowed'))
    ecr.on(StartImageScanCommand).rejects(awsError('AccessDeniedException', 'no StartImageScan'))
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
    await run()
    expect(story()).toEqual([
      `info: Image team/api:v1 is ${DIGEST}.`,
      'notice: GetRegistryScanningConfiguration was denied, so the scan type is learned from StartImageScan. Set scan-type: basic or enhanced to skip that call.',
      "warning: This role may not call ecr:StartImageScan (no StartImageScan), so no scan was started: reporting the image's existing scan (from scan on push). Allow ecr:StartImageScan to let the action scan.",
      'info: Scan status: COMPLETE (COMPLETE description).',
    ])
  })

  it.each([
    ['scan on push', 'SCAN_ON_PUSH', ' (Amazon Inspector, scan on push)'],
    ['no frequency the registry names', undefined, ' (Amazon Inspector)'],
  ] as const)('an enhanced registry with %s', async (_, scanFrequency, words) => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({
      registryId: '123456789012',
      scanningConfiguration: {
        scanType: 'ENHANCED',
        rules: scanFrequency
          ? [{ scanFrequency, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }]
          : [],
      },
    })
    ecr.on(DescribeImageScanFindingsCommand).resolves(findings('ACTIVE'))
    await run({ waitTimeoutSeconds: 1 })
    expect(story()[1]).toBe(
      `info: The registry uses enhanced scanning${words}: reporting its findings; ECR takes no manual scans there.`,
    )
  })

  it('a registry that StartImageScan reveals as enhanced', async () => {
    ecr
      .on(GetRegistryScanningConfigurationCommand)
      .rejects(awsError('AccessDeniedException', 'not allowed'))
    ecr
      .on(StartImageScanCommand)
      .rejects(awsError('ValidationException', 'This feature is disabled'))
    ecr.on(DescribeImageScanFindingsCommand).resolves(findings('ACTIVE'))
    await run({ waitTimeoutSeconds: 1 })
    expect(story().slice(0, 3)).toEqual([
      `info: Image team/api:v1 is ${DIGEST}.`,
      'notice: GetRegistryScanningConfiguration was denied, so the scan type is learned from StartImageScan. Set scan-type: basic or enhanced to skip that call.',
      "notice: StartImageScan answered 'This feature is disabled': the registry uses enhanced scanning (Amazon Inspector). Reporting Inspector's findings instead.",
    ])
  })
})

describe('compare-to, from the scanned image’s side', () => {
  const BASE = `sha256:${'d'.repeat(64)}`
  const compareTo = { kind: 'same-repository', imageTag: 'production' } as const

  beforeEach(() => {
    ecr.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'production' }] }).resolves({
      imageDetails: [{ registryId: '123456789012', imageDigest: BASE, imageTags: ['production'] }],
    })
    ecr
      .on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: DIGEST } })
      .resolves(complete)
  })

  it('reads the baseline while the scan runs, never starts a scan of it, and logs what it read', async () => {
    ecr.on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: BASE } }).resolves(
      findings('COMPLETE', {
        imageScanFindings: { findings: [{ name: 'CVE-1', severity: 'CRITICAL' }] },
      }),
    )
    const { result } = await run({ compareTo })
    expect(result.baseline).toMatchObject({ outcome: 'compared', imageDigest: BASE })
    expect(result.baseline?.findings?.map((finding) => finding.id)).toEqual(['CVE-1'])
    expect(
      ecr.commandCalls(StartImageScanCommand).map((call) => call.args[0].input.imageId),
    ).toEqual([{ imageDigest: DIGEST }])
    expect(rec.at('info')).toContain(
      `Baseline team/api:production (${BASE}): 1 finding to compare with.`,
    )
  })

  /** scanImage for `tag` of team/api, sharing `baselines` and counting each request it sends. */
  const scanWith = (
    tag: string,
    overrides: Partial<FlatSettings>,
    baselines: BaselineCache,
    sent: string[] = [],
  ) => {
    const settings = settingsWith({
      images: [{ target: { repositoryName: 'team/api', imageTag: tag }, region: 'us-east-1' }],
      compareTo,
      ...overrides,
    })
    const [request] = settings.images
    if (!request) throw new Error('no image')
    const counted = Object.create(client) as ECRClient
    counted.send = ((command: { constructor: { name: string } }, options?: unknown) => {
      sent.push(command.constructor.name)
      return (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options)
    }) as ECRClient['send']
    return scanImage(request, settings.scan, {
      client: () => counted,
      clock,
      log: rec.log,
      registryScanTypes: new Map(),
      policy: WAIT_POLICY,
      baselines,
    })
  }

  it("sends the baseline's reads through the step's clients, which hold its request budget", async () => {
    const sent: string[] = []
    await scanWith('v1', {}, newBaselineCache(), sent)
    expect(sent).toEqual(ecr.calls().map((call) => call.args[0].constructor.name))
    expect(sent.filter((name) => name === 'DescribeImagesCommand')).toHaveLength(2)
  })

  it('reads the baseline once for every image of the step that compares with it', async () => {
    const baselines = newBaselineCache()
    await Promise.all([scanWith('v1', {}, baselines), scanWith('v2', {}, baselines)])
    const describedTags = ecr
      .commandCalls(DescribeImagesCommand)
      .map((call) => call.args[0].input.imageIds?.[0]?.imageTag)
    expect(describedTags.filter((tag) => tag === 'production')).toHaveLength(1)
    expect(
      ecr
        .commandCalls(DescribeImageScanFindingsCommand)
        .filter((call) => call.args[0].input.imageId?.imageDigest === BASE),
    ).toHaveLength(1)
  })

  it("settles an enhanced image's baseline as it settles the image's own findings", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: BASE } })
      .resolvesOnce(
        realAnswer('findings/enhanced-scan-on-push-complete-before-findings-arrive.json'),
      )
      .resolves(realAnswer('findings/enhanced-active-debian-aws-apiref-example.json'))
    const [outcome] = await scanWith('v1', { scanType: 'ENHANCED' }, newBaselineCache())
    expect(outcome?.result.baseline?.findings?.map((finding) => finding.id)).toEqual([
      'CVE-2022-49043',
    ])
  })

  it("compares each platform of a multi-arch image with the baseline's manifest of the same platform", async () => {
    const index = (mediaType: string, manifests: [string, string, string?][]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        manifests: manifests.map(([digest, architecture, variant]) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest,
          platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
        })),
      })
    const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
    const [AMD, ARM, BASE_AMD, BASE_ARM] = [
      `sha256:${'1'.repeat(64)}`,
      `sha256:${'2'.repeat(64)}`,
      `sha256:${'3'.repeat(64)}`,
      `sha256:${'4'.repeat(64)}`,
    ] as const
    const described = (imageDigest: string) => ({
      imageDetails: [
        { registryId: '123456789012', imageDigest, imageManifestMediaType: OCI_INDEX },
      ],
    })
    ecr.on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v1' }] }).resolves(described(DIGEST))
    ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'production' }] })
      .resolves(described(BASE))
    ecr.on(BatchGetImageCommand, { imageIds: [{ imageDigest: DIGEST }] }).resolves({
      images: [
        {
          imageManifest: index(OCI_INDEX, [
            [AMD, 'amd64'],
            [ARM, 'arm64', 'v8'],
          ]),
        },
      ],
    })
    // The baseline lists its platforms in another order.
    ecr.on(BatchGetImageCommand, { imageIds: [{ imageDigest: BASE }] }).resolves({
      images: [
        {
          imageManifest: index(OCI_INDEX, [
            [BASE_ARM, 'arm64', 'v8'],
            [BASE_AMD, 'amd64'],
          ]),
        },
      ],
    })
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete)
    for (const [digest, id] of [
      [BASE_AMD, 'CVE-AMD'],
      [BASE_ARM, 'CVE-ARM'],
    ] as const) {
      ecr.on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: digest } }).resolves(
        findings('COMPLETE', {
          imageScanFindings: { findings: [{ name: id, severity: 'HIGH' }] },
        }),
      )
    }
    const outcomes = await scanWith('v1', {}, newBaselineCache())
    expect(
      outcomes.map(({ result }) => [
        result.platform,
        result.baseline?.imageDigest,
        result.baseline?.findings?.map((finding) => finding.id),
      ]),
    ).toEqual([
      ['linux/amd64', BASE, ['CVE-AMD']],
      ['linux/arm64/v8', BASE, ['CVE-ARM']],
    ])
    expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(2)
  })

  it('says why a baseline that was never scanned is not compared', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: BASE } })
      .rejects(awsError('ScanNotFoundException', 'no scan'))
    const { result } = await run({ compareTo })
    expect(result.baseline).toMatchObject({ outcome: 'not-scanned', reason: expect.any(String) })
    const line = rec.at('info').find((message) => message.startsWith('Baseline '))
    expect(line).toBe(
      `Baseline team/api:production (${BASE}) is not compared: ${result.baseline?.reason}.`,
    )
  })

  it('says why a baseline that does not exist is not compared', async () => {
    ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'production' }] })
      .rejects(
        awsError(
          'ImageNotFoundException',
          "The image with imageId {imageTag:'production'} does not exist",
        ),
      )
    await run({ compareTo })
    const line = rec.at('info').find((message) => message.startsWith('Baseline '))
    expect(line).toBe(
      "Baseline team/api:production is not compared: Image team/api:production was not found in repository 'team/api' of registry 123456789012 in region us-east-1. Push the image before this step, and check 'image-tag' / 'image-digest'.",
    )
  })
})
