import { GetRegistryScanningConfigurationCommand, type ECRClient } from '@aws-sdk/client-ecr'
import type { ScanType } from '../model.js'
import { errorName } from './errors.js'

const DENIED = ['AccessDeniedException', 'AccessDenied']

/** GetRegistryScanningConfiguration's answer, which always describes the caller's registry. */
export type CallerScanType =
  | { registryId?: string; scanType: ScanType }
  /** Least-privilege roles often lack the permission; the scan can still be tried. */
  | { denied: true }

export async function getCallerScanType(
  client: ECRClient,
  signal?: AbortSignal,
): Promise<CallerScanType> {
  try {
    const response = await client.send(new GetRegistryScanningConfigurationCommand({}), {
      abortSignal: signal,
    })
    return {
      registryId: response.registryId,
      scanType: response.scanningConfiguration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC',
    }
  } catch (error) {
    if (DENIED.includes(errorName(error))) return { denied: true }
    throw error
  }
}

export type RegistryScanType =
  | { scanType: ScanType }
  | { unknown: 'denied' }
  /** The image's registry is another account's, whose scan type the caller cannot ask. */
  | { unknown: 'other-registry'; callerRegistryId: string }

/** What the caller's answer says about the registry `registryId`. */
export function scanTypeOf(answer: CallerScanType, registryId: string): RegistryScanType {
  if ('denied' in answer) return { unknown: 'denied' }
  if (answer.registryId && registryId && answer.registryId !== registryId) {
    return { unknown: 'other-registry', callerRegistryId: answer.registryId }
  }
  return { scanType: answer.scanType }
}
