// The registries' state: repositories, images, scan records, scan profiles and the registry
// scanning configuration, for the caller's account and any other account a test adds. Seeding
// methods create missing repositories; the ECR operations (operations.ts) apply ECR's own rules
// on top.
import { EcrError, imageNotFound, repositoryNotFound, type ImageIdentifier } from './errors.ts'
import {
  DOCKER_MANIFEST,
  INDEX_MEDIA_TYPES,
  OCI_INDEX,
  OCI_MANIFEST,
  attestationManifest,
  imageManifest,
  indexManifest,
  sha256Digest,
  type IndexEntry,
} from './manifests.ts'
import { scanProfileFromResponse } from './replay.ts'
import { scanFrequencyFor, validateRules, validateScanType } from './scanning.ts'
import type {
  Clock,
  CreateRepositoryOptions,
  ImageIndexMediaType,
  PutImageIndexOptions,
  PutImageIndexResult,
  PutImageOptions,
  ScanFrequency,
  ScanProfile,
  ScanProfileTarget,
  ScanType,
  ScanningRule,
} from './types.ts'

/** Attestations and indexes get their own default scan outcome (see lifecycle.ts). */
export type ImageKind = 'image' | 'index' | 'attestation'

export interface StoredImage {
  imageDigest: string
  imageTags: string[]
  imageManifest: string
  imageManifestMediaType: string
  imagePushedAt: number
  kind: ImageKind
  archived: boolean
  lastArchivedAt?: number
  /** Start of the latest basic scan, manual or on push: the 24-hour quota counts from here. */
  scanStartedAt?: number
}

export interface StoredRepository {
  repositoryName: string
  createdAt: number
  scanOnPush: boolean
  images: StoredImage[]
}

export interface StoreImageInput {
  repositoryName: string
  manifest: string
  mediaType: string
  tag?: string
  pushedAt?: number
  kind?: ImageKind
}

const ATTESTATION_ANNOTATIONS = (subjectDigest: string): Record<string, string> => ({
  'vnd.docker.reference.digest': subjectDigest,
  'vnd.docker.reference.type': 'attestation-manifest',
})

export class Registry {
  readonly clock: Clock
  readonly accountId: string
  readonly region: string
  readonly repositories = new Map<string, StoredRepository>()
  scanType: ScanType = 'BASIC'
  scanRules: ScanningRule[] = []
  /** When the registry last switched to ENHANCED: Inspector starts on older images from here. */
  enhancedSince = 0
  readonly #profiles = new Map<string, ScanProfile>()
  #generated = 0

  constructor(clock: Clock, accountId: string, region: string) {
    this.clock = clock
    this.accountId = accountId
    this.region = region
  }

  repositoryArn(repositoryName: string): string {
    return `arn:aws:ecr:${this.region}:${this.accountId}:repository/${repositoryName}`
  }

  repositoryUri(repositoryName: string): string {
    return `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${repositoryName}`
  }

  createRepository(
    repositoryName: string,
    options: CreateRepositoryOptions = {},
  ): StoredRepository {
    if (this.repositories.has(repositoryName)) {
      throw new EcrError(
        'RepositoryAlreadyExistsException',
        `The repository with name '${repositoryName}' already exists in the registry with id '${this.accountId}'`,
      )
    }
    const repository: StoredRepository = {
      repositoryName,
      createdAt: this.clock.now(),
      scanOnPush: options.scanOnPush ?? false,
      images: [],
    }
    this.repositories.set(repositoryName, repository)
    if (options.scanProfile) this.setScanProfile({ repositoryName }, options.scanProfile)
    return repository
  }

  repository(repositoryName: string): StoredRepository {
    const repository = this.repositories.get(repositoryName)
    if (!repository) throw repositoryNotFound(repositoryName, this.accountId)
    return repository
  }

  scanFrequency(repositoryName: string): ScanFrequency {
    return scanFrequencyFor(this.scanType, this.scanRules, repositoryName)
  }

  findImage(repository: StoredRepository, imageId: ImageIdentifier): StoredImage | undefined {
    return repository.images.find(
      (image) =>
        (imageId.imageDigest === undefined || image.imageDigest === imageId.imageDigest) &&
        (imageId.imageTag === undefined || image.imageTags.includes(imageId.imageTag)),
    )
  }

  requireImage(repository: StoredRepository, imageId: ImageIdentifier): StoredImage {
    const image = this.findImage(repository, imageId)
    if (!image) throw imageNotFound(imageId, repository.repositoryName, this.accountId)
    return image
  }

  /** Stores a manifest (or re-tags the identical one), moving the tag off any other image. */
  storeImage(input: StoreImageInput): StoredImage {
    const repository = this.repository(input.repositoryName)
    const imageDigest = sha256Digest(input.manifest)
    if (input.tag !== undefined) {
      for (const other of repository.images) {
        if (other.imageDigest !== imageDigest) {
          other.imageTags = other.imageTags.filter((tag) => tag !== input.tag)
        }
      }
    }
    const existing = repository.images.find((image) => image.imageDigest === imageDigest)
    if (existing) {
      if (input.tag !== undefined && !existing.imageTags.includes(input.tag)) {
        existing.imageTags.push(input.tag)
      }
      return existing
    }
    const pushedAt = input.pushedAt ?? this.clock.now()
    const kind = input.kind ?? kindOf(input.manifest, input.mediaType)
    const image: StoredImage = {
      imageDigest,
      imageTags: input.tag === undefined ? [] : [input.tag],
      imageManifest: input.manifest,
      imageManifestMediaType: input.mediaType,
      imagePushedAt: pushedAt,
      kind,
      archived: false,
    }
    const scanOnPush =
      repository.scanOnPush || this.scanFrequency(repository.repositoryName) === 'SCAN_ON_PUSH'
    if (scanOnPush && kind === 'image' && this.scanType === 'BASIC') image.scanStartedAt = pushedAt
    repository.images.push(image)
    return image
  }

  #ensureRepository(repositoryName: string): void {
    if (!this.repositories.has(repositoryName)) this.createRepository(repositoryName)
  }

  #nextSeed(repositoryName: string, tag: string | undefined): string {
    this.#generated += 1
    return `${repositoryName}:${tag ?? ''}:${this.#generated}`
  }

  putImage(options: PutImageOptions): string {
    this.#ensureRepository(options.repositoryName)
    const declared = options.manifest ? declaredMediaType(options.manifest) : undefined
    const mediaType = options.mediaType ?? declared ?? DOCKER_MANIFEST
    const manifest =
      options.manifest ??
      (INDEX_MEDIA_TYPES.includes(mediaType)
        ? indexManifest(mediaType as ImageIndexMediaType, [])
        : imageManifest(this.#nextSeed(options.repositoryName, options.tag), mediaType))
    const image = this.storeImage({
      repositoryName: options.repositoryName,
      manifest,
      mediaType,
      tag: options.tag,
      pushedAt: options.pushedAt,
    })
    if (options.scannedAt !== undefined) image.scanStartedAt = options.scannedAt
    if (options.archived) this.#archive(image, true)
    const scanProfile = options.scanResponse
      ? scanProfileFromResponse(options.scanResponse)
      : options.scanProfile
    if (scanProfile) {
      this.setScanProfile(
        { repositoryName: options.repositoryName, imageDigest: image.imageDigest },
        scanProfile,
      )
    }
    return image.imageDigest
  }

  putImageIndex(options: PutImageIndexOptions): PutImageIndexResult {
    this.#ensureRepository(options.repositoryName)
    const indexMediaType = options.mediaType ?? OCI_INDEX
    const childMediaType = indexMediaType === OCI_INDEX ? OCI_MANIFEST : DOCKER_MANIFEST
    const seed = this.#nextSeed(options.repositoryName, options.tag)
    const entries: IndexEntry[] = []
    const attestations: IndexEntry[] = []
    for (const platform of options.platforms) {
      const platformName = [platform.os, platform.architecture, platform.variant].join('/')
      const manifest = imageManifest(`${seed}:${platformName}`, childMediaType)
      entries.push({ manifest, mediaType: childMediaType, platform })
      if (options.attestation) {
        const subjectDigest = sha256Digest(manifest)
        attestations.push({
          manifest: attestationManifest(`${seed}:${platformName}`, subjectDigest),
          mediaType: OCI_MANIFEST,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: ATTESTATION_ANNOTATIONS(subjectDigest),
        })
      }
    }
    const store = (entry: IndexEntry, kind: ImageKind): string =>
      this.storeImage({
        repositoryName: options.repositoryName,
        manifest: entry.manifest,
        mediaType: entry.mediaType,
        pushedAt: options.pushedAt,
        kind,
      }).imageDigest
    const childDigests = entries.map((entry) => store(entry, 'image'))
    const attestationDigests = attestations.map((entry) => store(entry, 'attestation'))
    const index = this.storeImage({
      repositoryName: options.repositoryName,
      manifest: indexManifest(indexMediaType, [...entries, ...attestations]),
      mediaType: indexMediaType,
      tag: options.tag,
      pushedAt: options.pushedAt,
      kind: 'index',
    })
    return { imageDigest: index.imageDigest, childDigests, attestationDigests }
  }

  #imageFor(target: { repositoryName: string } & ImageIdentifier): StoredImage {
    return this.requireImage(this.repository(target.repositoryName), target)
  }

  setScanProfile(target: ScanProfileTarget, profile: ScanProfile): void {
    if (target.repositoryName === undefined) {
      this.#profiles.set('', profile)
    } else if (target.imageDigest === undefined && target.imageTag === undefined) {
      this.#profiles.set(target.repositoryName, profile)
    } else {
      const image = this.#imageFor({ ...target, repositoryName: target.repositoryName })
      this.#profiles.set(`${target.repositoryName}@${image.imageDigest}`, profile)
    }
  }

  /** The image's own profile, else its repository's, else the registry default. */
  scanProfileFor(repositoryName: string, imageDigest: string): ScanProfile | undefined {
    return (
      this.#profiles.get(`${repositoryName}@${imageDigest}`) ??
      this.#profiles.get(repositoryName) ??
      this.#profiles.get('')
    )
  }

  setScanType(scanType: ScanType, rules: ScanningRule[] = this.scanRules): void {
    validateScanType(scanType)
    const valid = validateRules(rules)
    if (scanType === 'ENHANCED' && this.scanType !== 'ENHANCED') {
      this.enhancedSince = this.clock.now()
    }
    this.scanType = scanType
    this.scanRules = valid
  }

  markScanned(repositoryName: string, imageDigest: string, atMs: number = this.clock.now()): void {
    this.#imageFor({ repositoryName, imageDigest }).scanStartedAt = atMs
  }

  setImageArchived(repositoryName: string, imageDigest: string, archived: boolean): void {
    this.#archive(this.#imageFor({ repositoryName, imageDigest }), archived)
  }

  #archive(image: StoredImage, archived: boolean): void {
    image.archived = archived
    if (archived) image.lastArchivedAt = this.clock.now()
  }
}

/** The caller's registry, and those of other accounts that a test seeded. */
export class Registries {
  readonly caller: Registry
  readonly #others = new Map<string, Registry>()

  constructor(clock: Clock, accountId: string, region: string) {
    this.caller = new Registry(clock, accountId, region)
  }

  /** The registry a request's `registryId` names (the caller's when omitted), if there is one. */
  find(registryId: string | undefined): Registry | undefined {
    if (registryId === undefined || registryId === this.caller.accountId) return this.caller
    return this.#others.get(registryId)
  }

  /** For seeding: another account's registry springs up, in the same region, when first named. */
  ensure(registryId: string | undefined): Registry {
    const found = this.find(registryId)
    if (found) return found
    if (!/^\d{12}$/.test(String(registryId))) {
      throw new Error(`a registryId is a 12-digit account ID, not '${String(registryId)}'`)
    }
    const registry = new Registry(this.caller.clock, String(registryId), this.caller.region)
    this.#others.set(registry.accountId, registry)
    return registry
  }
}

export function declaredMediaType(manifest: string): string | undefined {
  try {
    const parsed = JSON.parse(manifest) as { mediaType?: unknown }
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined
  } catch {
    return undefined
  }
}

function kindOf(manifest: string, mediaType: string): ImageKind {
  if (INDEX_MEDIA_TYPES.includes(mediaType)) return 'index'
  return manifest.includes('"application/vnd.in-toto+json"') ? 'attestation' : 'image'
}
