import { GetRegistryScanningConfigurationCommand, type ECRClient } from '@aws-sdk/client-ecr'
import type { ScanFrequency, ScanType } from '../kernel/model.js'
import { errorName } from './errors.js'

const DENIED = ['AccessDeniedException', 'AccessDenied']

/** One rule of the registry's scanning configuration: a frequency and the repositories it covers. */
export interface ScanningRule {
  scanFrequency: ScanFrequency
  /** ECR's WILDCARD repository filters, as written (`prod*`, `team/api`, `*`). */
  filters: string[]
}

/** GetRegistryScanningConfiguration's answer, which always describes the caller's registry. */
export type CallerScanType =
  | { registryId?: string; scanType: ScanType; rules: ScanningRule[] }
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
    const configuration = response.scanningConfiguration
    return {
      registryId: response.registryId,
      scanType: configuration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC',
      rules: (configuration?.rules ?? []).map((rule) => ({
        scanFrequency: toScanFrequency(rule.scanFrequency),
        filters: (rule.repositoryFilters ?? [])
          .map((filter) => filter.filter?.trim() ?? '')
          .filter(Boolean),
      })),
    }
  } catch (error) {
    if (DENIED.includes(errorName(error))) return { denied: true }
    throw error
  }
}

function toScanFrequency(word: string | undefined): ScanFrequency {
  return word === 'CONTINUOUS_SCAN' || word === 'SCAN_ON_PUSH' ? word : 'MANUAL'
}

/** What the registry's scanning configuration says about one repository. */
export type RegistryScanning =
  | {
      scanType: ScanType
      /**
       * How often ECR scans the repository: from the first rule that covers it (CONTINUOUS_SCAN
       * wins over SCAN_ON_PUSH), MANUAL on a basic registry when none does; unset when the
       * registry lists no rules at all, which says nothing either way.
       */
      scanFrequency?: ScanFrequency
      /** Enhanced scanning with rules of which none covers the repository: it is never scanned. */
      notCovered?: { filters: string[] }
    }
  | { unknown: 'denied' }
  /** The image's registry is another account's, whose configuration the caller cannot read. */
  | { unknown: 'other-registry'; callerRegistryId: string }

/**
 * What the caller's answer says about `repositoryName` in registry `registryId`. The rules are
 * ECR's: under enhanced scanning a repository no filter covers has scanning disabled (manual
 * scans are impossible there); under basic scanning it is scanned manually. When several rules
 * cover a repository, ECR applies continuous scanning over scan on push (ECR User Guide, "Image
 * scanning", Using filters).
 */
export function registryScanningOf(
  answer: CallerScanType,
  registryId: string,
  repositoryName: string,
): RegistryScanning {
  if ('denied' in answer) return { unknown: 'denied' }
  if (answer.registryId && registryId && answer.registryId !== registryId) {
    return { unknown: 'other-registry', callerRegistryId: answer.registryId }
  }
  const { scanType, rules } = answer
  if (rules.length === 0) return { scanType }
  const covering = rules.filter((rule) =>
    rule.filters.some((filter) => repositoryFilterMatches(filter, repositoryName)),
  )
  const frequencies = covering.map((rule) => rule.scanFrequency)
  const scanFrequency = frequencies.includes('CONTINUOUS_SCAN')
    ? 'CONTINUOUS_SCAN'
    : frequencies.includes('SCAN_ON_PUSH')
      ? 'SCAN_ON_PUSH'
      : 'MANUAL'
  if (scanType === 'ENHANCED' && scanFrequency === 'MANUAL') {
    return {
      scanType,
      scanFrequency,
      notCovered: { filters: rules.flatMap((rule) => rule.filters) },
    }
  }
  return { scanType, scanFrequency }
}

/**
 * ECR's WILDCARD repository filter (ECR User Guide, "Image scanning", Using filters): a filter
 * without `*` matches every repository name that contains it; with `*`, the whole name must
 * match, each `*` standing for zero or more characters. Filters and names are lower case in ECR
 * (both patterns allow only a-z, 0-9 and . _ - /), so the comparison is exact.
 */
export function repositoryFilterMatches(filter: string, repositoryName: string): boolean {
  if (!filter.includes('*')) return repositoryName.includes(filter)
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${pattern}$`).test(repositoryName)
}
