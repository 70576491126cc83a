import { GetRegistryScanningConfigurationCommand, type ECRClient } from '@aws-sdk/client-ecr'
import type { ScanType } from '../model.js'
import { errorName } from './errors.js'

const DENIED = ['AccessDeniedException', 'AccessDenied']

export type RegistryScanType =
  | { scanType: ScanType }
  /** Least-privilege roles often lack the permission; the scan can still be tried. */
  | { unknown: 'denied' }
  /** The call only describes the caller's own registry. */
  | { unknown: 'other-registry'; callerRegistryId: string }

export async function getRegistryScanType(
  client: ECRClient,
  registryId: string,
  signal?: AbortSignal,
): Promise<RegistryScanType> {
  try {
    const response = await client.send(new GetRegistryScanningConfigurationCommand({}), {
      abortSignal: signal,
    })
    if (response.registryId && registryId && response.registryId !== registryId) {
      return { unknown: 'other-registry', callerRegistryId: response.registryId }
    }
    return {
      scanType: response.scanningConfiguration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC',
    }
  } catch (error) {
    if (DENIED.includes(errorName(error))) return { unknown: 'denied' }
    throw error
  }
}
