// Which images of the matched repositories a pattern step scans: pure, from the listings and
// the clock, so every edge (never pulled, pulled exactly N days ago, archived) is a plain test.

import type { ImageRequest, WatchSettings } from '../inputs/settings.js'
import type { ListedImage } from '../ecr/listing.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** One matched repository and every image DescribeImages listed in it. */
export interface RepositoryListing {
  repositoryName: string
  images: ListedImage[]
}

/** The images picked, and what was passed over, counted for the log. */
export interface Selection {
  images: ImageRequest[]
  /** `repository:tag` (or `@digest`) asked for in a repository that has no such image. */
  noSuchImage: string[]
  /** Images in archive storage: ECR cannot scan them until they are restored. */
  archived: number
  /** pulled-within: images ECR has no pull time for. */
  neverPulled: number
  /** pulled-within: images last pulled before the window. */
  notPulledRecently: number
}

/**
 * Picks, in each listed repository in name order, the images `watch` asks for: each of its
 * tags or digests, or with pulled-within every image whose lastRecordedPullTime is at most that
 * many days before `now` (ms since the epoch; pulled exactly N days ago is in), most recently
 * pulled first. Archived images are skipped and counted; a repository without a named tag is
 * counted in `noSuchImage`, not a failure.
 */
export function selectImages(
  listings: RepositoryListing[],
  watch: WatchSettings,
  now: number,
): Selection {
  const selection: Selection = {
    images: [],
    noSuchImage: [],
    archived: 0,
    neverPulled: 0,
    notPulledRecently: 0,
  }
  const sorted = [...listings].sort((a, b) => a.repositoryName.localeCompare(b.repositoryName))
  for (const { repositoryName, images } of sorted) {
    const picked =
      watch.pulledWithinDays === undefined
        ? byName(repositoryName, images, watch, selection)
        : byPull(images, watch.pulledWithinDays, now, selection)
    for (const { image, imageTag } of picked) {
      if (image.imageStatus === 'ARCHIVED') {
        selection.archived++
        continue
      }
      selection.images.push(requestOf(image, imageTag, watch))
    }
  }
  return selection
}

interface Picked {
  image: ListedImage
  /** The tag the image is named by: the one asked for, or its first. */
  imageTag?: string
}

function byName(
  repositoryName: string,
  images: ListedImage[],
  watch: WatchSettings,
  selection: Selection,
): Picked[] {
  const picked: Picked[] = []
  for (const imageTag of watch.imageTags) {
    const image = images.find((candidate) => candidate.imageTags.includes(imageTag))
    if (image) picked.push({ image, imageTag })
    else selection.noSuchImage.push(`${repositoryName}:${imageTag}`)
  }
  for (const imageDigest of watch.imageDigests) {
    const image = images.find((candidate) => candidate.imageDigest === imageDigest)
    if (image) picked.push({ image })
    else selection.noSuchImage.push(`${repositoryName}@${imageDigest}`)
  }
  return picked
}

function byPull(images: ListedImage[], days: number, now: number, selection: Selection): Picked[] {
  const since = now - days * DAY_MS
  const picked: ListedImage[] = []
  for (const image of images) {
    if (image.lastRecordedPullTime === undefined) {
      // An archived image is counted as archived, whatever its pull time.
      if (image.imageStatus === 'ARCHIVED') picked.push(image)
      else selection.neverPulled++
    } else if (image.lastRecordedPullTime < since) {
      if (image.imageStatus === 'ARCHIVED') picked.push(image)
      else selection.notPulledRecently++
    } else picked.push(image)
  }
  picked.sort(
    (a, b) =>
      (b.lastRecordedPullTime ?? 0) - (a.lastRecordedPullTime ?? 0) ||
      a.imageDigest.localeCompare(b.imageDigest),
  )
  return picked.map((image) => ({ image, imageTag: image.imageTags[0] }))
}

/** The image as the scan takes it, already described: its DescribeImages is not sent again. */
function requestOf(
  image: ListedImage,
  imageTag: string | undefined,
  watch: WatchSettings,
): ImageRequest {
  const { repositoryName, imageDigest } = image
  // Named by its tag where it has one; by its digest otherwise (or when the digest was asked).
  const named = imageTag ? { imageTag } : { imageDigest }
  return {
    target: { registryId: watch.registryId, repositoryName, ...named },
    region: watch.region,
    resolved: {
      registryId: image.registryId,
      repositoryName,
      imageDigest,
      imageTag,
      imageManifestMediaType: image.imageManifestMediaType,
    },
  }
}
