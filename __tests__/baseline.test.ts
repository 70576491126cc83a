// compare-to's baseline, read on its own (readBaseline) against a mocked ECR and virtual time:
// what is read, what is shared between the images of a step, and every way it can fail to be
// compared. The scanned image's side is in scan-image.test.ts, the bundle's in e2e-compare.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
} from '@aws-sdk/client-ecr'
import { FakeClock } from '../__fixtures__/clock.js'
import { realAnswer, realJson } from '../__fixtures__/realdata.js'
import { newBaselineCache, readBaseline, type BaselineCache } from '../src/scan/baseline.js'
import { WAIT_POLICY } from '../src/kernel/wait-policy.js'
import type { Log } from '../src/kernel/log.js'
import type { ResolvedImage } from '../src/kernel/model.js'
import type { BaselineRef } from '../src/inputs/settings.js'

const SCANNED = `sha256:${'c'.repeat(64)}`
const BASE = `sha256:${'d'.repeat(64)}`
const AMD = `sha256:${'a'.repeat(64)}`
const ARM = `sha256:${'b'.repeat(64)}`
const ecr = mockClient(ECRClient)
const client = new ECRClient({ region: 'us-east-1' })
const production: BaselineRef = { kind: 'same-repository', imageTag: 'production' }
const scanned: ResolvedImage = {
  registryId: '123456789012',
  repositoryName: 'team/api',
  imageDigest: SCANNED,
  imageTag: 'v2',
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } })
}

const complete = (...ids: string[]) => ({
  imageScanStatus: { status: 'COMPLETE' as const, description: 'The scan was completed.' },
  imageScanFindings: {
    findingSeverityCounts: ids.length > 0 ? { HIGH: ids.length } : {},
    findings: ids.map((name) => ({ name, severity: 'HIGH' as const })),
  },
})

let lines: string[]
let cache: BaselineCache
let clock: FakeClock
/** The regions the baseline asked the step for a client in, in order. */
let regions: string[]
const log: Log = {
  info: (message) => lines.push(message),
  notice: (message) => lines.push(message),
  warning: (message) => lines.push(message),
  debug: () => undefined,
}
const read = (
  platform?: string,
  ref: BaselineRef = production,
  timeoutMs = 60_000,
  { image = scanned, region = 'us-east-1', settle = false } = {},
) =>
  readBaseline(
    ref,
    { image, region, platform, settle },
    {
      client: (asked) => {
        regions.push(asked)
        return client
      },
      clock,
      log,
      timeoutMs,
      cache,
      policy: WAIT_POLICY,
    },
  )

beforeEach(() => {
  ecr.reset()
  lines = []
  cache = newBaselineCache()
  clock = new FakeClock()
  regions = []
  ecr.on(DescribeImagesCommand).resolves({
    imageDetails: [{ registryId: '123456789012', imageDigest: BASE, imageTags: ['production'] }],
  })
  ecr.on(DescribeImageScanFindingsCommand).resolves(complete('CVE-1', 'CVE-2'))
})

describe('readBaseline', () => {
  it("resolves the tag in the scanned image's repository and reads its findings, never scanning it", async () => {
    const baseline = await read()
    expect(baseline).toEqual({
      label: 'team/api:production',
      imageDigest: BASE,
      outcome: 'compared',
      findings: [
        expect.objectContaining({ id: 'CVE-1' }),
        expect.objectContaining({ id: 'CVE-2' }),
      ],
    })
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageIds: [{ imageTag: 'production' }],
    })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input).toMatchObject({
      repositoryName: 'team/api',
      imageId: { imageDigest: BASE },
    })
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
    expect(lines).toEqual([
      '[baseline team/api:production] Scan status: COMPLETE (The scan was completed.).',
    ])
  })

  it('reads the existing scan at once: no first delay, one request', async () => {
    await read()
    expect(clock.sleeps).toEqual([])
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
  })

  it('reads every page of its findings', async () => {
    const first = realAnswer<DescribeImageScanFindingsCommandOutput>(
      'findings/basic-cvss3-debian-page1-nextToken-dynatrace.json',
    )
    const last = realAnswer<DescribeImageScanFindingsCommandOutput>(
      'findings/basic-clair-alpine-complete-workshop.json',
    )
    ecr.on(DescribeImageScanFindingsCommand).resolves(first)
    ecr.on(DescribeImageScanFindingsCommand, { nextToken: first.nextToken }).resolves(last)
    const baseline = await read()
    expect(baseline.outcome).toBe('compared')
    expect(baseline.findings?.map((finding) => finding.id)).toEqual(
      [
        ...(first.imageScanFindings?.findings ?? []),
        ...(last.imageScanFindings?.findings ?? []),
      ].map((finding) => finding.name),
    )
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })

  it("settles an enhanced baseline's findings as the scanned image's are: COMPLETE with none yet is not final", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(
        realAnswer('findings/enhanced-scan-on-push-complete-before-findings-arrive.json'),
      )
      .resolves(realAnswer('findings/enhanced-active-debian-aws-apiref-example.json'))
    const baseline = await read(undefined, production, 60_000, { settle: true })
    expect(baseline.outcome).toBe('compared')
    expect(baseline.findings?.map((finding) => [finding.id, finding.packageName])).toEqual([
      ['CVE-2022-49043', 'libxml2'],
    ])
  })

  it('reads a full image URI in its own registry, repository and region', async () => {
    const uri: BaselineRef = {
      kind: 'image',
      target: { registryId: '210987654321', repositoryName: 'base/api', imageTag: 'prod' },
      region: 'eu-west-1',
    }
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ registryId: '210987654321', imageDigest: BASE, imageTags: ['prod'] }],
    })
    expect(await read(undefined, uri)).toMatchObject({
      label: 'base/api:prod',
      imageDigest: BASE,
      outcome: 'compared',
    })
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({
      registryId: '210987654321',
      repositoryName: 'base/api',
      imageIds: [{ imageTag: 'prod' }],
    })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input).toMatchObject({
      registryId: '210987654321',
      repositoryName: 'base/api',
      imageId: { imageDigest: BASE },
    })
    expect([...new Set(regions)]).toEqual(['eu-west-1'])
  })

  it('takes the same tag in another region or registry for another image, read on its own', async () => {
    await read()
    await read(undefined, production, 60_000, { region: 'eu-west-1' })
    await read(undefined, production, 60_000, { image: { ...scanned, registryId: '210987654321' } })
    expect(
      ecr.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input.registryId),
    ).toEqual(['123456789012', '123456789012', '210987654321'])
    expect([...new Set(regions)]).toEqual(['us-east-1', 'eu-west-1'])
  })

  it('is read once a step, however many images compare with it', async () => {
    const [first, second] = await Promise.all([read(), read()])
    expect(second).toBe(first)
    await read()
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1)
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
    // Another baseline is another read.
    await read(undefined, { kind: 'same-repository', imageDigest: BASE })
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(2)
  })

  it.each([
    ['ImageNotFoundException', 'missing'],
    ['RepositoryNotFoundException', 'missing'],
    ['AccessDeniedException', 'unreadable'],
  ] as const)('on %s, is %s, saying why in words', async (name, outcome) => {
    ecr.on(DescribeImagesCommand).rejects(awsError(name, `${name} message`))
    const baseline = await read()
    expect(baseline).toMatchObject({ label: 'team/api:production', outcome })
    expect(baseline.reason).toEqual(expect.stringContaining('team/api'))
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
  })

  it('is missing when ECR answers with no image', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [] })
    expect(await read()).toMatchObject({ outcome: 'missing' })
  })

  it('is not scanned when ECR has no scan of it, said at once: nobody will start one', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('ScanNotFoundException', 'no scan'))
    expect(await read()).toEqual({
      label: 'team/api:production',
      imageDigest: BASE,
      outcome: 'not-scanned',
      reason: 'ECR has no scan of it',
    })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('is not scanned when its scan ended without findings, quoting the status', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'FAILED', description: 'UnsupportedImageError' },
    })
    expect(await read()).toMatchObject({
      outcome: 'not-scanned',
      reason: 'its scan ended FAILED (UnsupportedImageError)',
    })
  })

  it('is unreadable when its scan is still running at wait-timeout', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves({ imageScanStatus: { status: 'IN_PROGRESS', description: 'scanning' } })
    expect(await read(undefined, production, 10_000)).toMatchObject({
      outcome: 'unreadable',
      reason: 'its scan could not be read within wait-timeout (last status IN_PROGRESS (scanning))',
    })
  })

  it('says its status is unknown when ECR answered none by wait-timeout', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({})
    expect(await read(undefined, production, 10_000)).toMatchObject({
      outcome: 'unreadable',
      reason: 'its scan could not be read within wait-timeout (last status unknown)',
    })
  })

  it('is unreadable when the job is cancelled while its scan is read', async () => {
    const cancelled = new AbortController()
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      cancelled.abort()
      return { imageScanStatus: { status: 'IN_PROGRESS', description: 'scanning' } }
    })
    const baseline = await readBaseline(
      production,
      { image: scanned, region: 'us-east-1', settle: false },
      {
        client: () => client,
        clock,
        log,
        timeoutMs: 60_000,
        cache,
        signal: cancelled.signal,
        policy: WAIT_POLICY,
      },
    )
    expect(baseline).toEqual({
      label: 'team/api:production',
      imageDigest: BASE,
      outcome: 'unreadable',
      reason: 'the job was cancelled',
    })
  })

  it('is unreadable when reading its scan fails', async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError('AccessDeniedException', 'denied'))
    const baseline = await read()
    expect(baseline).toMatchObject({ outcome: 'unreadable', imageDigest: BASE })
    expect(baseline.reason).toContain('denied')
  })
})

describe('readBaseline of a multi-arch baseline', () => {
  const index = (platforms: [string, string][]) =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: platforms.map(([digest, architecture]) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest,
        platform: { os: 'linux', architecture },
      })),
    })

  beforeEach(() => {
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [
        {
          registryId: '123456789012',
          imageDigest: BASE,
          imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
        },
      ],
    })
    ecr.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifest: index([
            [AMD, 'amd64'],
            [ARM, 'arm64'],
          ]),
        },
      ],
    })
    ecr
      .on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: ARM } })
      .resolves(complete('CVE-ARM'))
  })

  it("compares a platform with the baseline's manifest of the same platform, and names the index", async () => {
    const baseline = await read('linux/arm64')
    expect(baseline).toMatchObject({ imageDigest: BASE, outcome: 'compared' })
    expect(baseline.findings?.map((finding) => finding.id)).toEqual(['CVE-ARM'])
    expect(
      ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.imageId),
    ).toEqual([{ imageDigest: ARM }])
  })

  it('resolves the index once for all platforms', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: AMD } })
      .resolves(complete('CVE-AMD'))
    await Promise.all([read('linux/arm64'), read('linux/amd64')])
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1)
    expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(1)
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(2)
  })

  it('takes linux/arm64/v8 and linux/arm64 for one platform, as builders spell it either way', async () => {
    // BuildKit writes arm64 without a variant; the scanned index may say arm64/v8.
    const buildkit = realJson<{
      manifests: { digest: string; platform: { architecture: string } }[]
    }>('manifests/oci-index-buildx-attestations-multi-platform-buildkit-master.json')
    const arm64 = buildkit.manifests.find((entry) => entry.platform.architecture === 'arm64')
    ecr.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: JSON.stringify(buildkit) }] })
    ecr
      .on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: arm64?.digest } })
      .resolves(complete('CVE-ARM64'))
    expect((await read('linux/arm64/v8')).findings?.map((finding) => finding.id)).toEqual([
      'CVE-ARM64',
    ])
    // Other variants stay apart: its arm/v7 is not an arm/v6.
    expect(await read('linux/arm/v6')).toMatchObject({ outcome: 'compared', findings: [] })
  })

  it('has nothing for a platform it lacks: all of that platform is new', async () => {
    expect(await read('linux/s390x')).toEqual({
      label: 'team/api:production',
      imageDigest: BASE,
      outcome: 'compared',
      findings: [],
    })
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
  })

  it('cannot say which of its platforms a single-manifest image compares with', async () => {
    expect(await read()).toEqual({
      label: 'team/api:production',
      imageDigest: BASE,
      outcome: 'unreadable',
      reason:
        'it is a multi-arch image (linux/amd64, linux/arm64) and the scanned image is one manifest, so no platform of it is the one to compare with',
    })
  })

  it('compares a single-manifest image with the only platform of a one-platform index', async () => {
    ecr.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: index([[ARM, 'arm64']]) }] })
    expect((await read())?.findings?.map((finding) => finding.id)).toEqual(['CVE-ARM'])
  })

  it('is unreadable when the index cannot be read', async () => {
    ecr.on(BatchGetImageCommand).rejects(awsError('AccessDeniedException', 'no BatchGetImage'))
    expect(await read('linux/arm64')).toMatchObject({ outcome: 'unreadable', imageDigest: BASE })
  })
})
