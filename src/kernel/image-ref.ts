// ECR image references: the grammar of names, tags, digests and registry URIs, and the console
// link for an image. Pure functions; the rules come from the ECR API model
// (repositoryName and imageTag patterns, __fixtures__/realdata/MODEL.md).

import type { ImageTarget } from './model.js'
import { shown } from './text.js'

// The 2026 API model allows `__` and runs of `-` between the lower-case parts, and `/` namespaces.
const PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
export const REPOSITORY_NAME = new RegExp(`^(?:${PART}/)*${PART}$`)
// The OCI tag grammar, with ECR's longer limit of 300 characters.
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/
export const REGISTRY_ID = /^[0-9]{12}$/
// us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1, ap-southeast-7, mx-central-1, …
export const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/

// IPv4 hosts `dkr.ecr[-fips].REGION.<partition domain>`, and the dual-stack (IPv6) hosts
// `dkr-ecr[-fips].REGION.on.aws` that ECR documents for the aws and aws-us-gov partitions.
const REGISTRY_HOST =
  /^(?<registryId>[0-9]{12})\.(?<service>dkr\.ecr|dkr-ecr)(?<fips>-fips)?\.(?<region>[a-z0-9-]+)\.(?<domain>amazonaws\.com|amazonaws\.com\.cn|amazonaws\.eu|on\.aws)$/

// Which partitions serve registries under each domain: a region from another partition in the
// host (cn-north-1 under amazonaws.com, us-east-1 under amazonaws.eu) names no registry at all.
const DOMAIN_PARTITIONS: Record<string, readonly Partition[]> = {
  'amazonaws.com': ['aws', 'aws-us-gov'],
  'amazonaws.com.cn': ['aws-cn'],
  'amazonaws.eu': ['aws-eusc'],
  'on.aws': ['aws', 'aws-us-gov'],
}

function expectedDomain(partition: Partition): string {
  return Object.keys(DOMAIN_PARTITIONS).find((domain) =>
    DOMAIN_PARTITIONS[domain]?.includes(partition),
  ) as string
}

export interface ParsedImageUri extends ImageTarget {
  registryId: string
  region: string
}

/**
 * Parses `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPO[:TAG][@DIGEST]` (or
 * `.amazonaws.eu`, or the dual-stack `ACCOUNT.dkr-ecr[-fips].REGION.on.aws`), and checks that the
 * region belongs to the domain's partition. Returns a reason instead of throwing, so the caller
 * names the input.
 */
export function parseImageUri(uri: string): ParsedImageUri | { error: string } {
  const slash = uri.indexOf('/')
  if (slash < 0) return { error: 'it has no repository part after the registry host' }
  const host = uri.slice(0, slash)
  const match = REGISTRY_HOST.exec(host)
  if (!match?.groups) {
    return {
      error: `'${shown(host)}' is not an ECR registry host (ACCOUNT.dkr.ecr.REGION.amazonaws.com)`,
    }
  }
  const { registryId = '', service = '', region = '', domain = '' } = match.groups
  if (!REGION.test(region)) return { error: `'${shown(region)}' is not an AWS region` }
  if ((service === 'dkr-ecr') !== (domain === 'on.aws')) {
    return {
      error: `'${shown(host)}' mixes ECR's IPv4 (dkr.ecr) and dual-stack (dkr-ecr) host names`,
    }
  }
  const partition = partitionOf(region)
  if (!DOMAIN_PARTITIONS[domain]?.includes(partition)) {
    return {
      error: `region '${shown(region)}' is in the ${partition} partition, whose registries are not under '${domain}' (expected ${expectedDomain(partition)})`,
    }
  }
  let rest = uri.slice(slash + 1)
  let imageDigest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    imageDigest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!IMAGE_DIGEST.test(imageDigest)) {
      return {
        error: `the digest '${shown(imageDigest)}' is not sha256: followed by 64 lower-case hex digits`,
      }
    }
  }
  let imageTag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon >= 0) {
    imageTag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!IMAGE_TAG.test(imageTag))
      return { error: `the tag '${shown(imageTag)}' is not a valid image tag` }
  }
  if (!isRepositoryName(rest)) return { error: `'${shown(rest)}' is not a valid repository name` }
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
  // The sovereign cloud's console is not under its API domain (amazonaws.eu); its sign-in is
  // signin.amazonaws-eusc.eu in the SDK's endpoint rules.
  'aws-eusc': () => 'console.amazonaws-eusc.eu',
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

/**
 * `REGION/[REGISTRY/]REPOSITORY` of an image as the user named it: no tag or digest, and the
 * registry only when the user gave one, so every build of the image, and a run that could not
 * resolve it, give the same key. It names the SARIF category and the pull-request comment.
 */
export function repositoryKey(item: { region: string; target: ImageTarget }): string {
  return [item.region, item.target.registryId, item.target.repositoryName].filter(Boolean).join('/')
}
