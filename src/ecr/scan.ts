import { StartImageScanCommand, type ECRClient } from '@aws-sdk/client-ecr'
import { ActionError, errorMessage } from '../kernel/errors.js'
import type { ResolvedImage } from '../kernel/model.js'
import { errorName, isAccessDenied, isQuotaError } from './errors.js'

export type StartOutcome =
  | { kind: 'started'; scanStatus: string; scanStatusDescription?: string }
  /** ECR's one-scan-per-image-per-24-hours quota; the message is ECR's. */
  | { kind: 'limit-exceeded'; message: string }
  /** The registry turned out to use enhanced scanning (Inspector), which takes no manual scans. */
  | { kind: 'enhanced-registry'; message: string }
  /**
   * IAM denied ecr:StartImageScan: a least-privilege role that relies on scan on push can still
   * read the image's existing scan.
   */
  | { kind: 'denied'; message: string }

/**
 * StartImageScan by digest. The quota error comes back after exactly one request (the client's
 * retry strategy treats it as final) and is an outcome, not a failure: the user decides.
 */
export async function startImageScan(
  client: ECRClient,
  image: ResolvedImage,
  scanTypeKnown: boolean,
  signal?: AbortSignal,
): Promise<StartOutcome> {
  try {
    const response = await client.send(
      new StartImageScanCommand({
        registryId: image.registryId || undefined,
        repositoryName: image.repositoryName,
        imageId: { imageDigest: image.imageDigest },
      }),
      { abortSignal: signal },
    )
    return {
      kind: 'started',
      scanStatus: response.imageScanStatus?.status ?? 'IN_PROGRESS',
      scanStatusDescription: response.imageScanStatus?.description,
    }
  } catch (error) {
    if (isQuotaError(error)) return { kind: 'limit-exceeded', message: errorMessage(error) }
    if (isAccessDenied(error)) return { kind: 'denied', message: errorMessage(error) }
    if (isEnhancedRefusal(error)) {
      // Users report this answer from ENHANCED registries and mistake it for the quota.
      if (!scanTypeKnown) return { kind: 'enhanced-registry', message: errorMessage(error) }
      throw new ActionError(
        `ECR refused the scan: ${errorMessage(error)}. The registry probably uses enhanced scanning (Amazon Inspector), which takes no manual scans.`,
        "Set scan-type: enhanced (or auto) to report Inspector's findings instead.",
      )
    }
    throw error
  }
}

function isEnhancedRefusal(error: unknown): boolean {
  return (
    errorName(error) === 'ValidationException' && /feature is disabled/i.test(errorMessage(error))
  )
}
