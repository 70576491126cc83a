import { countSeverities, type Finding, type ScanResult } from '../src/model.js'
import type { Settings } from '../src/settings.js'

export const DIGEST = `sha256:${'d'.repeat(64)}`
export const BASELINE_DIGEST = `sha256:${'b'.repeat(64)}`

export function settingsWith(overrides: Partial<Settings> = {}): Settings {
  return {
    images: [{ target: { repositoryName: 'team/api', imageTag: 'v1' }, region: 'us-east-1' }],
    scanType: 'auto',
    onLimitExceeded: 'warn',
    wait: true,
    waitTimeoutSeconds: 600,
    onScanFailure: 'fail',
    concurrency: 50,
    requestsPerSecond: 5,
    ignore: [],
    onlyFixable: false,
    annotations: true,
    commentOnPr: false,
    githubToken: '',
    onlyNew: false,
    failOnExploitable: false,
    strayInputVariables: [],
    ...overrides,
  }
}

/** A basic scan that completed with the given findings (counts derived from them). */
export function completedResult(
  list: Finding[] = [],
  overrides: Partial<ScanResult> = {},
): ScanResult {
  const rawSeverityCounts: Record<string, number> = {}
  for (const finding of list)
    rawSeverityCounts[finding.ecrSeverity] = (rawSeverityCounts[finding.ecrSeverity] ?? 0) + 1
  return {
    target: { repositoryName: 'team/api', imageTag: 'v1' },
    region: 'us-east-1',
    image: {
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageDigest: DIGEST,
      imageTag: 'v1',
    },
    scanType: 'BASIC',
    scanStarted: true,
    limitExceeded: false,
    scanStatus: 'COMPLETE',
    scanStatusDescription: 'The scan was completed successfully.',
    timedOut: false,
    findings: {
      rawSeverityCounts,
      severityCounts: countSeverities(rawSeverityCounts),
      list,
      unread: 0,
    },
    ...overrides,
  }
}

/** An image the step could not resolve: only the target is known, no scan was started. */
export function unresolvedResult(overrides: Partial<ScanResult> = {}): ScanResult {
  return completedResult([], {
    image: undefined,
    findings: undefined,
    scanStatus: undefined,
    scanStatusDescription: undefined,
    scanStarted: false,
    scanType: undefined,
    ...overrides,
  })
}

export function finding(id: string, severity: string, extra: Partial<Finding> = {}): Finding {
  return {
    id,
    severity: severity === 'UNTRIAGED' ? 'UNDEFINED' : (severity as Finding['severity']),
    ecrSeverity: severity,
    ...extra,
  }
}

/** A completed scan compared with the baseline `team/api:production` that has `before`. */
export function comparedResult(
  list: Finding[],
  before: Finding[],
  overrides: Partial<ScanResult> = {},
): ScanResult {
  return completedResult(list, {
    baseline: {
      label: 'team/api:production',
      imageDigest: BASELINE_DIGEST,
      outcome: 'compared',
      findings: before,
    },
    ...overrides,
  })
}
