// AWS errors → ActionErrors that say what was wrong and what to do. ECR's error names and
// messages come from its API model and real answers (__fixtures__/realdata/).

import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import type { SdkError } from '@smithy/types'
import { ActionError, errorMessage } from '../kernel/errors.js'

/** The IAM actions the action calls, for AccessDenied hints. */
const IAM_ACTIONS = {
  basic: ['ecr:DescribeImages', 'ecr:StartImageScan', 'ecr:DescribeImageScanFindings'],
  // Only for image indexes (multi-arch images), to list their platforms.
  index: ['ecr:BatchGetImage'],
  auto: ['ecr:GetRegistryScanningConfiguration'],
  // ECR reads Inspector's findings with the caller's permissions.
  enhanced: ['inspector2:ListFindings'],
} as const

/** Error names that say nothing: none, a plain Error, and the SDK's own when ECR named none. */
const NAMELESS = ['', 'Error', 'Unknown']

export function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') {
    return error.name
  }
  return ''
}

export function isQuotaError(error: unknown): boolean {
  return errorName(error) === 'LimitExceededException'
}

/** IAM said no (not the credentials: those fail every call alike). */
export function isAccessDenied(error: unknown): boolean {
  return ['AccessDeniedException', 'AccessDenied'].includes(errorName(error))
}

function httpStatus(error: unknown): number | undefined {
  if (error && typeof error === 'object' && '$metadata' in error) {
    const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
    return metadata?.httpStatusCode
  }
  return undefined
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code
  }
  return ''
}

/**
 * ECR asking to slow down, as the AWS SDK classifies it (throttling error names, HTTP 429,
 * `$retryable.throttling`), except the 24-hour scan quota: the SDK counts LimitExceededException
 * as throttling, but that answer is final for a day.
 */
export function isThrottling(error: unknown): boolean {
  return !isQuotaError(error) && isSdkError(error) && isThrottlingError(error)
}

/**
 * An answer that arrived but is not JSON (a truncated body, a proxy's error page): the SDK
 * marks it with the raw `$response` and does not retry it.
 */
function isMalformedAnswer(error: unknown): boolean {
  return (
    errorName(error) === 'SyntaxError' &&
    typeof error === 'object' &&
    error !== null &&
    '$response' in error
  )
}

/**
 * Worth asking again later, as the AWS SDK classifies it (throttling, 5xx, timeouts, broken
 * connections, `$retryable`), plus an answer that was not JSON. Not the quota, and not a host
 * that does not resolve: a typo in a region or endpoint stays a typo.
 */
export function isTransient(error: unknown): boolean {
  if (isMalformedAnswer(error)) return true
  if (!isSdkError(error) || isQuotaError(error) || unresolvedHost(error) !== undefined) return false
  return (
    isThrottlingError(error) ||
    isTransientError(error) ||
    isServerError(error) ||
    (httpStatus(error) ?? 0) >= 500 ||
    errorName(error) === 'ServerException'
  )
}

/** Anything thrown that the SDK's classifiers can look at (they read its fields). */
function isSdkError(error: unknown): error is SdkError {
  return typeof error === 'object' && error !== null
}

export interface ErrorContext {
  /** `repo:tag` or `repo@digest`, as the user named it. */
  image: string
  repositoryName: string
  region: string
  /** The registry (account ID) the image is in, when known; else the caller's own. */
  registryId?: string
}

/** "registry 123456789012" or "the caller's registry", for messages. */
function registryWords(registryId: string | undefined): string {
  return registryId ? `registry ${registryId}` : "the caller's own registry"
}

/**
 * The host name a failed DNS lookup names (Node's getaddrinfo error carries it); '' when the
 * error names none, undefined when it is no failed lookup.
 */
function unresolvedHost(error: unknown): string | undefined {
  if (errorCode(error) !== 'ENOTFOUND' && errorName(error) !== 'ENOTFOUND') return undefined
  const host = (error as { hostname?: unknown }).hostname
  if (typeof host === 'string' && host) return host
  return /ENOTFOUND\s+(\S+)/.exec(errorMessage(error))?.[1] ?? ''
}

/**
 * Turns any error from an ECR call into one actionable ActionError: what went wrong in plain
 * words (ECR's own message quoted, never JSON or the SDK's internals), then what to do. The AWS
 * error is its `cause`, so nothing AWS answered is lost.
 */
export function explainAwsError(error: unknown, context: ErrorContext): ActionError {
  if (error instanceof ActionError) return error
  const { message, hint } = explanation(error, context)
  return new ActionError(message, hint, { cause: error })
}

function explanation(error: unknown, context: ErrorContext): ActionError {
  const name = errorName(error)
  const message = awsMessage(error)
  const { image, repositoryName, region } = context
  const registry = registryWords(context.registryId)
  // The SDK names the command that failed; the messages say which one.
  const operation = commandName(error)
  const host = unresolvedHost(error)
  if (host !== undefined) {
    const fromRegion = host.includes(`.${region}.`)
    return new ActionError(
      `${host ? `The host ${host}` : "The ECR endpoint's host"} could not be found (DNS lookup failed), so ${operation} for ${image} could not be sent.`,
      fromRegion
        ? `The host is built from the region '${region}': check 'region' (or the region in the image URI) for a typo.`
        : 'The host comes from an endpoint setting: check AWS_ENDPOINT_URL_ECR and AWS_ENDPOINT_URL for a typo.',
    )
  }
  switch (name) {
    case 'CredentialsProviderError':
      return new ActionError(`No AWS credentials were found (${message}).`, credentialsHint())
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new ActionError(
        `AWS refused ${operation} for ${image} (${name}): ${message}`,
        `Check the credentials from aws-actions/configure-aws-credentials; the role needs ${[...IAM_ACTIONS.basic, ...IAM_ACTIONS.auto, ...IAM_ACTIONS.index].join(', ')} on the repository (GetRegistryScanningConfiguration only with scan-type: auto, BatchGetImage only for multi-arch images; enhanced scanning also needs ${IAM_ACTIONS.enhanced.join(', ')}).`,
      )
    case 'RepositoryNotFoundException':
      return new ActionError(
        `Repository '${repositoryName}' does not exist in ${registry} in region ${region}.`,
        "Check 'repository' and 'region' and, for another account's registry, 'registry-id'.",
      )
    case 'ImageNotFoundException':
      return new ActionError(
        `Image ${image} was not found in repository '${repositoryName}' of ${registry} in region ${region}.`,
        "Push the image before this step, and check 'image-tag' / 'image-digest'.",
      )
    case 'ImageArchivedException':
      return new ActionError(
        `Image ${image} is in ECR's archive storage class and cannot be scanned. ECR said: ${message}`,
        'Restore it to the standard storage class (ECR console, or UpdateImageStorageClass), wait for the restore, then re-run.',
      )
    case 'UnsupportedImageTypeException':
      return /index|manifest\.list/.test(message)
        ? indexError(image)
        : new ActionError(
            `ECR cannot scan ${image}. ECR said: ${message}`,
            'Only container images with a supported operating system can be scanned.',
          )
    case 'ScanNotFoundException':
      return noScanError(image, 'unknown')
    case 'InvalidParameterException':
    case 'ValidationException':
      return new ActionError(`ECR rejected ${operation} for ${image} (${name}): ${message}`)
  }
  if (isMalformedAnswer(error)) {
    return new ActionError(
      `ECR's answer to ${operation} for ${image} could not be read (it was not the JSON ECR sends).`,
      'This is usually a network or proxy problem, and temporary: re-run the job.',
    )
  }
  if (isTransient(error)) {
    return new ActionError(
      `ECR did not answer ${operation} for ${image} successfully, even after retries${nameWords(name, message)}: ${message}`,
      'This is usually temporary: re-run the job. AWS_MAX_ATTEMPTS raises the number of retries.',
    )
  }
  return new ActionError(
    `${operation.charAt(0).toUpperCase()}${operation.slice(1)} failed for ${image}${nameWords(name, message)}: ${message}`,
    'Check the repository, image and region; re-run with debug logging for details.',
  )
}

/**
 * ` (KmsAccessDeniedException)`: the error's name, next to ECR's message, so an error this
 * action does not know can still be searched for. '' for the names that say nothing (NAMELESS)
 * and when the message already says it.
 */
function nameWords(name: string, message: string): string {
  return NAMELESS.includes(name) || message.includes(name) ? '' : ` (${name})`
}

/**
 * Where credentials come from: a step of the workflow on a runner (which sets
 * GITHUB_ACTIONS=true), else the shell that started the action, as the AWS CLI finds them there.
 */
function credentialsHint(): string {
  return process.env.GITHUB_ACTIONS === 'true'
    ? 'Add aws-actions/configure-aws-credentials before this step (with OIDC: permissions id-token: write).'
    : 'Outside GitHub Actions the action takes them from this shell as the AWS CLI does: run aws sso login --profile NAME and set AWS_PROFILE=NAME, or run aws configure, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
}

/** Why ECR has no scan of an image, when the action can tell. */
export type NoScanCause =
  /** Enhanced scanning, and no rule of the registry covers the repository. */
  | { kind: 'not-covered'; registryId?: string; filters: string[] }
  /** Another account's registry: ECR answers ScanNotFound to cross-account callers under enhanced scanning. */
  | { kind: 'other-registry'; registryId: string }
  /** IAM denied StartImageScan and scan on push made no scan either. */
  | { kind: 'start-denied' }
  /** wait: false and no scan had been started or made on push. */
  | { kind: 'not-waiting' }
  | 'unknown'

/** "No scan exists" with its cause and the way out, in words. */
export function noScanError(image: string, cause: NoScanCause): ActionError {
  if (cause === 'unknown') {
    return new ActionError(
      `No scan exists for ${image}: ECR has no scan of this image.`,
      'Turn on scan on push for the repository, or let this action start the scan (wait: true with basic scanning); with enhanced scanning, check that a scanning rule covers the repository.',
    )
  }
  switch (cause.kind) {
    case 'not-covered':
      return new ActionError(
        `No scan exists for ${image}, and none will: the ${registryWords(cause.registryId)} uses enhanced scanning (Amazon Inspector), and none of its scanning rules covers the repository (filters: ${cause.filters.join(', ') || 'none'}). Under enhanced scanning ECR takes no manual scans.`,
        'Add a scan-on-push or continuous-scanning rule whose filter matches the repository (ECR console: Private registry > Scanning; or PutRegistryScanningConfiguration).',
      )
    case 'other-registry':
      return new ActionError(
        `No scan exists for ${image} as seen from this account: the image is in another account's registry (${cause.registryId}), and ECR answers "scan not found" to cross-account callers when that registry uses enhanced scanning.`,
        `Read the findings with a role in account ${cause.registryId} (aws-actions/configure-aws-credentials with role-to-assume), or run the scan step in that account.`,
      )
    case 'start-denied':
      return new ActionError(
        `No scan exists for ${image}, and this role may not start one: IAM denied ecr:StartImageScan, and scan on push made no scan of the image.`,
        "Allow ecr:StartImageScan on the repository, or turn on scan on push for it (the registry's basic scanning rules) so the role only needs to read.",
      )
    case 'not-waiting':
      return new ActionError(
        `No scan exists for ${image}: scan on push is off for the repository and, with wait: false, this step reports only a scan that already exists.`,
        'Set wait: true so the action starts the scan and waits for it, or turn on scan on push for the repository.',
      )
  }
}

/**
 * ECR's message without the SDK's own additions: the note about the hidden `$response` field
 * (the whole message when the error had none of its own), and the "UnknownError" placeholder it
 * uses when an answer had no message.
 */
function awsMessage(error: unknown): string {
  const message =
    errorMessage(error)
      .replace(/\s*Deserialization error:.*$/, '')
      .split('\n')[0]
      ?.trim() ?? ''
  if (!message || /^Unknown(Error)?$/.test(message)) {
    // A 2xx answer (one the SDK could not read) has no error to explain.
    const status = httpStatus(error) ?? 0
    return status >= 400
      ? `ECR answered HTTP ${status} without an explanation`
      : 'no explanation was given'
  }
  return message
}

function indexError(image: string): ActionError {
  return new ActionError(
    `${image} is an image index (a multi-arch image, or a BuildKit build with a provenance attestation), which ECR cannot scan as such.`,
    "Give the index's tag or digest so the action finds it by DescribeImages and scans each platform manifest, or build a single-platform image with provenance: false.",
  )
}

/** The operation createEcrClient recorded on the error, e.g. StartImageScan. */
function commandName(error: unknown): string {
  const operation = (error as { $operation?: unknown } | undefined)?.$operation
  return typeof operation === 'string' ? operation : 'the request'
}
