// AWS errors → ActionErrors that say what was wrong and what to do. ECR's error names and
// messages are listed in ecr-notes.md.

import { ActionError, errorMessage } from '../errors.js'

/** The IAM actions the action calls, for AccessDenied hints. */
export const IAM_ACTIONS = {
  basic: ['ecr:DescribeImages', 'ecr:StartImageScan', 'ecr:DescribeImageScanFindings'],
  // Only for image indexes (multi-arch images), to list their platforms.
  index: ['ecr:BatchGetImage'],
  auto: ['ecr:GetRegistryScanningConfiguration'],
  // ECR reads Inspector's findings with the caller's permissions.
  enhanced: ['inspector2:ListFindings'],
} as const

export function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') {
    return error.name
  }
  return ''
}

export function isQuotaError(error: unknown): boolean {
  return errorName(error) === 'LimitExceededException'
}

const THROTTLING = [
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]
const NETWORK = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']

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

/** ECR asking to slow down (not the 24-hour scan quota, which is final). */
export function isThrottling(error: unknown): boolean {
  return THROTTLING.includes(errorName(error)) || httpStatus(error) === 429
}

/**
 * An answer that arrived but is not JSON (a truncated body, a proxy's error page): the SDK
 * marks it with the raw `$response` and does not retry it.
 */
export function isMalformedAnswer(error: unknown): boolean {
  return (
    errorName(error) === 'SyntaxError' &&
    typeof error === 'object' &&
    error !== null &&
    '$response' in error
  )
}

/** Worth asking again later: throttling, server errors, timeouts and broken connections. */
export function isTransient(error: unknown): boolean {
  const name = errorName(error)
  const status = httpStatus(error) ?? 0
  return (
    isMalformedAnswer(error) ||
    isThrottling(error) ||
    status >= 500 ||
    name === 'ServerException' ||
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    NETWORK.includes(errorCode(error)) ||
    NETWORK.includes(name)
  )
}

export interface ErrorContext {
  /** `repo:tag` or `repo@digest`, as the user named it. */
  image: string
  repositoryName: string
  region: string
}

/** Turns any error from an ECR call into one actionable ActionError. */
export function explainAwsError(error: unknown, context: ErrorContext): ActionError {
  if (error instanceof ActionError) return error
  const name = errorName(error)
  const message = errorMessage(error)
  const { image, repositoryName, region } = context
  // The SDK names the command that failed; the messages say which one.
  const operation = commandName(error)
  switch (name) {
    case 'CredentialsProviderError':
      return new ActionError(
        `No AWS credentials were found (${message}).`,
        'Add aws-actions/configure-aws-credentials before this step (with OIDC: permissions id-token: write).',
      )
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new ActionError(
        `AWS refused ${operation} for ${image}: ${name}: ${message}`,
        `Check the credentials from aws-actions/configure-aws-credentials; the role needs ${[...IAM_ACTIONS.basic, ...IAM_ACTIONS.auto, ...IAM_ACTIONS.index].join(', ')} on the repository (GetRegistryScanningConfiguration only with scan-type: auto, BatchGetImage only for multi-arch images; enhanced scanning also needs ${IAM_ACTIONS.enhanced.join(', ')}).`,
      )
    case 'RepositoryNotFoundException':
      return new ActionError(
        `Repository '${repositoryName}' does not exist in region ${region}: ${message}`,
        "Check 'repository', 'region' and, for another account's registry, 'registry-id'.",
      )
    case 'ImageNotFoundException':
      return new ActionError(
        `Image ${image} was not found: ${message}`,
        "Push the image before this step, and check 'image-tag' / 'image-digest'.",
      )
    case 'ImageArchivedException':
      return new ActionError(
        `Image ${image} is in ECR's archive storage class and cannot be scanned: ${message}`,
        'Restore it to the standard storage class (ECR console, or UpdateImageStorageClass), wait for the restore, then re-run.',
      )
    case 'UnsupportedImageTypeException':
      return /index|manifest\.list/.test(message)
        ? indexError(image)
        : new ActionError(
            `ECR cannot scan ${image}: ${message}`,
            'Only container images with a supported operating system can be scanned.',
          )
    case 'ScanNotFoundException':
      return new ActionError(
        `No scan exists for ${image}: ${message}`,
        'Run the action with wait: true after pushing, or turn on scan on push for the repository.',
      )
    case 'InvalidParameterException':
    case 'ValidationException':
      return new ActionError(`ECR rejected ${operation} for ${image}: ${name}: ${message}`)
  }
  if (isMalformedAnswer(error)) {
    // The SDK appends a line about its hidden `$response` field, which means nothing to a user.
    return new ActionError(
      `ECR's answer to ${operation} for ${image} could not be read: ${message.split('\n')[0]}.`,
      'This is usually a network or proxy problem, and temporary: re-run the job.',
    )
  }
  if (isTransient(error)) {
    return new ActionError(
      `ECR did not answer ${operation} for ${image} successfully, even after retries: ${name || 'error'}: ${message}`,
      'This is usually temporary: re-run the job. AWS_MAX_ATTEMPTS raises the number of retries.',
    )
  }
  return new ActionError(
    `${operation} failed for ${image}: ${name ? `${name}: ` : ''}${message}`,
    'Check the repository, image and region; re-run with debug logging for details.',
  )
}

export function indexError(image: string): ActionError {
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
