// ECR image references: the grammar of names, tags, digests and registry URIs, and the console
// link for an image. Pure functions; the rules come from the ECR API model (see ecr-notes.md).

import type { ImageTarget } from './model.js'

// The 2026 API model allows `__` and runs of `-` between the lower-case parts, and `/` namespaces.
const PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
export const REPOSITORY_NAME = new RegExp(`^(?:${PART}/)*${PART}$`)
// The OCI tag grammar, with ECR's longer limit of 300 characters.
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/
export const REGISTRY_ID = /^[0-9]{12}$/
// us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1, ap-southeast-7, mx-central-1, …
export const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/

const REGISTRY_HOST =
  /^(?<registryId>[0-9]{12})\.dkr\.ecr(?<fips>-fips)?\.(?<region>[a-z0-9-]+)\.(?<domain>amazonaws\.com|amazonaws\.com\.cn|amazonaws\.eu)$/

export interface ParsedImageUri extends ImageTarget {
  registryId: string
  region: string
}

/**
 * Parses `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPO[:TAG][@DIGEST]` (or
 * `.amazonaws.eu`). Returns a reason instead of throwing, so the caller names the input.
 */
export function parseImageUri(uri: string): ParsedImageUri | { error: string } {
  const slash = uri.indexOf('/')
  if (slash < 0) return { error: 'it has no repository part after the registry host' }
  const host = uri.slice(0, slash)
  const match = REGISTRY_HOST.exec(host)
  if (!match?.groups) {
    return {
      error: `'${host}' is not an ECR registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com)`,
    }
  }
  const { registryId = '', region = '' } = match.groups
  if (!REGION.test(region)) return { error: `'${region}' is not an AWS region` }
  let rest = uri.slice(slash + 1)
  let imageDigest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    imageDigest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!IMAGE_DIGEST.test(imageDigest)) {
      return {
        error: `the digest '${imageDigest}' is not sha256: followed by 64 lower-case hex digits`,
      }
    }
  }
  let imageTag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon >= 0) {
    imageTag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!IMAGE_TAG.test(imageTag))
      return { error: `the tag '${imageTag}' is not a valid image tag` }
  }
  if (!isRepositoryName(rest)) return { error: `'${rest}' is not a valid repository name` }
  if (!imageTag && !imageDigest)
    return { error: 'it names neither a tag (:TAG) nor a digest (@sha256:…)' }
  return { registryId, region, repositoryName: rest, imageTag, imageDigest }
}

export function isRepositoryName(name: string): boolean {
  return name.length >= 2 && name.length <= 256 && REPOSITORY_NAME.test(name)
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-eusc'

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('eusc-')) return 'aws-eusc'
  return 'aws'
}

const CONSOLE_HOST: Record<Partition, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': () => 'console.amazonaws.cn',
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
  'aws-eusc': (region) => `${region}.console.amazonaws.eu`,
}

/** The image's scan results page in the AWS console of the region's partition. */
export function consoleUrl(image: {
  region: string
  registryId: string
  repositoryName: string
  imageDigest: string
}): string {
  const host = CONSOLE_HOST[partitionOf(image.region)](image.region)
  const repository = image.repositoryName.split('/').map(encodeURIComponent).join('/')
  return (
    `https://${host}/ecr/repositories/private/${image.registryId}/${repository}/_/image/` +
    `${image.imageDigest}/scan-results?region=${image.region}`
  )
}

/** `repo:tag@digest`, for log lines and the summary. */
export function formatImage(image: ImageTarget): string {
  return `${image.repositoryName}${image.imageTag ? `:${image.imageTag}` : ''}${image.imageDigest ? `@${image.imageDigest}` : ''}`
}

/** `repo:tag`, with the platform for one platform of a multi-arch index. */
export function imageLabel(item: { target: ImageTarget; platform?: string }): string {
  return `${formatImage(item.target)}${item.platform ? ` (${item.platform})` : ''}`
}
