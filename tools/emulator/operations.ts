// The ECR API operations, each taking the parsed request body and returning the response body.
import {
  EcrError,
  formatImageId,
  invalidParameter,
  missingMember,
  repositoryNotFound,
  scanNotFound,
  type ImageIdentifier,
} from './errors.ts'
import { ARCHIVED_SCAN, scanStateAt, severityCounts, type ScanState } from './lifecycle.ts'
import { INDEX_MEDIA_TYPES, manifestSize, sha256Digest } from './manifests.ts'
import {
  declaredMediaType,
  type Registries,
  type Registry,
  type StoredImage,
  type StoredRepository,
} from './model.ts'
import { withWireTimestamps } from './replay.ts'
import type { ScanType, ScanningRule } from './types.ts'

type Input = Record<string, unknown>
export type Operation = (registries: Registries, input: Input) => unknown

const DAY_MS = 24 * 60 * 60 * 1000
const ENHANCED_PAGE_LIMIT = 100
const REPOSITORY_NAME =
  /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/

const seconds = (ms: number): number => ms / 1000

function requiredString(input: Input, member: string): string {
  const value = input[member]
  if (value === undefined || value === null) throw missingMember(member)
  if (typeof value !== 'string') throw serialization(member)
  return value
}

function optionalString(input: Input, member: string): string | undefined {
  const value = input[member]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw serialization(member)
  return value
}

function serialization(member: string): EcrError {
  return new EcrError('SerializationException', `Unexpected value type for '${member}'`)
}

function toImageId(value: unknown, member: string): ImageIdentifier {
  if (value === undefined || value === null) throw missingMember(member)
  if (typeof value !== 'object') throw serialization(member)
  const imageId = {
    imageDigest: optionalString(value as Input, 'imageDigest'),
    imageTag: optionalString(value as Input, 'imageTag'),
  }
  if (imageId.imageDigest === undefined && imageId.imageTag === undefined) {
    throw invalidParameter(member, 'Either imageTag or imageDigest must be specified')
  }
  return imageId
}

function imageIdList(input: Input, member: string, required: boolean): ImageIdentifier[] {
  const value = input[member]
  if (value === undefined || value === null) {
    if (required) throw missingMember(member)
    return []
  }
  if (!Array.isArray(value)) throw serialization(member)
  return value.map((entry) => toImageId(entry, member))
}

interface Located {
  registry: Registry
  repository: StoredRepository
}

/** The registry a request's `registryId` names, the caller's by default. */
function registryOf(registries: Registries, input: Input, repositoryName: string): Registry {
  const registryId = optionalString(input, 'registryId')
  const registry = registries.find(registryId)
  if (!registry) throw repositoryNotFound(repositoryName, String(registryId))
  return registry
}

function locate(registries: Registries, input: Input): Located {
  const repositoryName = requiredString(input, 'repositoryName')
  const registry = registryOf(registries, input, repositoryName)
  return { registry, repository: registry.repository(repositoryName) }
}

/** ECR echoes the identifiers the caller used, with the digest filled in. */
function echoImageId(image: StoredImage, requested: ImageIdentifier): ImageIdentifier {
  return requested.imageTag === undefined
    ? { imageDigest: image.imageDigest }
    : { imageDigest: image.imageDigest, imageTag: requested.imageTag }
}

function repositoryShape(registry: Registry, repository: StoredRepository): object {
  return {
    repositoryArn: registry.repositoryArn(repository.repositoryName),
    registryId: registry.accountId,
    repositoryName: repository.repositoryName,
    repositoryUri: registry.repositoryUri(repository.repositoryName),
    createdAt: seconds(repository.createdAt),
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  }
}

function imageDetail(registry: Registry, repository: StoredRepository, image: StoredImage): object {
  const imageSizeInBytes = manifestSize(image.imageManifest)
  return {
    registryId: registry.accountId,
    repositoryName: repository.repositoryName,
    imageDigest: image.imageDigest,
    ...(image.imageTags.length > 0 ? { imageTags: [...image.imageTags] } : {}),
    ...(imageSizeInBytes === undefined ? {} : { imageSizeInBytes }),
    imagePushedAt: seconds(image.imagePushedAt),
    imageManifestMediaType: image.imageManifestMediaType,
    ...(image.archived
      ? { imageStatus: 'ARCHIVED', lastArchivedAt: seconds(image.lastArchivedAt ?? 0) }
      : {}),
  }
}

const createRepository: Operation = (registries, input) => {
  const repositoryName = requiredString(input, 'repositoryName')
  const registry = registryOf(registries, input, repositoryName)
  if (!REPOSITORY_NAME.test(repositoryName)) {
    throw invalidParameter(
      'repositoryName',
      `must satisfy regular expression '${REPOSITORY_NAME.source}'`,
    )
  }
  const scanning = input.imageScanningConfiguration as { scanOnPush?: unknown } | undefined
  const repository = registry.createRepository(repositoryName, {
    scanOnPush: scanning?.scanOnPush === true,
  })
  return { repository: repositoryShape(registry, repository) }
}

const describeRepositories: Operation = (registries, input) => {
  const names = input.repositoryNames
  const registry = registries.find(optionalString(input, 'registryId'))
  // A registry the emulator does not hold lists no repositories and has none of those named.
  const repositories = Array.isArray(names)
    ? names.map((name) => locate(registries, { ...input, repositoryName: String(name) }).repository)
    : [...(registry?.repositories.values() ?? [])]
  return {
    repositories: registry
      ? repositories.map((repository) => repositoryShape(registry, repository))
      : [],
  }
}

const putImage: Operation = (registries, input) => {
  const { registry, repository } = locate(registries, input)
  const manifest = requiredString(input, 'imageManifest')
  const imageTag = optionalString(input, 'imageTag')
  try {
    JSON.parse(manifest)
  } catch {
    throw invalidParameter('ImageManifest', 'Invalid JSON syntax')
  }
  const mediaType = optionalString(input, 'imageManifestMediaType') ?? declaredMediaType(manifest)
  if (mediaType === undefined) {
    throw invalidParameter('imageManifestMediaType', 'Media type must be specified')
  }
  const imageDigest = sha256Digest(manifest)
  const requestedDigest = optionalString(input, 'imageDigest')
  if (requestedDigest !== undefined && requestedDigest !== imageDigest) {
    throw new EcrError(
      'ImageDigestDoesNotMatchException',
      `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The provided digest ${requestedDigest} does not match the digest of the manifest ${imageDigest}'`,
    )
  }
  const existing = registry.findImage(repository, { imageDigest })
  if (existing && (imageTag === undefined || existing.imageTags.includes(imageTag))) {
    throw new EcrError(
      'ImageAlreadyExistsException',
      `Image with digest '${imageDigest}' and tag '${imageTag ?? 'null'}' already exists in the repository with name '${repository.repositoryName}' in registry with id '${registry.accountId}'`,
    )
  }
  const image = registry.storeImage({
    repositoryName: repository.repositoryName,
    manifest,
    mediaType,
    tag: imageTag,
  })
  return {
    image: {
      registryId: registry.accountId,
      repositoryName: repository.repositoryName,
      imageId: imageTag === undefined ? { imageDigest } : { imageDigest, imageTag },
      imageManifest: image.imageManifest,
      imageManifestMediaType: image.imageManifestMediaType,
    },
  }
}

const describeImages: Operation = (registries, input) => {
  const { registry, repository } = locate(registries, input)
  const imageIds = imageIdList(input, 'imageIds', false)
  const tagStatus = (input.filter as { tagStatus?: string } | undefined)?.tagStatus ?? 'ANY'
  const images =
    imageIds.length > 0
      ? [...new Set(imageIds.map((imageId) => registry.requireImage(repository, imageId)))]
      : repository.images.filter(
          (image) => tagStatus === 'ANY' || (tagStatus === 'TAGGED') === image.imageTags.length > 0,
        )
  return { imageDetails: images.map((image) => imageDetail(registry, repository, image)) }
}

const batchGetImage: Operation = (registries, input) => {
  const { registry, repository } = locate(registries, input)
  const imageIds = imageIdList(input, 'imageIds', true)
  const accepted = Array.isArray(input.acceptedMediaTypes)
    ? (input.acceptedMediaTypes as string[])
    : undefined
  const images: object[] = []
  const failures: object[] = []
  for (const imageId of imageIds) {
    const image = registry.findImage(repository, imageId)
    // ECR does not hand out a manifest of a type the caller did not accept.
    if (!image || (accepted && !accepted.includes(image.imageManifestMediaType))) {
      failures.push({
        imageId,
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      })
      continue
    }
    images.push({
      registryId: registry.accountId,
      repositoryName: repository.repositoryName,
      imageId: echoImageId(image, imageId),
      imageManifest: image.imageManifest,
      imageManifestMediaType: image.imageManifestMediaType,
    })
  }
  return { images, failures }
}

const startImageScan: Operation = (registries, input) => {
  const { registry, repository } = locate(registries, input)
  const imageId = toImageId(input.imageId, 'imageId')
  const image = registry.requireImage(repository, imageId)
  if (registry.scanType === 'ENHANCED') {
    throw new EcrError('ValidationException', 'This feature is disabled')
  }
  if (image.archived) {
    throw new EcrError(
      'ImageArchivedException',
      `The image with imageId ${formatImageId(imageId)} in the repository with name '${repository.repositoryName}' is archived. Restore the image before scanning it.`,
    )
  }
  if (INDEX_MEDIA_TYPES.includes(image.imageManifestMediaType)) {
    throw new EcrError(
      'UnsupportedImageTypeException',
      `An artifact with media type '${image.imageManifestMediaType}' cannot be scanned.`,
    )
  }
  const now = registry.clock.now()
  if (image.scanStartedAt !== undefined && now - image.scanStartedAt < DAY_MS) {
    throw new EcrError(
      'LimitExceededException',
      'The scan quota per image has been exceeded. Wait and try again.',
    )
  }
  image.scanStartedAt = now
  return {
    registryId: registry.accountId,
    repositoryName: repository.repositoryName,
    imageId: echoImageId(image, imageId),
    imageScanStatus: { status: 'IN_PROGRESS' },
  }
}

function currentScan(
  registry: Registry,
  repository: StoredRepository,
  image: StoredImage,
): ScanState | undefined {
  const { scanType } = registry
  const frequency = registry.scanFrequency(repository.repositoryName)
  // Inspector scans the images of the repositories the rules cover, from their push (or from the
  // switch to ENHANCED); basic scanning knows only the scans it ran.
  const startedAt =
    scanType === 'BASIC'
      ? image.scanStartedAt
      : frequency === 'MANUAL'
        ? undefined
        : Math.max(image.imagePushedAt, registry.enhancedSince)
  if (startedAt === undefined) return undefined
  if (image.archived) return ARCHIVED_SCAN
  return scanStateAt({
    profile: registry.scanProfileFor(repository.repositoryName, image.imageDigest),
    scanType,
    frequency,
    kind: image.kind,
    startedAt,
    now: registry.clock.now(),
  })
}

interface PageToken {
  findings: number
  enhancedFindings: number
}

function readPageToken(token: string | undefined): PageToken {
  if (token === undefined) return { findings: 0, enhancedFindings: 0 }
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken
    if (Number.isInteger(parsed.findings) && Number.isInteger(parsed.enhancedFindings))
      return parsed
  } catch {
    // reported below
  }
  throw invalidParameter('nextToken', 'Invalid pagination token')
}

function readMaxResults(input: Input): number {
  const value = input.maxResults
  if (value === undefined || value === null) return 100
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw invalidParameter('maxResults', 'Member must have value between 1 and 1000')
  }
  return value
}

/** Every finding of the answer, unpaged; undefined when the answer has no `imageScanFindings`. */
function allFindings(
  scan: ScanState,
  enhanced: boolean,
): Record<string, unknown> | null | undefined {
  if (scan.given !== undefined) return scan.given && withWireTimestamps(scan.given)
  if (scan.findings === undefined || scan.enhancedFindings === undefined) return undefined
  // Until Inspector's first finding reaches ECR, an enhanced answer holds an empty basic list and
  // neither enhanced findings nor counts: so real ECR answered right after a scan on push.
  if (enhanced && scan.enhancedFindings.length === 0) return { findings: [] }
  const completedAt = seconds(scan.completedAt ?? 0)
  return {
    imageScanCompletedAt: completedAt,
    vulnerabilitySourceUpdatedAt: completedAt,
    findingSeverityCounts: severityCounts(enhanced ? scan.enhancedFindings : scan.findings),
    ...(enhanced ? { enhancedFindings: scan.enhancedFindings } : { findings: scan.findings }),
  }
}

const LISTS = ['findings', 'enhancedFindings'] as const

/** Cuts each list to the page from `token`; `nextToken` when any list goes on. */
function page(
  imageScanFindings: Record<string, unknown>,
  token: PageToken,
  maxResults: number,
): { imageScanFindings: Record<string, unknown>; nextToken?: string } {
  const next: PageToken = {
    findings: token.findings + maxResults,
    enhancedFindings: token.enhancedFindings + Math.min(maxResults, ENHANCED_PAGE_LIMIT),
  }
  const cut = { ...imageScanFindings }
  let more = false
  for (const list of LISTS) {
    const entries = cut[list]
    if (!Array.isArray(entries)) continue
    cut[list] = entries.slice(token[list], next[list])
    more ||= next[list] < entries.length
  }
  if (!more) return { imageScanFindings: cut }
  return {
    imageScanFindings: cut,
    nextToken: Buffer.from(JSON.stringify(next)).toString('base64url'),
  }
}

const describeImageScanFindings: Operation = (registries, input) => {
  const { registry, repository } = locate(registries, input)
  const imageId = toImageId(input.imageId, 'imageId')
  const maxResults = readMaxResults(input)
  const token = readPageToken(optionalString(input, 'nextToken'))
  const image = registry.requireImage(repository, imageId)
  // Inspector's findings reach ECR for the registry's own account only: a caller from another
  // account is told that no scan exists (as users of cross-account enhanced scanning report).
  const elsewhere = registry !== registries.caller && registry.scanType === 'ENHANCED'
  const scan = elsewhere ? undefined : currentScan(registry, repository, image)
  if (!scan) throw scanNotFound(imageId, repository.repositoryName, registry.accountId)
  const response: Record<string, unknown> = {
    registryId: registry.accountId,
    repositoryName: repository.repositoryName,
    imageId: echoImageId(image, imageId),
    imageScanStatus:
      scan.description === undefined
        ? { status: scan.status }
        : { status: scan.status, description: scan.description },
  }
  const findings = allFindings(scan, registry.scanType === 'ENHANCED')
  if (findings === undefined) return response
  if (findings === null) return { ...response, imageScanFindings: null }
  return { ...response, ...page(findings, token, maxResults) }
}

// Neither takes a registryId: both concern the caller's own registry.
const getRegistryScanningConfiguration: Operation = ({ caller }) => ({
  registryId: caller.accountId,
  scanningConfiguration: { scanType: caller.scanType, rules: caller.scanRules },
})

const putRegistryScanningConfiguration: Operation = ({ caller }, input) => {
  const scanType = (optionalString(input, 'scanType') ?? caller.scanType) as ScanType
  caller.setScanType(scanType, (input.rules ?? []) as ScanningRule[])
  return { registryScanningConfiguration: { scanType, rules: caller.scanRules } }
}

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  BatchGetImage: batchGetImage,
  CreateRepository: createRepository,
  DescribeImageScanFindings: describeImageScanFindings,
  DescribeImages: describeImages,
  DescribeRepositories: describeRepositories,
  GetRegistryScanningConfiguration: getRegistryScanningConfiguration,
  PutImage: putImage,
  PutRegistryScanningConfiguration: putRegistryScanningConfiguration,
  StartImageScan: startImageScan,
}
