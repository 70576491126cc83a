// A pattern step finds its images: every page of repositories and of images (the real SDK on an
// in-process transport), which images are picked (never pulled, pulled exactly N days ago,
// archived, no such tag), the counted log line, and the failures that name the pattern.
import { describe, expect, it } from '@jest/globals'
import { describeFailure } from '../src/kernel/errors.js'
import type { WatchSettings } from '../src/inputs/settings.js'
import { listImages, listRepositories, type ListedImage } from '../src/ecr/listing.js'
import { discoverImages } from '../src/scan/discover.js'
import { selectImages } from '../src/scan/select.js'
import { FakeClock } from '../__fixtures__/clock.js'
import { realAnswer } from '../__fixtures__/realdata.js'
import { fakeEcr, type Answer } from './helpers/ecr-transport.js'

const DAY = 24 * 60 * 60 * 1000
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0)
const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`

const WATCH: WatchSettings = {
  pattern: 'team/*',
  region: 'eu-west-1',
  imageTags: [],
  imageDigests: [],
  pulledWithinDays: 7,
}

function listed(repositoryName: string, n: number, extra: Partial<ListedImage> = {}): ListedImage {
  return {
    registryId: '123456789012',
    repositoryName,
    imageDigest: digest(n),
    imageTags: [`v${n}`],
    ...extra,
  }
}

function silentLog(lines: string[] = []) {
  return {
    info: (message: string) => lines.push(message),
    notice: (message: string) => lines.push(message),
    warning: (message: string) => lines.push(message),
    debug: () => undefined,
  }
}

describe('listing the registry', () => {
  it('reads every page of repositories, passing each token back', async () => {
    const ecr = fakeEcr()
    const pages: Answer[] = [1, 2, 3].map((page) => ({
      body: {
        repositories: [{ repositoryName: `team/r${page}` }, { repositoryName: `other/r${page}` }],
        ...(page < 3 ? { nextToken: `t${page}` } : {}),
      },
    }))
    ecr.answer(...pages)
    const names = await listRepositories(ecr.client, '210987654321')
    expect(names).toEqual(['team/r1', 'other/r1', 'team/r2', 'other/r2', 'team/r3', 'other/r3'])
    expect(ecr.sent.map(({ operation, input }) => [operation, input])).toEqual([
      ['DescribeRepositories', { registryId: '210987654321', maxResults: 1000 }],
      ['DescribeRepositories', { registryId: '210987654321', maxResults: 1000, nextToken: 't1' }],
      ['DescribeRepositories', { registryId: '210987654321', maxResults: 1000, nextToken: 't2' }],
    ])
  })

  it('reads every page of images, with the pull time and status ECR gives', async () => {
    const ecr = fakeEcr()
    const real = realAnswer<{ imageDetails: Record<string, unknown>[] }>(
      'other/ecr-describe-images-2026-last-recorded-pull-time.json',
    )
    // ECR's wire format: epoch seconds; the fixture keeps the real ones.
    const raw = JSON.parse(JSON.stringify(real.imageDetails[0])) as Record<string, unknown>
    raw.lastRecordedPullTime = 1783015780.701
    raw.imagePushedAt = 1783015771.935
    ecr.answer(
      { body: { imageDetails: [raw], nextToken: 'p1' } },
      { body: { imageDetails: [{ imageDigest: digest(2), imageStatus: 'ARCHIVED' }] } },
    )
    const images = await listImages(ecr.client, undefined, 'dsf-ai')
    expect(images).toEqual([
      {
        registryId: '123456789012',
        repositoryName: 'dsf-ai',
        imageDigest: raw.imageDigest,
        imageTags: ['latest', 'deploy-20260702T180525Z'],
        imageManifestMediaType: undefined,
        lastRecordedPullTime: 1783015780701,
        imageStatus: 'ACTIVE',
      },
      {
        registryId: '',
        repositoryName: 'dsf-ai',
        imageDigest: digest(2),
        imageTags: [],
        imageManifestMediaType: undefined,
        lastRecordedPullTime: undefined,
        imageStatus: 'ARCHIVED',
      },
    ])
    expect(ecr.sent.map(({ input }) => input.nextToken)).toEqual([undefined, 'p1'])
  })

  it('stops when ECR repeats a token', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { repositories: [{ repositoryName: 'a1' }], nextToken: 'same' } })
    const names = await listRepositories(ecr.client, undefined)
    expect(ecr.sent).toHaveLength(2)
    expect(names).toEqual(['a1', 'a1'])
  })
})

describe('selectImages with pulled-within', () => {
  const repository = 'team/api'
  const images = [
    listed(repository, 1, { lastRecordedPullTime: NOW - 7 * DAY }), // exactly 7 days ago: in
    listed(repository, 2, { lastRecordedPullTime: NOW - 7 * DAY - 1 }), // a millisecond earlier: out
    listed(repository, 3), // never pulled
    listed(repository, 4, { lastRecordedPullTime: NOW - DAY, imageStatus: 'ARCHIVED' }),
    listed(repository, 5, { lastRecordedPullTime: NOW - 60_000, imageStatus: 'ACTIVE' }),
    listed(repository, 6, { lastRecordedPullTime: NOW - DAY, imageTags: [] }),
  ]
  const selection = selectImages([{ repositoryName: repository, images }], WATCH, NOW)

  it('takes the images pulled in the window, most recent first, each already described', () => {
    expect(selection.images.map(({ target }) => target)).toEqual([
      { registryId: undefined, repositoryName: repository, imageTag: 'v5' },
      { registryId: undefined, repositoryName: repository, imageDigest: digest(6) },
      { registryId: undefined, repositoryName: repository, imageTag: 'v1' },
    ])
    expect(selection.images[0]).toMatchObject({
      region: 'eu-west-1',
      resolved: { registryId: '123456789012', imageDigest: digest(5), imageTag: 'v5' },
    })
  })

  it('counts what it passes over', () => {
    expect(selection).toMatchObject({
      noSuchImage: [],
      archived: 1,
      neverPulled: 1,
      notPulledRecently: 1,
    })
  })
})

describe('selectImages with tags and digests', () => {
  const watch: WatchSettings = {
    ...WATCH,
    pulledWithinDays: undefined,
    imageTags: ['production'],
    imageDigests: [digest(9)],
  }
  const listings = [
    { repositoryName: 'team/web', images: [listed('team/web', 1, { imageTags: ['production'] })] },
    { repositoryName: 'team/api', images: [listed('team/api', 9)] },
    {
      repositoryName: 'team/db',
      images: [listed('team/db', 3, { imageTags: ['production'], imageStatus: 'ARCHIVED' })],
    },
  ]
  const selection = selectImages(listings, watch, NOW)

  it('takes each in the repositories that have it, in name order', () => {
    expect(selection.images.map(({ target }) => target)).toEqual([
      { registryId: undefined, repositoryName: 'team/api', imageDigest: digest(9) },
      { registryId: undefined, repositoryName: 'team/web', imageTag: 'production' },
    ])
  })

  it('lists a repository without it as "no such tag", and counts the archived', () => {
    expect(selection.noSuchImage).toEqual([
      'team/api:production',
      `team/db@${digest(9)}`,
      `team/web@${digest(9)}`,
    ])
    expect(selection.archived).toBe(1)
  })
})

describe('discoverImages', () => {
  function registry(repositories: number, imagesEach: number, apart = DAY) {
    const ecr = fakeEcr()
    const names = Array.from({ length: repositories }, (_, i) => `team/r${i}`)
    ecr.answer(
      // Repositories in pages of 2, one that does not match.
      { body: { repositories: [{ repositoryName: 'other/x' }], nextToken: 'r0' } },
      ...names.map((repositoryName, i) => ({
        body: {
          repositories: [{ repositoryName }],
          ...(i < names.length - 1 ? { nextToken: `r${i + 1}` } : {}),
        },
      })),
      // Then each repository's images in one page.
      ...names.map((repositoryName) => ({
        body: {
          imageDetails: Array.from({ length: imagesEach }, (_, n) => ({
            repositoryName,
            imageDigest: digest(n),
            imageTags: [`v${n}`],
            lastRecordedPullTime: (NOW - n * apart) / 1000,
          })),
        },
      })),
    )
    return ecr
  }

  it('says how many repositories match and how many images it picked', async () => {
    const ecr = registry(3, 10)
    const lines: string[] = []
    const found = await discoverImages(WATCH, {
      client: () => ecr.client,
      clock: new FakeClock(NOW),
      log: silentLog(lines),
    })
    // Days 0 to 7 of 10 images, in each of 3 repositories.
    expect(found.images).toHaveLength(24)
    expect(lines).toEqual([
      "3 repositories match 'team/*'; 24 images pulled in the last 7 days (skipped: 6 pulled earlier).",
    ])
    expect(ecr.sent.filter(({ operation }) => operation === 'DescribeImages')).toHaveLength(3)
  })

  it('fails naming the pattern and the registry when nothing matches', async () => {
    const ecr = fakeEcr()
    ecr.answer({ body: { repositories: [{ repositoryName: 'other/x' }] } })
    const promise = discoverImages(
      { ...WATCH, registryId: '210987654321' },
      { client: () => ecr.client, clock: new FakeClock(NOW), log: silentLog() },
    )
    await expect(promise.catch(describeFailure)).resolves.toBe(
      "No repository in registry 210987654321 (eu-west-1) matches 'team/*' (1 repository listed). Check 'repository', 'registry-id' and 'region'; * matches any characters, / included (team/* matches team/api).",
    )
    expect(ecr.sent).toHaveLength(1)
  })

  it('fails when the repositories match but no image is picked', async () => {
    const ecr = fakeEcr()
    ecr.answer(
      { body: { repositories: [{ repositoryName: 'team/api' }] } },
      { body: { imageDetails: [{ imageDigest: digest(1) }] } },
    )
    const promise = discoverImages(WATCH, {
      client: () => ecr.client,
      clock: new FakeClock(NOW),
      log: silentLog(),
    })
    await expect(promise.catch(describeFailure)).resolves.toMatch(
      /^No image to scan in the 1 repository matching 'team\/\*' in the caller's registry \(eu-west-1\): none was pulled in the last 7 days \(1 never pulled/,
    )
  })

  it('fails when more images are picked than one step scans', async () => {
    const ecr = registry(2, 501, 60_000)
    const promise = discoverImages(WATCH, {
      client: () => ecr.client,
      clock: new FakeClock(NOW),
      log: silentLog(),
    })
    await expect(promise.catch(describeFailure)).resolves.toMatch(
      /^1002 images match 'team\/\*' in the caller's registry \(eu-west-1\); one step scans at most 1000\./,
    )
  })

  it('explains a denied DescribeRepositories', async () => {
    const ecr = fakeEcr()
    ecr.answer({
      status: 400,
      error: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: ecr:DescribeRepositories',
    })
    const promise = discoverImages(WATCH, {
      client: () => ecr.client,
      clock: new FakeClock(NOW),
      log: silentLog(),
    })
    await expect(promise.catch(describeFailure)).resolves.toMatch(/DescribeRepositories/)
  })
})
