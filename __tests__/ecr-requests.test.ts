// What the ecr/ modules ask ECR, and what they make of its answers, through the real SDK on an
// in-process transport: the registry of another account is named, a cancelled job's signal
// reaches the request, and an answer without the expected data fails with words to act on.
import { describe, expect, it } from '@jest/globals'
import { ActionError, describeFailure } from '../src/kernel/errors.js'
import { describeFindingsPage } from '../src/ecr/findings.js'
import { describeImage } from '../src/ecr/images.js'
import { getIndexManifests } from '../src/ecr/manifests.js'
import { getCallerScanType } from '../src/ecr/registry.js'
import { fakeEcr } from './helpers/ecr-transport.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const OTHER = `sha256:${'b'.repeat(64)}`
const image = { registryId: '210987654321', repositoryName: 'team/api', imageDigest: DIGEST }

function aborted(): AbortSignal {
  const controller = new AbortController()
  controller.abort()
  return controller.signal
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    return describeFailure(error)
  }
  throw new Error('expected a failure')
}

describe('describeImage', () => {
  it('asks for the tag, or for the digest when there is one, in the named registry', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { imageDetails: [{ imageDigest: DIGEST, imageTags: ['v1'] }] } })
    await describeImage(ecr.client, {
      registryId: '210987654321',
      repositoryName: 'team/api',
      imageTag: 'v1',
    })
    await describeImage(ecr.client, { repositoryName: 'team/api', imageDigest: DIGEST })
    expect(ecr.sent.map(({ operation, input }) => [operation, input])).toEqual([
      [
        'DescribeImages',
        { registryId: '210987654321', repositoryName: 'team/api', imageIds: [{ imageTag: 'v1' }] },
      ],
      ['DescribeImages', { repositoryName: 'team/api', imageIds: [{ imageDigest: DIGEST }] }],
    ])
  })

  it('resolves an image of the caller registry that ECR names no registry for', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { imageDetails: [{ imageDigest: DIGEST }] } })
    const resolved = await describeImage(ecr.client, { repositoryName: 'team/api', imageTag: 'v1' })
    expect(resolved).toEqual({
      registryId: '',
      repositoryName: 'team/api',
      imageDigest: DIGEST,
      imageTag: 'v1',
      imageManifestMediaType: undefined,
    })
  })

  it('hands the cancellation signal to the request', async () => {
    const ecr = fakeEcr()
    await expect(
      describeImage(ecr.client, { repositoryName: 'team/api', imageTag: 'v1' }, aborted()),
    ).rejects.toThrow()
    expect(ecr.sent[0]?.signal?.aborted).toBe(true)
  })

  it('says to push the image when ECR returns none', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { imageDetails: [] } })
    expect(
      await failureOf(describeImage(ecr.client, { repositoryName: 'team/api', imageTag: 'v1' })),
    ).toBe(
      "ECR returned no image for team/api:v1. Push the image before this step, and check 'image-tag' / 'image-digest'.",
    )
  })

  it('says which tags the digest has when the tag points elsewhere, or that it has none', async () => {
    const ecr = fakeEcr()
    ecr.answer(
      { body: { imageDetails: [{ imageDigest: DIGEST, imageTags: ['v2', 'latest'] }] } },
      { body: { imageDetails: [{ imageDigest: DIGEST }] } },
    )
    const target = { repositoryName: 'team/api', imageTag: 'v1', imageDigest: DIGEST }
    const hint = "Give the digest the tag points to, or only one of 'image-tag' and 'image-digest'."
    expect(await failureOf(describeImage(ecr.client, target))).toBe(
      `Tag 'v1' does not point to ${DIGEST} in 'team/api' (that image has v2, latest). ${hint}`,
    )
    expect(await failureOf(describeImage(ecr.client, target))).toBe(
      `Tag 'v1' does not point to ${DIGEST} in 'team/api' (that image has no tags). ${hint}`,
    )
  })
})

describe('getIndexManifests', () => {
  const index = JSON.stringify({
    manifests: [{ digest: OTHER, platform: { os: 'linux', architecture: 'arm64' } }],
  })

  it('reads the index from its registry, accepting the index media types', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { images: [{ imageManifest: index }] } })
    expect(await getIndexManifests(ecr.client, image)).toEqual([
      { platform: 'linux/arm64', imageDigest: OTHER, imageManifestMediaType: undefined },
    ])
    expect(ecr.sent[0]).toMatchObject({
      operation: 'BatchGetImage',
      input: {
        registryId: '210987654321',
        repositoryName: 'team/api',
        imageIds: [{ imageDigest: DIGEST }],
        acceptedMediaTypes: [
          'application/vnd.oci.image.index.v1+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
        ],
      },
    })
  })

  it('hands the cancellation signal to the request', async () => {
    const ecr = fakeEcr()
    await expect(getIndexManifests(ecr.client, image, aborted())).rejects.toThrow()
    expect(ecr.sent[0]?.signal?.aborted).toBe(true)
  })

  it("gives ECR's reason when the index cannot be read, and the permission it needs", async () => {
    const ecr = fakeEcr()
    ecr.answer(
      {
        body: {
          images: [],
          failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
        },
      },
      { body: { images: [] } },
    )
    const permission =
      'The role needs ecr:BatchGetImage to scan the platforms of a multi-arch image.'
    expect(await failureOf(getIndexManifests(ecr.client, image))).toBe(
      `Could not read the image index ${DIGEST} of 'team/api': Requested image not found. ${permission}`,
    )
    expect(await failureOf(getIndexManifests(ecr.client, image))).toBe(
      `Could not read the image index ${DIGEST} of 'team/api': no manifest returned. ${permission}`,
    )
  })
})

describe('describeFindingsPage', () => {
  it('asks for the image by digest, naming the registry only when there is one', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: {} } })
    await describeFindingsPage(ecr.client, image, undefined)
    await describeFindingsPage(ecr.client, { ...image, registryId: '' }, 'page-2')
    expect(ecr.sent.map(({ input }) => input)).toEqual([
      {
        registryId: '210987654321',
        repositoryName: 'team/api',
        imageId: { imageDigest: DIGEST },
        maxResults: 1000,
      },
      {
        repositoryName: 'team/api',
        imageId: { imageDigest: DIGEST },
        maxResults: 1000,
        nextToken: 'page-2',
      },
    ])
  })

  it('hands the cancellation signal to the request', async () => {
    const ecr = fakeEcr()
    await expect(describeFindingsPage(ecr.client, image, undefined, aborted())).rejects.toThrow()
    expect(ecr.sent[0]?.signal?.aborted).toBe(true)
  })
})

describe('getCallerScanType', () => {
  it('hands the cancellation signal to the request', async () => {
    const ecr = fakeEcr()
    await expect(getCallerScanType(ecr.client, aborted())).rejects.toThrow()
    expect(ecr.sent[0]?.signal?.aborted).toBe(true)
  })

  it('reports a denied read as denied, and lets any other error through', async () => {
    const ecr = fakeEcr()
    ecr.answer(
      { status: 400, error: 'AccessDeniedException', message: 'not authorized' },
      { status: 500, error: 'ServerException', message: 'internal failure' },
    )
    expect(await getCallerScanType(ecr.client)).toEqual({ denied: true })
    await expect(getCallerScanType(ecr.client)).rejects.toThrow('internal failure')
  })

  it('keeps only the filters that say something, trimmed', async () => {
    const ecr = fakeEcr()
    ecr.answer({
      body: {
        registryId: '123456789012',
        scanningConfiguration: {
          scanType: 'ENHANCED',
          rules: [
            {
              scanFrequency: 'SCAN_ON_PUSH',
              repositoryFilters: [
                { filter: ' prod* ', filterType: 'WILDCARD' },
                { filter: '  ', filterType: 'WILDCARD' },
                { filterType: 'WILDCARD' },
              ],
            },
          ],
        },
      },
    })
    expect(await getCallerScanType(ecr.client)).toEqual({
      registryId: '123456789012',
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', filters: ['prod*'] }],
    })
  })
})
