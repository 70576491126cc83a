// ECR's error answers: the SDK's awsJson1_1 deserializer takes the error name from the body's
// `__type` (then `code`, then the x-amzn-ErrorType header) and the text from `message`.

export class EcrError extends Error {
  readonly errorName: string
  readonly status: number

  constructor(errorName: string, message: string, status = 400) {
    super(message)
    this.errorName = errorName
    this.status = status
  }
}

export interface ImageIdentifier {
  imageDigest?: string
  imageTag?: string
}

/** ECR's rendering of an image id inside messages, e.g. `{imageDigest:'null', imageTag:'v1'}`. */
export function formatImageId(imageId: ImageIdentifier): string {
  return `{imageDigest:'${imageId.imageDigest ?? 'null'}', imageTag:'${imageId.imageTag ?? 'null'}'}`
}

export function repositoryNotFound(repositoryName: string, registryId: string): EcrError {
  return new EcrError(
    'RepositoryNotFoundException',
    `The repository with name '${repositoryName}' does not exist in the registry with id '${registryId}'`,
  )
}

export function imageNotFound(
  imageId: ImageIdentifier,
  repositoryName: string,
  registryId: string,
): EcrError {
  return new EcrError(
    'ImageNotFoundException',
    `The image with imageId ${formatImageId(imageId)} does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
  )
}

export function scanNotFound(
  imageId: ImageIdentifier,
  repositoryName: string,
  registryId: string,
): EcrError {
  return new EcrError(
    'ScanNotFoundException',
    `Image scan does not exist for the image with '${formatImageId(imageId)}' in the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
  )
}

export function invalidParameter(member: string, constraint: string): EcrError {
  return new EcrError(
    'InvalidParameterException',
    `Invalid parameter at '${member}' failed to satisfy constraint: '${constraint}'`,
  )
}

/** What AWS answers for a missing required member, before the service itself runs. */
export function missingMember(member: string): EcrError {
  return new EcrError(
    'ValidationException',
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  )
}

/**
 * IAM's answer to a role without the operation's action, as AWS words it for an assumed role
 * (here `ci/session`) that no identity-based policy allows.
 */
export function accessDenied(operation: string, accountId: string, resource: string): EcrError {
  return new EcrError(
    'AccessDeniedException',
    `User: arn:aws:sts::${accountId}:assumed-role/ci/session is not authorized to perform: ecr:${operation} on resource: ${resource} because no identity-based policy allows the ecr:${operation} action`,
  )
}
