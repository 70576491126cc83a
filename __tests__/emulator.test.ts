// The ECR emulator through the unmodified AWS SDK: wire protocol, images and indexes, scan
// lifecycles on a manual clock, the daily quota, enhanced scanning and pagination.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetRegistryScanningConfigurationCommand,
  PutImageCommand,
  PutRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandInput,
} from '@aws-sdk/client-ecr'
import {
  DOCKER_MANIFEST_LIST,
  ManualClock,
  OCI_INDEX,
  type ScanOutcome,
} from '../tools/emulator/index.ts'
import {
  basicFindings,
  enhancedFindings,
  failure,
  wireRequest,
  withEmulator,
} from './helpers/emulator.js'

const START = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000
const DAY = 24 * HOUR
const ACCOUNT = '123456789012'
const UNSUPPORTED =
  'UnsupportedImageError: The operating system and/or package manager are not supported.'

const clock = new ManualClock(START)
const { emulator, ecr } = withEmulator(clock)

const raw = (operation: string, body: unknown) => wireRequest(emulator.url, operation, body)

const findingsOf = (
  repositoryName: string,
  imageTag: string,
  extra: Partial<DescribeImageScanFindingsCommandInput> = {},
) =>
  ecr.send(
    new DescribeImageScanFindingsCommand({ repositoryName, imageId: { imageTag }, ...extra }),
  )

const startScan = (repositoryName: string, imageTag: string) =>
  ecr.send(new StartImageScanCommand({ repositoryName, imageId: { imageTag } }))

describe('wire protocol', () => {
  it('answers errors as HTTP status + {__type, message} with a request id', async () => {
    const { response, json } = await raw('DescribeImages', { repositoryName: 'missing' })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(json).toEqual({
      __type: 'RepositoryNotFoundException',
      message: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    })
  })

  it('gives the SDK the error class, status and request id', async () => {
    type SdkError = Error & { $metadata: { httpStatusCode: number; requestId?: string } }
    const error = await ecr.send(new DescribeImagesCommand({ repositoryName: 'missing' })).then(
      () => undefined,
      (e: unknown) => e as SdkError,
    )
    if (!error) throw new Error('expected RepositoryNotFoundException')
    expect(error.name).toBe('RepositoryNotFoundException')
    expect(error.$metadata.httpStatusCode).toBe(400)
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('rejects an unknown operation with UnknownOperationException', async () => {
    const { response, json } = await raw('DeleteEverything', {})
    expect(response.status).toBe(400)
    expect(json).toMatchObject({ __type: 'UnknownOperationException' })
  })

  it('writes timestamps as epoch seconds', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1', pushedAt: START + 1500 })
    const { json } = await raw('DescribeImages', { repositoryName: 'app' })
    expect(
      (json as { imageDetails: { imagePushedAt: unknown }[] }).imageDetails[0]?.imagePushedAt,
    ).toBe((START + 1500) / 1000)
    const viaSdk = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))
    expect(viaSdk.imageDetails?.[0]?.imagePushedAt).toEqual(new Date(START + 1500))
  })

  it('reports missing required members as ValidationException', async () => {
    const { response, json } = await raw('StartImageScan', { imageId: { imageTag: 'v1' } })
    expect(response.status).toBe(400)
    expect(json).toMatchObject({ __type: 'ValidationException' })
  })
})

describe('repositories and images', () => {
  it('creates and describes repositories, refusing duplicates', async () => {
    const created = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'team/app',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    )
    expect(created.repository).toMatchObject({
      repositoryName: 'team/app',
      registryId: ACCOUNT,
      repositoryUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/team/app`,
      imageScanningConfiguration: { scanOnPush: true },
    })
    const described = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['team/app'] }),
    )
    expect(described.repositories?.map((r) => r.repositoryName)).toEqual(['team/app'])
    expect(
      await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' }))),
    ).toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    })
    expect(
      await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'Bad Name' }))),
    ).toMatchObject({
      name: 'InvalidParameterException',
    })
  })

  it('stores PutImage under the sha256 of the manifest bytes and moves tags', async () => {
    emulator.createRepository('app')
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      layers: [],
    })
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`
    const put = await ecr.send(
      new PutImageCommand({ repositoryName: 'app', imageTag: 'v1', imageManifest: manifest }),
    )
    expect(put.image?.imageId).toEqual({ imageDigest: digest, imageTag: 'v1' })
    expect(put.image?.imageManifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json')
    expect(
      await failure(
        ecr.send(
          new PutImageCommand({ repositoryName: 'app', imageTag: 'v1', imageManifest: manifest }),
        ),
      ),
    ).toMatchObject({ name: 'ImageAlreadyExistsException' })

    const other = emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    const details = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))
    const tagsByDigest = Object.fromEntries(
      details.imageDetails?.map((d) => [d.imageDigest, d.imageTags]) ?? [],
    )
    expect(tagsByDigest).toEqual({ [digest]: undefined, [other]: ['v1'] })
  })

  it('describes images by tag and by digest with ECR fields', async () => {
    const digest = emulator.putImage({ repositoryName: 'app', tag: 'v1', pushedAt: START - HOUR })
    const expected = {
      registryId: ACCOUNT,
      repositoryName: 'app',
      imageDigest: digest,
      imageTags: ['v1'],
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imagePushedAt: new Date(START - HOUR),
    }
    const byTag = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
    )
    expect(byTag.imageDetails).toEqual([expect.objectContaining(expected)])
    const byDigest = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageDigest: digest }] }),
    )
    expect(byDigest.imageDetails).toEqual([expect.objectContaining(expected)])
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it('answers missing images and repositories with ECR messages', async () => {
    emulator.createRepository('app')
    expect(
      await failure(
        ecr.send(
          new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'nope' }] }),
        ),
      ),
    ).toEqual({
      name: 'ImageNotFoundException',
      status: 400,
      message: `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    })
    expect(
      await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'other' }))),
    ).toMatchObject({
      name: 'RepositoryNotFoundException',
    })
  })

  it('returns manifests from BatchGetImage with failures for missing images', async () => {
    const digest = emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    const result = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'v1' }, { imageTag: 'gone' }],
      }),
    )
    expect(result.images).toHaveLength(1)
    expect(result.images?.[0]).toMatchObject({
      imageId: { imageDigest: digest, imageTag: 'v1' },
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    })
    const manifest = result.images?.[0]?.imageManifest ?? ''
    expect(`sha256:${createHash('sha256').update(manifest).digest('hex')}`).toBe(digest)
    expect(result.failures).toEqual([
      {
        imageId: { imageTag: 'gone' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ])
  })

  it('seeds an OCI image index with children and attestations that BatchGetImage lists', async () => {
    const index = emulator.putImageIndex({
      repositoryName: 'app',
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
      attestation: true,
    })
    expect(index.childDigests).toHaveLength(2)
    expect(index.attestationDigests).toHaveLength(2)

    const notAccepted = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
      }),
    )
    expect(notAccepted.images).toEqual([])
    expect(notAccepted.failures?.[0]?.failureCode).toBe('ImageNotFound')

    const result = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }],
        acceptedMediaTypes: [OCI_INDEX, DOCKER_MANIFEST_LIST],
      }),
    )
    const image = result.images?.[0]
    expect(image?.imageManifestMediaType).toBe(OCI_INDEX)
    expect(image?.imageId?.imageDigest).toBe(index.imageDigest)
    const parsed = JSON.parse(image?.imageManifest ?? '{}') as {
      manifests: {
        digest: string
        platform: { os: string; architecture: string; variant?: string }
        annotations?: Record<string, string>
      }[]
    }
    expect(parsed.manifests.map((m) => m.digest)).toEqual([
      ...index.childDigests,
      ...index.attestationDigests,
    ])
    expect(parsed.manifests[1]?.platform).toEqual({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    })
    expect(parsed.manifests[2]).toMatchObject({
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': index.childDigests[0],
      },
    })

    const children = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'app',
        imageIds: index.childDigests.map((imageDigest) => ({ imageDigest })),
      }),
    )
    expect(children.imageDetails?.map((d) => d.imageManifestMediaType)).toEqual([
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
    ])
    expect(children.imageDetails?.every((d) => d.imageTags === undefined)).toBe(true)
  })

  it('seeds a Docker manifest list with Docker child manifests', async () => {
    const index = emulator.putImageIndex({
      repositoryName: 'app',
      tag: 'list',
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      mediaType: DOCKER_MANIFEST_LIST,
    })
    const described = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'list' }, { imageDigest: index.childDigests[0] }],
      }),
    )
    expect(described.imageDetails?.map((d) => d.imageManifestMediaType)).toEqual([
      DOCKER_MANIFEST_LIST,
      'application/vnd.docker.distribution.manifest.v2+json',
    ])
  })
})

describe('basic scans', () => {
  it('answers ScanNotFoundException before any scan', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    expect(await failure(findingsOf('app', 'v1'))).toEqual({
      name: 'ScanNotFoundException',
      status: 400,
      message: `Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}' in the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    })
  })

  it('stays IN_PROGRESS for durationMs, then COMPLETE with findings and counts', async () => {
    const digest = emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    emulator.setScanProfile(
      { repositoryName: 'app', imageTag: 'v1' },
      {
        durationMs: 30_000,
        findings: [...basicFindings(2, 'CRITICAL'), ...basicFindings(1, 'LOW')],
      },
    )
    const started = await startScan('app', 'v1')
    expect(started).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'app',
      imageId: { imageDigest: digest, imageTag: 'v1' },
      imageScanStatus: { status: 'IN_PROGRESS' },
    })
    clock.advance(29_999)
    const running = await findingsOf('app', 'v1')
    expect(running.imageScanStatus?.status).toBe('IN_PROGRESS')
    expect(running.imageScanFindings).toBeUndefined()

    clock.advance(1)
    const done = await findingsOf('app', 'v1')
    expect(done.imageScanStatus).toEqual({
      status: 'COMPLETE',
      description: 'The scan was completed successfully.',
    })
    expect(done.imageScanFindings?.findings).toHaveLength(3)
    expect(done.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 2, LOW: 1 })
    expect(done.imageScanFindings?.imageScanCompletedAt).toEqual(new Date(START + 30_000))
  })

  it('fails with the UnsupportedImageError description', async () => {
    emulator.putImage({
      repositoryName: 'app',
      tag: 'scratch',
      scanProfile: { durationMs: 1000, outcome: 'FAILED' },
    })
    await startScan('app', 'scratch')
    clock.advance(1000)
    const failed = await findingsOf('app', 'scratch')
    expect(failed.imageScanStatus).toEqual({ status: 'FAILED', description: UNSUPPORTED })
    expect(failed.imageScanFindings).toBeUndefined()
  })

  it.each<ScanOutcome>([
    'UNSUPPORTED_IMAGE',
    'SCAN_ELIGIBILITY_EXPIRED',
    'FINDINGS_UNAVAILABLE',
    'IMAGE_ARCHIVED',
  ])('reports the configured outcome %s', async (outcome) => {
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v1',
      scanProfile: { outcome, description: `because ${outcome}` },
    })
    await startScan('app', 'v1')
    const answer = await findingsOf('app', 'v1')
    expect(answer.imageScanStatus).toEqual({ status: outcome, description: `because ${outcome}` })
  })

  it('prefers the image profile, then the repository profile, then the registry default', async () => {
    emulator.setScanProfile({}, { outcome: 'FINDINGS_UNAVAILABLE' })
    emulator.createRepository('app', { scanProfile: { outcome: 'UNSUPPORTED_IMAGE' } })
    emulator.putImage({ repositoryName: 'app', tag: 'own', scanProfile: { outcome: 'FAILED' } })
    emulator.putImage({ repositoryName: 'app', tag: 'repo' })
    emulator.putImage({ repositoryName: 'other', tag: 'default' })
    for (const [repositoryName, tag] of [
      ['app', 'own'],
      ['app', 'repo'],
      ['other', 'default'],
    ] as const) {
      await startScan(repositoryName, tag)
    }
    expect((await findingsOf('app', 'own')).imageScanStatus?.status).toBe('FAILED')
    expect((await findingsOf('app', 'repo')).imageScanStatus?.status).toBe('UNSUPPORTED_IMAGE')
    expect((await findingsOf('other', 'default')).imageScanStatus?.status).toBe(
      'FINDINGS_UNAVAILABLE',
    )
  })

  it('adds late findings to a COMPLETE scan as time passes, counting all of them', async () => {
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v1',
      scanProfile: {
        findings: basicFindings(1),
        lateFindings: [{ afterMs: 60_000, findings: basicFindings(2, 'LOW') }],
      },
    })
    await startScan('app', 'v1')
    expect((await findingsOf('app', 'v1')).imageScanFindings?.findingSeverityCounts).toEqual({
      HIGH: 1,
    })
    clock.advance(60_000)
    const later = await findingsOf('app', 'v1')
    expect(later.imageScanFindings?.findings).toHaveLength(3)
    expect(later.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 1, LOW: 2 })
  })

  it('an attestation manifest fails a basic scan by default', async () => {
    const index = emulator.putImageIndex({
      repositoryName: 'app',
      tag: 'multi',
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      attestation: true,
    })
    const imageId = { imageDigest: index.attestationDigests[0] }
    await ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId }))
    const answer = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: 'app', imageId }),
    )
    expect(answer.imageScanStatus).toEqual({ status: 'FAILED', description: UNSUPPORTED })
  })
})

describe('the 24-hour scan quota', () => {
  const LIMIT = {
    name: 'LimitExceededException',
    status: 400,
    message: 'The scan quota per image has been exceeded. Wait and try again.',
  }

  it('refuses a second scan within 24 hours of the last one (rolling window)', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    await startScan('app', 'v1')
    clock.advance(DAY - 1)
    expect(await failure(startScan('app', 'v1'))).toEqual(LIMIT)
    clock.advance(1)
    expect((await startScan('app', 'v1')).imageScanStatus?.status).toBe('IN_PROGRESS')
    clock.advance(HOUR)
    expect(await failure(startScan('app', 'v1'))).toEqual(LIMIT)
  })

  it('counts the scan on push of a scanOnPush repository', async () => {
    emulator.createRepository('app', { scanOnPush: true })
    emulator.putImage({ repositoryName: 'app', tag: 'v1', scanProfile: { durationMs: 5000 } })
    expect(await failure(startScan('app', 'v1'))).toEqual(LIMIT)
    expect((await findingsOf('app', 'v1')).imageScanStatus?.status).toBe('IN_PROGRESS')
    clock.advance(5000)
    expect((await findingsOf('app', 'v1')).imageScanStatus?.status).toBe('COMPLETE')
  })

  it('counts a scan on push requested through CreateRepository', async () => {
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'app',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    )
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    expect(await failure(startScan('app', 'v1'))).toEqual(LIMIT)
  })

  it('counts seeded scans (scannedAt, markScanned) from their time', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'seeded', scannedAt: START - DAY + HOUR })
    const digest = emulator.putImage({ repositoryName: 'app', tag: 'marked' })
    emulator.markScanned('app', digest, START - 2 * HOUR)
    expect(await failure(startScan('app', 'seeded'))).toEqual(LIMIT)
    expect(await failure(startScan('app', 'marked'))).toEqual(LIMIT)
    clock.advance(HOUR)
    expect((await startScan('app', 'seeded')).imageScanStatus?.status).toBe('IN_PROGRESS')
    expect(await failure(startScan('app', 'marked'))).toEqual(LIMIT)
  })
})

describe('images that cannot be scanned', () => {
  it.each([OCI_INDEX, DOCKER_MANIFEST_LIST])(
    'refuses to scan an index of type %s',
    async (mediaType) => {
      emulator.putImageIndex({
        repositoryName: 'app',
        tag: 'multi',
        platforms: [{ os: 'linux', architecture: 'amd64' }],
        mediaType: mediaType as typeof OCI_INDEX,
      })
      expect(await failure(startScan('app', 'multi'))).toEqual({
        name: 'UnsupportedImageTypeException',
        status: 400,
        message: `An artifact with media type '${mediaType}' cannot be scanned.`,
      })
      expect((await failure(findingsOf('app', 'multi'))).name).toBe('ScanNotFoundException')
    },
  )

  it('refuses to scan an archived image and reports IMAGE_ARCHIVED for its earlier scan', async () => {
    const digest = emulator.putImage({ repositoryName: 'app', tag: 'old', archived: true })
    expect(await failure(startScan('app', 'old'))).toMatchObject({
      name: 'ImageArchivedException',
      status: 400,
    })
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))
    expect(described.imageDetails?.[0]?.imageStatus).toBe('ARCHIVED')

    emulator.setImageArchived('app', digest, false)
    await startScan('app', 'old')
    emulator.setImageArchived('app', digest, true)
    expect((await findingsOf('app', 'old')).imageScanStatus?.status).toBe('IMAGE_ARCHIVED')
  })
})

describe('enhanced scanning', () => {
  it('switches with PutRegistryScanningConfiguration and refuses manual scans', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    const before = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(before).toMatchObject({
      registryId: ACCOUNT,
      scanningConfiguration: { scanType: 'BASIC', rules: [] },
    })
    const put = await ecr.send(
      new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [] }),
    )
    expect(put.registryScanningConfiguration).toEqual({ scanType: 'ENHANCED', rules: [] })
    const after = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(after.scanningConfiguration?.scanType).toBe('ENHANCED')
    expect(await failure(startScan('app', 'v1'))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: 'This feature is disabled',
    })
  })

  it('is PENDING, then ACTIVE with enhanced findings that keep arriving', async () => {
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v1',
      scanProfile: {
        durationMs: 10_000,
        enhancedFindings: enhancedFindings(1, 'HIGH'),
        lateFindings: [{ afterMs: 5000, enhancedFindings: enhancedFindings(2, 'UNTRIAGED') }],
      },
    })
    const pending = await findingsOf('app', 'v1')
    expect(pending.imageScanStatus?.status).toBe('PENDING')
    expect(pending.imageScanFindings).toBeUndefined()

    clock.advance(10_000)
    const active = await findingsOf('app', 'v1')
    expect(active.imageScanStatus).toEqual({
      status: 'ACTIVE',
      description: 'Continuous scan is selected for image.',
    })
    expect(active.imageScanFindings?.enhancedFindings).toHaveLength(1)
    expect(active.imageScanFindings?.findings).toBeUndefined()
    expect(active.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 1 })

    clock.advance(5000)
    const grown = await findingsOf('app', 'v1')
    expect(grown.imageScanFindings?.enhancedFindings).toHaveLength(3)
    expect(grown.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 1, UNTRIAGED: 2 })
    expect(
      grown.imageScanFindings?.enhancedFindings?.[0]?.packageVulnerabilityDetails?.vulnerabilityId,
    ).toBe('CVE-2026-0')
  })

  it('can settle as COMPLETE or SCAN_ELIGIBILITY_EXPIRED instead of ACTIVE', async () => {
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({
      repositoryName: 'app',
      tag: 'push',
      scanProfile: { outcome: 'COMPLETE', enhancedFindings: enhancedFindings(1) },
    })
    emulator.putImage({
      repositoryName: 'app',
      tag: 'stale',
      scanProfile: { outcome: 'SCAN_ELIGIBILITY_EXPIRED' },
    })
    const complete = await findingsOf('app', 'push')
    expect(complete.imageScanStatus?.status).toBe('COMPLETE')
    expect(complete.imageScanFindings?.enhancedFindings).toHaveLength(1)
    expect((await findingsOf('app', 'stale')).imageScanStatus?.status).toBe(
      'SCAN_ELIGIBILITY_EXPIRED',
    )
  })

  it('starts the pending period at the switch for images pushed before it', async () => {
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v1',
      pushedAt: START - DAY,
      scanProfile: { durationMs: 1000 },
    })
    emulator.setRegistryScanType('ENHANCED')
    expect((await findingsOf('app', 'v1')).imageScanStatus?.status).toBe('PENDING')
    clock.advance(1000)
    expect((await findingsOf('app', 'v1')).imageScanStatus?.status).toBe('ACTIVE')
  })
})

describe('findings pagination', () => {
  beforeEach(() => {
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v1',
      scanProfile: { findings: [...basicFindings(200, 'HIGH'), ...basicFindings(50, 'LOW')] },
    })
  })

  it('pages basic findings by 100 by default, counting every finding on every page', async () => {
    await startScan('app', 'v1')
    const sizes: number[] = []
    const names = new Set<string>()
    let nextToken: string | undefined
    do {
      const page = await findingsOf('app', 'v1', { nextToken })
      expect(page.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 200, LOW: 50 })
      sizes.push(page.imageScanFindings?.findings?.length ?? 0)
      for (const finding of page.imageScanFindings?.findings ?? [])
        names.add(`${finding.name}/${finding.severity}`)
      nextToken = page.nextToken
    } while (nextToken)
    expect(sizes).toEqual([100, 100, 50])
    expect(names.size).toBe(250)
  })

  it('honours maxResults up to 1000', async () => {
    await startScan('app', 'v1')
    const page = await findingsOf('app', 'v1', { maxResults: 1000 })
    expect(page.imageScanFindings?.findings).toHaveLength(250)
    expect(page.nextToken).toBeUndefined()
    const small = await findingsOf('app', 'v1', { maxResults: 7 })
    expect(small.imageScanFindings?.findings).toHaveLength(7)
    expect(small.nextToken).toEqual(expect.any(String))
  })

  it.each([0, 1001])('rejects maxResults %d with InvalidParameterException', async (maxResults) => {
    await startScan('app', 'v1')
    expect(await failure(findingsOf('app', 'v1', { maxResults }))).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    })
  })

  it('rejects a nextToken it did not issue', async () => {
    await startScan('app', 'v1')
    expect((await failure(findingsOf('app', 'v1', { nextToken: 'not-a-token' }))).name).toBe(
      'InvalidParameterException',
    )
  })

  it('pages enhanced findings by at most 100 whatever maxResults says', async () => {
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({
      repositoryName: 'app',
      tag: 'e',
      scanProfile: { enhancedFindings: enhancedFindings(250) },
    })
    const sizes: number[] = []
    let nextToken: string | undefined
    do {
      const page = await findingsOf('app', 'e', { maxResults: 1000, nextToken })
      expect(page.imageScanFindings?.findingSeverityCounts).toEqual({ MEDIUM: 250 })
      sizes.push(page.imageScanFindings?.enhancedFindings?.length ?? 0)
      nextToken = page.nextToken
    } while (nextToken)
    expect(sizes).toEqual([100, 100, 50])
    expect(
      (await findingsOf('app', 'e', { maxResults: 30 })).imageScanFindings?.enhancedFindings,
    ).toHaveLength(30)
  })
})
