// Generated manifests for seeding: valid JSON shaped like what docker / BuildKit push, unique per
// seed string, so every seeded image gets its own digest.
import { createHash } from 'node:crypto'
import type { ImageIndexMediaType, Platform } from './types.ts'

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'

export const INDEX_MEDIA_TYPES: readonly string[] = [OCI_INDEX, DOCKER_MANIFEST_LIST]

export function sha256Digest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`
}

export function imageManifest(seed: string, mediaType: string): string {
  const oci = mediaType === OCI_MANIFEST
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: oci
        ? 'application/vnd.oci.image.config.v1+json'
        : 'application/vnd.docker.container.image.v1+json',
      size: 1469,
      digest: sha256Digest(`config:${seed}`),
    },
    layers: [
      {
        mediaType: oci
          ? 'application/vnd.oci.image.layer.v1.tar+gzip'
          : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 3623807,
        digest: sha256Digest(`layer:${seed}`),
      },
    ],
  })
}

/** BuildKit's provenance attestation: an OCI manifest whose layer is an in-toto statement. */
export function attestationManifest(seed: string, subjectDigest: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      size: 167,
      digest: sha256Digest(`attestation-config:${seed}`),
    },
    layers: [
      {
        mediaType: 'application/vnd.in-toto+json',
        size: 1580,
        digest: sha256Digest(`attestation:${seed}:${subjectDigest}`),
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
      },
    ],
  })
}

export interface IndexEntry {
  manifest: string
  mediaType: string
  platform: Platform
  annotations?: Record<string, string>
}

export function indexManifest(mediaType: ImageIndexMediaType, entries: IndexEntry[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((entry) => ({
      mediaType: entry.mediaType,
      digest: sha256Digest(entry.manifest),
      size: Buffer.byteLength(entry.manifest, 'utf8'),
      platform: entry.platform,
      ...(entry.annotations ? { annotations: entry.annotations } : {}),
    })),
  })
}

/** Layer and config sizes summed, as ECR reports `imageSizeInBytes`; undefined for an index. */
export function manifestSize(manifest: string): number | undefined {
  try {
    const parsed = JSON.parse(manifest) as {
      config?: { size?: number }
      layers?: { size?: number }[]
    }
    if (!parsed.layers) return undefined
    return parsed.layers.reduce((sum, layer) => sum + (layer.size ?? 0), parsed.config?.size ?? 0)
  } catch {
    return undefined
  }
}
