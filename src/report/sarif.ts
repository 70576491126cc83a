// SARIF 2.1.0 for GitHub code scanning: a pure renderer of scan results. One rule per
// vulnerability ID (the ID itself, so alerts stay put across runs), one result per finding,
// located at a file of the repository because code scanning shows nothing without one.

import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Log, ReportingDescriptor, Result } from 'sarif'
import { formatImage } from '../image-ref.js'
import type { Finding, ScanResult, Severity } from '../model.js'
import { plainLine } from '../text.js'
import { ACTION_NAME, ACTION_VERSION } from '../version.js'
import { mostSevere } from './summary.js'

export interface SarifOptions {
  /** Repository-relative path every result points at (see sarifLocation). */
  location: string
  /** Where the tool is documented, e.g. the action's repository page. */
  informationUri?: string
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

export function toSarif(results: ScanResult[], options: SarifOptions): Log {
  const read = results.filter((result) => result.findings)
  const byId = new Map<string, { finding: Finding; result: ScanResult }[]>()
  for (const result of read) {
    for (const finding of result.findings?.list ?? []) {
      const entries = byId.get(finding.id) ?? []
      entries.push({ finding, result })
      byId.set(finding.id, entries)
    }
  }
  const ids = [...byId.keys()].sort()
  const rules = ids.map((id) =>
    ruleOf(
      id,
      (byId.get(id) ?? []).map((entry) => entry.finding),
    ),
  )
  const sarifResults: Result[] = ids.flatMap((id, ruleIndex) =>
    (byId.get(id) ?? []).map(({ finding, result }) =>
      resultOf(finding, result, ruleIndex, options.location),
    ),
  )
  const unread = results.filter((result) => !result.findings)
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
        invocations: [
          {
            executionSuccessful: unread.length === 0,
            toolExecutionNotifications: unread.map((result) => ({
              level: 'error' as const,
              message: {
                text: `The findings of ${formatImage(result.target)} could not be read (scan status ${result.scanStatus ?? 'unknown'}); they are missing from this file.`,
              },
            })),
          },
        ],
        results: sarifResults,
      },
    ],
  }
}

function ruleOf(id: string, findings: Finding[]): ReportingDescriptor {
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
    shortDescription: { text: clip(summary, 1000) },
    fullDescription: { text: clip(worst.description ?? summary, 4000) },
    ...(advisory ? { helpUri: advisory } : {}),
    help: { text: helpLines.join('\n'), markdown: helpLines.join('\n\n') },
    defaultConfiguration: { level },
    properties: {
      tags: ['security', 'vulnerability', 'container'],
      ...(severity ? { 'security-severity': severity } : {}),
    },
  }
}

function resultOf(
  finding: Finding,
  result: ScanResult,
  ruleIndex: number,
  location: string,
): Result {
  const digest = result.image?.imageDigest ?? result.target.imageDigest
  const image = formatImage({ ...result.target, imageDigest: digest })
  const registryId = result.image?.registryId || result.target.registryId || ''
  return {
    ruleId: finding.id,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: `${findingLine(finding)} in image ${image}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: location },
          region: { startLine: 1 },
        },
      },
    ],
    // Every result sits on the same line, so GitHub's line hash cannot tell them apart: the
    // repository, vulnerability and package can. The digest is left out so an alert stays the
    // same alert when the next build still has the vulnerability.
    partialFingerprints: {
      'ecrImageScanFinding/v1': createHash('sha256')
        .update(
          [registryId, result.target.repositoryName, finding.id, finding.packageName ?? ''].join(
            '\n',
          ),
        )
        .digest('hex'),
    },
    properties: {
      repositoryName: result.target.repositoryName,
      ...(digest ? { imageDigest: digest } : {}),
      ...(result.target.imageTag ? { imageTag: result.target.imageTag } : {}),
      severity: finding.ecrSeverity,
      ...(finding.packageName ? { packageName: finding.packageName } : {}),
      ...(finding.packageVersion ? { packageVersion: finding.packageVersion } : {}),
      ...(finding.fixedInVersion ? { fixedInVersion: finding.fixedInVersion } : {}),
    },
  }
}

/** "CVE-1 (HIGH) in openssl 3.0.1, fixed in 3.0.2": one line, shared with the annotations. */
export function findingLine(finding: Finding): string {
  const where = finding.packageName
    ? ` in ${finding.packageName}${finding.packageVersion ? ` ${finding.packageVersion}` : ''}`
    : ''
  const fix = finding.fixedInVersion
    ? `, fixed in ${finding.fixedInVersion}`
    : finding.fixAvailable === 'NO'
      ? ', no fix available'
      : ', fixed version not known'
  return plainLine(`${finding.id} (${finding.ecrSeverity})${where}${fix}`)
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
  // owner/repo/.github/workflows/ci.yml@refs/heads/main
  const repository = env.GITHUB_REPOSITORY
  const ref = env.GITHUB_WORKFLOW_REF
  if (repository && ref?.startsWith(`${repository}/`)) {
    const path = ref.slice(repository.length + 1).replace(/@[^@]*$/, '')
    if (path) return path
  }
  return 'Dockerfile'
}
