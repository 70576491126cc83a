import {
  countSeverities,
  type ExploitData,
  type Finding,
  type ImageReport,
  type ScanResult,
} from '../src/kernel/model.js'
import type {
  ExploitSettings,
  FactSettings,
  ReportSettings,
  ScanSettings,
  Settings,
  VerdictSettings,
} from '../src/inputs/settings.js'
import { enrich } from '../src/facts/enrich.js'
import { judge } from '../src/verdict/judge.js'

export const DIGEST = `sha256:${'d'.repeat(64)}`
export const BASELINE_DIGEST = `sha256:${'b'.repeat(64)}`

/** Every setting by its name, as tests write them: settingsWith groups them by stage. */
export type FlatSettings = Pick<Settings, 'images' | 'strayInputVariables'> &
  ScanSettings &
  FactSettings &
  VerdictSettings &
  ReportSettings &
  ExploitSettings

/** The settings of a step that names one image, `team/api:v1`, with every default, and `overrides`. */
export function settingsWith(overrides: Partial<FlatSettings> = {}): Settings {
  const flat: FlatSettings = {
    images: [{ target: { repositoryName: 'team/api', imageTag: 'v1' }, region: 'us-east-1' }],
    strayInputVariables: [],
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
    failOnKev: false,
    kev: false,
    epss: false,
    kevUrl: 'http://127.0.0.1:9/kev.json',
    epssUrl: 'http://127.0.0.1:9/epss',
    ...overrides,
  }
  return {
    images: flat.images,
    strayInputVariables: flat.strayInputVariables,
    scan: {
      platforms: flat.platforms,
      scanType: flat.scanType,
      onLimitExceeded: flat.onLimitExceeded,
      wait: flat.wait,
      waitTimeoutSeconds: flat.waitTimeoutSeconds,
      concurrency: flat.concurrency,
      requestsPerSecond: flat.requestsPerSecond,
      compareTo: flat.compareTo,
    },
    facts: {
      ignore: flat.ignore,
      onlyNew: flat.onlyNew,
      onlyFixable: flat.onlyFixable,
      ...(flat.vex && { vex: flat.vex }),
    },
    verdict: {
      failOnSeverity: flat.failOnSeverity,
      failOnExploitable: flat.failOnExploitable,
      failOnKev: flat.failOnKev,
      failOnEpss: flat.failOnEpss,
      onLimitExceeded: flat.onLimitExceeded,
      onScanFailure: flat.onScanFailure,
      waitTimeoutSeconds: flat.waitTimeoutSeconds,
      onlyNew: flat.onlyNew,
    },
    report: {
      sarifFile: flat.sarifFile,
      dockerfile: flat.dockerfile,
      annotations: flat.annotations,
      commentOnPr: flat.commentOnPr,
      githubToken: flat.githubToken,
    },
    exploits: { kev: flat.kev, epss: flat.epss, kevUrl: flat.kevUrl, epssUrl: flat.epssUrl },
  }
}

/** `settings` with `overrides` (by their flat names), the groups made anew as settingsWith does. */
export function overridden(settings: Settings, overrides: Partial<FlatSettings>): Settings {
  const { images, strayInputVariables, scan, facts, verdict, report, exploits } = settings
  return settingsWith({
    images,
    strayInputVariables,
    ...scan,
    ...facts,
    ...verdict,
    ...report,
    ...exploits,
    ...overrides,
  })
}

/**
 * The report of `result` as the step makes it (facts, then the verdict) under `settings`; ignore
 * rules are applied by the caller, when any (applyIgnoreRules), as before.
 */
export function reportOf(
  result: ScanResult,
  settings: Settings = settingsWith(),
  error?: unknown,
  exploits?: ExploitData,
): ImageReport {
  const { facts } = enrich(result, { ignore: [], exploits }, settings.facts)
  return { result, facts, verdict: judge(result, facts, settings.verdict, error) }
}

/** The verdict of `result` under `settings`, its facts worked out as the step does. */
export function verdictOf(
  result: ScanResult,
  settings: Settings = settingsWith(),
  error?: unknown,
) {
  return reportOf(result, settings, error).verdict
}

/** Reports of `results` with every default setting, for renderers that need only their facts. */
export function reportsOf(
  results: ScanResult[],
  settings: Settings = settingsWith(),
): ImageReport[] {
  return results.map((result) => reportOf(result, settings))
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
