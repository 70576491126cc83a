// The registry's contents, for repository patterns: DescribeRepositories and DescribeImages,
// every page. Each page is one request through the step's client, so the rate limiter and its
// budget count them like any other.

import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr'

/** One image of a repository as DescribeImages lists it: what picking images needs. */
export interface ListedImage {
  registryId: string
  repositoryName: string
  imageDigest: string
  imageTags: string[]
  imageManifestMediaType?: string
  /** ECR's lastRecordedPullTime in ms since the epoch (refreshed at least daily); unset if never pulled. */
  lastRecordedPullTime?: number
  /** ECR's imageStatus: ACTIVE, ARCHIVED or ACTIVATING; unset where ECR leaves it out. */
  imageStatus?: string
}

/** The most either operation gives per page. */
const PAGE_SIZE = 1000
/** A guard against a registry that hands back the same token forever: 1,000 pages of 1,000. */
const MAX_PAGES = 1000

/**
 * Every repository name of the registry (`registryId`, the caller's own when undefined), every
 * page. Errors are the SDK's (AccessDeniedException without ecr:DescribeRepositories).
 */
export async function listRepositories(
  client: ECRClient,
  registryId: string | undefined,
  signal?: AbortSignal,
): Promise<string[]> {
  const names: string[] = []
  await eachPage(async (nextToken) => {
    const page = await client.send(
      new DescribeRepositoriesCommand({ registryId, nextToken, maxResults: PAGE_SIZE }),
      { abortSignal: signal },
    )
    for (const repository of page.repositories ?? []) {
      if (repository.repositoryName) names.push(repository.repositoryName)
    }
    return page.nextToken
  })
  return names
}

/** Every image of one repository (tagged or not), every page, as DescribeImages describes it. */
export async function listImages(
  client: ECRClient,
  registryId: string | undefined,
  repositoryName: string,
  signal?: AbortSignal,
): Promise<ListedImage[]> {
  const images: ListedImage[] = []
  await eachPage(async (nextToken) => {
    const page = await client.send(
      new DescribeImagesCommand({ registryId, repositoryName, nextToken, maxResults: PAGE_SIZE }),
      { abortSignal: signal },
    )
    for (const detail of page.imageDetails ?? []) {
      if (!detail.imageDigest) continue
      images.push({
        registryId: detail.registryId ?? registryId ?? '',
        repositoryName: detail.repositoryName ?? repositoryName,
        imageDigest: detail.imageDigest,
        imageTags: detail.imageTags ?? [],
        imageManifestMediaType: detail.imageManifestMediaType,
        lastRecordedPullTime: detail.lastRecordedPullTime?.getTime(),
        imageStatus: detail.imageStatus,
      })
    }
    return page.nextToken
  })
  return images
}

/** Calls `read` with each page's token until ECR gives none (or repeats one). */
async function eachPage(read: (nextToken?: string) => Promise<string | undefined>): Promise<void> {
  const seen = new Set<string>()
  let nextToken: string | undefined
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    nextToken = await read(nextToken)
    if (!nextToken || seen.has(nextToken)) return
    seen.add(nextToken)
  }
}
