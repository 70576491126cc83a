// The registry scanning configuration: its rules, ECR's checks on them, and which scan frequency
// they give a repository.
import { EcrError } from './errors.ts'
import type { ScanFrequency, ScanType, ScanningRule } from './types.ts'

const SCAN_TYPES: readonly ScanType[] = ['BASIC', 'ENHANCED']
const SCAN_FREQUENCIES: readonly ScanFrequency[] = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN', 'MANUAL']
// ScanningRepositoryFilter.filter in the ECR API reference; a repository name is lower case too.
const FILTER = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/

/** AWS's wording for a request member that breaks a constraint of the API model. */
function constraintViolation(value: unknown, member: string, constraint: string): EcrError {
  return new EcrError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  )
}

function enumViolation(value: unknown, member: string, values: readonly string[]): EcrError {
  return constraintViolation(
    value,
    member,
    `Member must satisfy enum value set: [${values.join(', ')}]`,
  )
}

export function validateScanType(scanType: unknown): ScanType {
  if (!SCAN_TYPES.includes(scanType as ScanType)) {
    throw enumViolation(scanType, 'scanType', SCAN_TYPES)
  }
  return scanType as ScanType
}

/** The rules as PutRegistryScanningConfiguration accepts them; members are numbered from 1. */
export function validateRules(rules: unknown): ScanningRule[] {
  if (!Array.isArray(rules)) throw constraintViolation(rules, 'rules', 'Member must be a list')
  return rules.map((rule: Partial<ScanningRule> | null, r) => {
    const at = `rules.${r + 1}.member`
    if (!SCAN_FREQUENCIES.includes(rule?.scanFrequency as ScanFrequency)) {
      throw enumViolation(rule?.scanFrequency, `${at}.scanFrequency`, SCAN_FREQUENCIES)
    }
    if (!Array.isArray(rule?.repositoryFilters)) {
      throw constraintViolation(null, `${at}.repositoryFilters`, 'Member must not be null')
    }
    rule.repositoryFilters.forEach((filter, f) => {
      const filterAt = `${at}.repositoryFilters.${f + 1}.member`
      if (typeof filter?.filter !== 'string' || !FILTER.test(filter.filter)) {
        throw constraintViolation(
          filter?.filter,
          `${filterAt}.filter`,
          `Member must satisfy regular expression pattern: ${FILTER.source}`,
        )
      }
      if (filter.filterType !== 'WILDCARD') {
        throw enumViolation(filter.filterType, `${filterAt}.filterType`, ['WILDCARD'])
      }
    })
    return rule as ScanningRule
  })
}

/**
 * ECR user guide, "Filters to choose which repositories are scanned": "a filter with no wildcard
 * will match all repository names that contain the filter. A filter with a wildcard (*) matches
 * on any repository name where the wildcard replaces zero or more characters in the repository
 * name." Its table: `prod` matches prod, repo-prod, prod-repo, repo-prod-repo and prodrepo;
 * `*prod` only prod and repo-prod; `prod*repo` only prod-repo and prodrepo. The guide says nothing
 * of case, and needs not: the API's patterns allow only lower case in filters and repository names.
 */
export function filterMatches(filter: string, repositoryName: string): boolean {
  if (!filter.includes('*')) return repositoryName.includes(filter)
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${pattern}$`).test(repositoryName)
}

/**
 * The frequency at which the registry scans a repository. The same guide: on a BASIC registry a
 * repository no scan-on-push filter matches is scanned manually; on an ENHANCED one it "will have
 * scanning disabled", and where a continuous and a scan-on-push filter both match, "Amazon ECR
 * enforces the continuous scanning filter". An ENHANCED registry without any rule is the
 * emulator's own shorthand for one that scans every repository continuously.
 */
export function scanFrequencyFor(
  scanType: ScanType,
  rules: readonly ScanningRule[],
  repositoryName: string,
): ScanFrequency {
  if (scanType === 'ENHANCED' && rules.length === 0) return 'CONTINUOUS_SCAN'
  const covering = new Set(
    rules
      .filter((rule) =>
        rule.repositoryFilters.some((filter) => filterMatches(filter.filter, repositoryName)),
      )
      .map((rule) => rule.scanFrequency),
  )
  if (scanType === 'ENHANCED' && covering.has('CONTINUOUS_SCAN')) return 'CONTINUOUS_SCAN'
  return covering.has('SCAN_ON_PUSH') ? 'SCAN_ON_PUSH' : 'MANUAL'
}
