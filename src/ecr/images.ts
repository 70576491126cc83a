import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr'
import { ActionError } from '../kernel/errors.js'
import { formatImage } from '../kernel/image-ref.js'
import type { ImageTarget, ResolvedImage } from '../kernel/model.js'

/**
 * DescribeImages: resolves a tag to its digest and learns the manifest's media type, so a
 * missing repository or tag is named clearly and an image index is known before any scan.
 */
export async function describeImage(
  client: ECRClient,
  target: ImageTarget,
  signal?: AbortSignal,
): Promise<ResolvedImage> {
  const { registryId, repositoryName, imageTag, imageDigest } = target
  const imageId = imageDigest ? { imageDigest } : { imageTag }
  const response = await client.send(
    new DescribeImagesCommand({ registryId, repositoryName, imageIds: [imageId] }),
    { abortSignal: signal },
  )
  const detail = response.imageDetails?.find((candidate) => candidate.imageDigest)
  if (!detail?.imageDigest) {
    throw new ActionError(
      `ECR returned no image for ${formatImage(target)}.`,
      "Push the image before this step, and check 'image-tag' / 'image-digest'.",
    )
  }
  if (imageTag && imageDigest && !detail.imageTags?.includes(imageTag)) {
    const tags = detail.imageTags?.length ? detail.imageTags.join(', ') : 'no tags'
    throw new ActionError(
      `Tag '${imageTag}' does not point to ${imageDigest} in '${repositoryName}' (that image has ${tags}).`,
      "Give the digest the tag points to, or only one of 'image-tag' and 'image-digest'.",
    )
  }
  return {
    registryId: detail.registryId ?? registryId ?? '',
    repositoryName,
    imageDigest: detail.imageDigest,
    imageTag,
    imageManifestMediaType: detail.imageManifestMediaType,
  }
}
