// SARIF 2.1.0 for GitHub code scanning: a pure renderer of scan results. One rule per
// vulnerability ID (the ID itself, so alerts stay put across runs), one result per finding,
// located at a file of the repository because code scanning shows nothing without one.
// What code scanning does with the file is in GitHub's "SARIF support for code scanning":
// it reads only `primaryLocationLineHash` of `partialFingerprints`, derives the upload's
// category from `runs[].automationDetails.id`, and rejects files over the limits below.

import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Log, ReportingDescriptor, Result } from 'sarif'
import { formatImage, repositoryKey } from '../kernel/image-ref.js'
import {
  SEVERITIES,
  isExploitable,
  type FindingExploits,
  type Finding,
  type ImageReport,
  type ScanResult,
  type Severity,
} from '../kernel/model.js'
import { ACTION_NAME, ACTION_VERSION } from '../kernel/version.js'
import { findingLine } from './present.js'
import { mostSevere, severer } from '../facts/order.js'

/**
 * Code scanning's limits on one upload, from GitHub's "SARIF support for code scanning" (file
 * compatibility) and "SARIF results exceed limit": a file with more than 25,000 results in a run,
 * or more than 1,000 locations in a result, is rejected; so is one over 10 MB once gzip-compressed.
 * (Only the 5,000 most severe results of a run are shown; the rest are still stored.)
 */
export const SARIF_LIMITS = {
  resultsPerRun: 25_000,
  locationsPerResult: 1_000,
  gzipBytes: 10_000_000,
} as const

/**
 * The compressed size this file aims at: upload-sarif sends the file as compact JSON through
 * gzip, like gzipSync here; the margin covers what it adds on the way and a different zlib.
 */
const GZIP_TARGET = Math.floor(SARIF_LIMITS.gzipBytes * 0.9)

export interface SarifOptions {
  /** Repository-relative path every result points at (see sarifLocation). */
  location: string
  /** Where the tool is documented, e.g. the action's repository page. */
  informationUri?: string
  /** At most this many results (default: code scanning's 25,000); tests lower it. */
  maxResults?: number
  /** At most this many bytes gzip-compressed (default: 90% of code scanning's 10 MB). */
  maxGzipBytes?: number
}

/** Results the file leaves out to stay under code scanning's limits: the least severe ones. */
export interface SarifOmission {
  /** How many results were left out, and of how many. */
  omitted: number
  total: number
  /** The omitted results per severity. */
  bySeverity: Partial<Record<Severity, number>>
  /** The limit that made them go: results per run, or the compressed size. */
  limit: 'results' | 'size'
}

/** The SARIF log, and what it left out (unset when it holds every result). */
export interface SarifReport {
  log: Log
  omitted?: SarifOmission
}

type Level = 'error' | 'warning' | 'note'

const LEVELS: Record<Severity, Level> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFORMATIONAL: 'note',
  UNDEFINED: 'note',
}

/**
 * GitHub turns `security-severity` into its own severity: over 9.0 critical, 7.0–8.9 high,
 * 4.0–6.9 medium, 0.1–3.9 low. A CVSS score is used when it falls in the band of ECR's severity
 * (which decides the verdict), else the band's middle, so code scanning agrees with the summary.
 */
const SECURITY_SEVERITY: Partial<Record<Severity, { min: number; max: number; fallback: number }>> =
  {
    CRITICAL: { min: 9.1, max: 10, fallback: 9.5 },
    HIGH: { min: 7.0, max: 8.9, fallback: 8.0 },
    MEDIUM: { min: 4.0, max: 6.9, fallback: 5.5 },
    LOW: { min: 0.1, max: 3.9, fallback: 2.0 },
  }

export function securitySeverity(severity: Severity, score?: number): string | undefined {
  const band = SECURITY_SEVERITY[severity]
  if (!band) return undefined
  const rounded = score === undefined ? undefined : Math.floor(score * 10) / 10
  const value =
    rounded !== undefined && rounded >= band.min && rounded <= band.max ? rounded : band.fallback
  return value.toFixed(1)
}

/**
 * The SARIF log of every finding that was read (ignored ones left out), in one run; with
 * compare-to, each result's baselineState comes from the report's comparison.
 *
 * At most `maxResults` results (25,000) and `maxGzipBytes` compressed (9 MB): over either, the
 * least severe results go first (the order of the summary's tables: severity, then score, then
 * ID), and `omitted` says how many of which severity, for the job summary (sarifOmissionNote).
 * Each result has one location, far below the limit of 1,000.
 */
export function toSarif(reports: ImageReport[], options: SarifOptions): SarifReport {
  const results = reports.map(({ result }) => result)
  const entries: Entry[] = reports.flatMap(({ result, facts }) => {
    const comparison = facts.comparison
    const added = new Set(comparison?.added)
    const exploits = facts.exploits
    return (result.findings?.list ?? []).map((finding) => ({
      finding,
      result,
      ...(comparison ? { baselineState: added.has(finding) ? 'new' : 'unchanged' } : {}),
      ...(exploits ? { exploits: exploits.byFinding.get(finding) } : {}),
    }))
  })
  const ranked = mostSevereEntries(entries)
  const maxResults = options.maxResults ?? SARIF_LIMITS.resultsPerRun
  const maxGzipBytes = options.maxGzipBytes ?? GZIP_TARGET
  let kept = Math.min(ranked.length, maxResults)
  let limit: SarifOmission['limit'] | undefined = kept < ranked.length ? 'results' : undefined
  let log = buildLog(results, ranked.slice(0, kept), ranked.length, options)
  for (;;) {
    const json = JSON.stringify(log)
    // Text always shrinks under gzip: a file within the limit uncompressed needs no measuring.
    const size = Buffer.byteLength(json) <= maxGzipBytes ? 0 : gzipSync(json).length
    if (size <= maxGzipBytes || kept === 0) break
    // Results are much alike in size: shrink in proportion, a little more to converge fast.
    kept = Math.min(kept - 1, Math.floor(kept * (maxGzipBytes / size) * 0.95))
    limit = 'size'
    log = buildLog(results, ranked.slice(0, kept), ranked.length, options)
  }
  if (!limit) return { log }
  const bySeverity: Partial<Record<Severity, number>> = {}
  for (const { finding } of ranked.slice(kept)) {
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1
  }
  return {
    log,
    omitted: { omitted: ranked.length - kept, total: ranked.length, bySeverity, limit },
  }
}

interface Entry {
  finding: Finding
  result: ScanResult
  /** compare-to: whether the baseline lacks the finding; unset when no comparison was made. */
  baselineState?: 'new' | 'unchanged'
  /** What CISA KEV and EPSS say about it, when they were asked. */
  exploits?: FindingExploits
}

/** Riskiest first, in mostSevere's order, each finding with its image. */
function mostSevereEntries(entries: Entry[]): Entry[] {
  const exploitsOf = new Map(entries.map((entry) => [entry.finding, entry.exploits]))
  const of = entries.some((entry) => entry.exploits) ? (f: Finding) => exploitsOf.get(f) : undefined
  return [...entries].sort((a, b) => severer(a.finding, b.finding, of))
}

function buildLog(
  results: ScanResult[],
  entries: Entry[],
  total: number,
  options: SarifOptions,
): Log {
  const byId = new Map<string, Entry[]>()
  for (const entry of entries) {
    const same = byId.get(entry.finding.id)
    if (same) same.push(entry)
    else byId.set(entry.finding.id, [entry])
  }
  const ids = [...byId.keys()].sort()
  const rules = ids.map((id) =>
    ruleOf(
      id,
      (byId.get(id) ?? []).map((entry) => entry.finding),
      (byId.get(id) ?? []).map((entry) => entry.exploits),
    ),
  )
  const sarifResults: Result[] = ids.flatMap((id, ruleIndex) =>
    (byId.get(id) ?? []).map((entry) => resultOf(entry, ruleIndex, options.location)),
  )
  const unread = results.filter((result) => !result.findings)
  const omitted = total - entries.length
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: ACTION_NAME,
            semanticVersion: ACTION_VERSION,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        automationDetails: { id: automationId(results) },
        invocations: [
          {
            executionSuccessful: unread.length === 0,
            toolExecutionNotifications: [
              ...unread.map((result) => ({
                level: 'error' as const,
                message: {
                  text: `The findings of ${formatImage(result.target)} could not be read (scan status ${result.scanStatus ?? 'unknown'}); they are missing from this file.`,
                },
              })),
              ...(omitted > 0
                ? [
                    {
                      level: 'warning' as const,
                      message: {
                        text: `${omitted} of ${total} results, the least severe, are left out to stay under code scanning's limits; the findings file of the step has every finding.`,
                      },
                    },
                  ]
                : []),
            ],
          },
        ],
        results: sarifResults,
      },
    ],
  }
}

/**
 * `runs[].automationDetails.id`: code scanning takes everything before its last `/` as the
 * upload's category, and an upload replaces the previous analysis of its category (per tool and
 * ref). So the id names what was scanned, `ecr-image-scan/REGION/[REGISTRY/]REPOSITORY/`, from the
 * images as requested (never a tag or digest, which change every build, and never what a run
 * happened to resolve): the same images give the same category run after run, and steps that
 * scan different repositories keep separate analyses. Several repositories in one step share one
 * id: the first of them, how many more, and a hash of them all. Platforms are left out so an
 * index that gains a platform keeps its category (its results differ by fingerprint instead).
 * upload-sarif fills in its `category` input only where the file has no id, so that input no
 * longer applies; two steps that scan the same repository should scan it in one step.
 */
function automationId(results: ScanResult[]): string {
  const keys = [...new Set(results.map(repositoryKey))].sort()
  const [first] = keys
  if (!first) return `${ACTION_NAME}/`
  if (keys.length === 1) return `${ACTION_NAME}/${first}/`
  const hash = createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 12)
  return `${ACTION_NAME}/${first}+${keys.length - 1}-more-${hash}/`
}

/**
 * The identity of a result for code scanning, as `partialFingerprints.primaryLocationLineHash`
 * (the only fingerprint it reads): every result sits on the same line, so the hash GitHub would
 * compute from that line cannot tell them apart. Made of the region, registry, repository,
 * platform (of a multi-arch image), vulnerability ID and package, so two platforms, two
 * repositories or two packages with the same CVE are separate alerts. The tag and the digest are
 * left out: the next build of the image, still vulnerable, keeps the alert open instead of
 * closing it and opening a new one. In GitHub's own form, 16 hex digits and an occurrence.
 */
export function fingerprintOf(finding: Finding, result: ScanResult): string {
  const registryId = result.image?.registryId || result.target.registryId || ''
  const identity = [
    result.region,
    registryId,
    result.target.repositoryName,
    result.platform ?? '',
    finding.id,
    finding.packageName ?? '',
  ]
  return `${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16)}:1`
}

/** The job summary's note on results the SARIF file left out; '' when none. */
export function sarifOmissionNote(omitted: SarifOmission | undefined): string {
  if (!omitted) return ''
  const counts = SEVERITIES.filter((severity) => omitted.bySeverity[severity])
    .map((severity) => `${omitted.bySeverity[severity]} ${severity}`)
    .join(', ')
  const limit =
    omitted.limit === 'results'
      ? `${SARIF_LIMITS.resultsPerRun.toLocaleString('en-US')} results per run`
      : `${SARIF_LIMITS.gzipBytes / 1_000_000} MB per file, gzip-compressed`
  return [
    '',
    '> [!WARNING]',
    `> The SARIF file leaves out ${omitted.omitted} of ${omitted.total} results, the least severe (${counts}), to stay under code scanning's limit of ${limit}. The findings-file output has every finding.`,
    '',
  ].join('\n')
}

function ruleOf(
  id: string,
  findings: Finding[],
  exploits: (FindingExploits | undefined)[] = [],
): ReportingDescriptor {
  // Never empty: a rule exists because of its findings.
  const worst = mostSevere(findings, 1)[0] as Finding
  const level = LEVELS[worst.severity]
  const packages = [
    ...new Set(
      findings.map(
        (finding) =>
          `${finding.packageName ?? 'unknown package'} ${finding.packageVersion ?? ''}`.trim() +
          `: ${finding.fixedInVersion ? `fixed in ${finding.fixedInVersion}` : 'no fixed version known'}`,
      ),
    ),
  ].slice(0, 50)
  const advisory = httpUrl(worst.uri)
  const summary = worst.title ?? `${id} (${worst.ecrSeverity})`
  const helpLines = [
    `${id}: ${worst.ecrSeverity}${worst.score ? ` (score ${worst.score})` : ''}.`,
    ...(worst.description ? [clip(worst.description, 2000)] : []),
    'Affected packages:',
    ...packages.map((line) => `- ${line}`),
    'Upgrade each package to its fixed version (or later) and rebuild the image.',
    ...(advisory ? [`Advisory: ${advisory}`] : []),
  ]
  const severity = securitySeverity(worst.severity, worst.score)
  return {
    id,
    // Code scanning takes at most 1,024 characters of either description.
    shortDescription: { text: clip(summary, 1024) },
    fullDescription: { text: clip(worst.description ?? summary, 1024) },
    ...(advisory ? { helpUri: advisory } : {}),
    help: { text: helpLines.join('\n'), markdown: helpLines.join('\n\n') },
    defaultConfiguration: { level },
    properties: {
      tags: [
        'security',
        'vulnerability',
        'container',
        ...(findings.some(isExploitable) ? ['exploit-available'] : []),
        ...(exploits.some((found) => found?.kev) ? ['cisa-kev'] : []),
        ...(exploits.some((found) => found?.kev?.knownRansomwareCampaignUse === 'Known')
          ? ['known-ransomware-campaign-use']
          : []),
      ],
      ...(severity ? { 'security-severity': severity } : {}),
    },
  }
}

function resultOf(
  { finding, result, baselineState, exploits }: Entry,
  ruleIndex: number,
  location: string,
): Result {
  const digest = result.image?.imageDigest ?? result.target.imageDigest
  const image = formatImage({ ...result.target, imageDigest: digest })
  const platform = result.platform ? ` (${result.platform})` : ''
  return {
    ruleId: finding.id,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: `${findingLine(finding)} in image ${image}${platform}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: location },
          region: { startLine: 1 },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprintOf(finding, result) },
    // SARIF 2.1.0 §3.27.24, relative to the baseline image of compare-to.
    ...(baselineState ? { baselineState } : {}),
    properties: {
      repositoryName: result.target.repositoryName,
      ...(digest ? { imageDigest: digest } : {}),
      ...(result.target.imageTag ? { imageTag: result.target.imageTag } : {}),
      ...(result.platform ? { platform: result.platform } : {}),
      severity: finding.ecrSeverity,
      ...(finding.packageName ? { packageName: finding.packageName } : {}),
      ...(finding.packageVersion ? { packageVersion: finding.packageVersion } : {}),
      ...(finding.fixedInVersion ? { fixedInVersion: finding.fixedInVersion } : {}),
      ...(exploits?.kev
        ? {
            kev: {
              dateAdded: exploits.kev.dateAdded,
              dueDate: exploits.kev.dueDate,
              knownRansomwareCampaignUse: exploits.kev.knownRansomwareCampaignUse,
            },
          }
        : {}),
      ...(exploits?.epss
        ? { epss: exploits.epss.epss, epssPercentile: exploits.epss.percentile }
        : {}),
    },
  }
}

function httpUrl(uri: string | undefined): string | undefined {
  return uri && /^https?:\/\/\S+$/i.test(uri) && uri.length <= 2000 ? uri : undefined
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value
}

/**
 * The file results point at: the `dockerfile` input; else `Dockerfile` at the repository root
 * when it exists; else the workflow file that runs the action (GITHUB_WORKFLOW_REF); else
 * `Dockerfile`, which code scanning still accepts without showing a line.
 */
export function sarifLocation(
  dockerfile: string | undefined,
  env: Record<string, string | undefined>,
  exists: (path: string) => boolean,
): string {
  if (dockerfile) return dockerfile
  const workspace = env.GITHUB_WORKSPACE
  if (workspace && exists(join(workspace, 'Dockerfile'))) return 'Dockerfile'
  // owner/repo/.github/workflows/ci.yml@refs/heads/main: the ref is a full one, whose branch
  // name may hold an @, as may the file name.
  const repository = env.GITHUB_REPOSITORY
  const ref = env.GITHUB_WORKFLOW_REF
  if (repository && ref?.startsWith(`${repository}/`)) {
    const path = ref.slice(repository.length + 1).replace(/@refs\/.*$/, '')
    if (path) return path
  }
  return 'Dockerfile'
}
