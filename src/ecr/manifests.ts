import { BatchGetImageCommand, type ECRClient } from '@aws-sdk/client-ecr'
import { ActionError } from '../kernel/errors.js'
import type { ResolvedImage } from '../kernel/model.js'

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const INDEX_MEDIA_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST]

export function isImageIndex(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType)
}

/** One entry of an index's `manifests`, as the OCI and Docker formats share it. */
interface IndexEntry {
  digest?: string
  mediaType?: string
  platform?: { os?: string; architecture?: string; variant?: string }
  annotations?: Record<string, string>
}

export interface PlatformManifest {
  /** `os/architecture[/variant]`, as `docker buildx --platform` spells it. */
  platform: string
  imageDigest: string
  imageManifestMediaType?: string
}

/**
 * Whether two `os/arch[/variant]` name one platform: arm64 without a variant is v8 (containerd
 * normalises it so), and builders write `linux/arm64` or `linux/arm64/v8` for the same images.
 */
export function samePlatform(a: string, b: string): boolean {
  const normal = (platform: string): string => platform.replace(/^([^/]+\/arm64)\/v8$/, '$1')
  return normal(a) === normal(b)
}

/**
 * The platform manifests of an image index, without BuildKit's attestation manifests (platform
 * unknown/unknown, annotation vnd.docker.reference.type: attestation-manifest), which are not
 * images and cannot be scanned.
 */
export function platformManifests(indexJson: string): PlatformManifest[] {
  let index: { manifests?: IndexEntry[] }
  try {
    index = JSON.parse(indexJson) as { manifests?: IndexEntry[] }
  } catch {
    throw new ActionError('ECR returned an image index that is not valid JSON.')
  }
  return (index.manifests ?? []).flatMap((entry) => {
    const { os = 'unknown', architecture = 'unknown', variant } = entry.platform ?? {}
    const attestation =
      entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
      (os === 'unknown' && architecture === 'unknown')
    if (attestation || !entry.digest) return []
    return [
      {
        platform: [os, architecture, variant].filter(Boolean).join('/'),
        imageDigest: entry.digest,
        imageManifestMediaType: entry.mediaType,
      },
    ]
  })
}

/** BatchGetImage for the index itself, accepting the index media types ECR would refuse else. */
export async function getIndexManifests(
  client: ECRClient,
  image: ResolvedImage,
  signal?: AbortSignal,
): Promise<PlatformManifest[]> {
  const response = await client.send(
    new BatchGetImageCommand({
      registryId: image.registryId || undefined,
      repositoryName: image.repositoryName,
      imageIds: [{ imageDigest: image.imageDigest }],
      acceptedMediaTypes: INDEX_MEDIA_TYPES,
    }),
    { abortSignal: signal },
  )
  const manifest = response.images?.[0]?.imageManifest
  if (!manifest) {
    const reason = response.failures?.[0]?.failureReason ?? 'no manifest returned'
    throw new ActionError(
      `Could not read the image index ${image.imageDigest} of '${image.repositoryName}': ${reason}.`,
      'The role needs ecr:BatchGetImage to scan the platforms of a multi-arch image.',
    )
  }
  return platformManifests(manifest)
}
