// Every normalised finding as JSON, in a file: outputs are capped at 1 MB and the summary at
// 1 MiB, a file is not. Later steps read it through the findings-file output.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  isFixable,
  type Baseline,
  type ExploitSourceStatus,
  type Finding,
  type ImageReport,
} from '../kernel/model.js'
import { mostSevere } from '../facts/order.js'
import { exploitDetail, type ExploitEntry } from './outputs.js'

/** Bumped when a field changes meaning or goes away; new fields may appear at any time. */
const FINDINGS_FILE_VERSION = 1

export interface FindingsFileImage {
  registryId?: string
  repositoryName: string
  imageTag?: string
  imageDigest?: string
  region: string
  /** One platform of a multi-arch index: `os/arch[/variant]`, and the index's digest. */
  platform?: string
  indexDigest?: string
  scanType?: string
  scanStatus?: string
  /** ECR's findingSeverityCounts, as sent (they count every finding). */
  rawSeverityCounts?: Record<string, number>
  /** Per severity, after ignore rules. */
  severityCounts?: Record<string, number>
  /** Findings counted by ECR whose pages could not be read. */
  unread?: number
  /**
   * compare-to: the baseline as read and, when compared, the findings this image no longer has;
   * each finding then says whether the baseline has it (`baselineState`, as in SARIF).
   */
  baseline?: Pick<Baseline, 'label' | 'imageDigest' | 'outcome' | 'reason'> & { fixed?: Finding[] }
  /** What was read of CISA KEV and EPSS for the step; unset with exploit-sources: none. */
  exploitSources?: { kev: ExploitSourceStatus; epss: ExploitSourceStatus }
  /** Riskiest first (KEV, then EPSS, then severity) when exploit sources were asked, else ECR's order. */
  findings: (Finding & {
    fixable: boolean
    baselineState?: 'new' | 'unchanged'
    /** The finding's CVEs, KEV entry and EPSS score (an empty `cves`: not covered). */
    exploits?: Omit<ExploitEntry, 'id' | 'package'>
  })[]
  ignored: (Finding & {
    fixable: boolean
    ignoredBy: { id: string; reason?: string; expires?: string; package?: string; source: string }
  })[]
  /** vex: findings VEX statements suppressed, each with the statement; absent without vex. */
  suppressed?: (Finding & { fixable: boolean; suppressedBy: VexStatementEntry })[]
}

/** A VEX statement as the findings file names it. */
export interface VexStatementEntry {
  vulnerability: string
  status: string
  justification?: string
  impactStatement?: string
  document: string
  place: string
}

export interface FindingsFile {
  version: number
  images: FindingsFileImage[]
}

export function findingsDocument(reports: ImageReport[]): FindingsFile {
  return { version: FINDINGS_FILE_VERSION, images: reports.map(imageEntry) }
}

function imageEntry({ result, facts }: ImageReport): FindingsFileImage {
  const withFixable = (finding: Finding) => ({ ...finding, fixable: isFixable(finding) })
  const comparison = facts.comparison
  const added = new Set(comparison?.added)
  const baselineState = (finding: Finding) =>
    comparison
      ? { baselineState: added.has(finding) ? ('new' as const) : ('unchanged' as const) }
      : {}
  const baseline = result.baseline
  const exploits = facts.exploits
  const list = result.findings?.list ?? []
  const of = exploits && ((finding: Finding) => exploits.byFinding.get(finding))
  const listed = of ? mostSevere(list, list.length, of) : list
  const exploitsOf = (finding: Finding) => (of ? { exploits: exploitDetail(of(finding)) } : {})
  return {
    registryId: result.image?.registryId || result.target.registryId,
    repositoryName: result.target.repositoryName,
    imageTag: result.target.imageTag,
    imageDigest: result.image?.imageDigest ?? result.target.imageDigest,
    region: result.region,
    platform: result.platform,
    indexDigest: result.indexDigest,
    scanType: result.scanType,
    scanStatus: result.scanStatus,
    rawSeverityCounts: result.findings?.rawSeverityCounts,
    severityCounts: result.findings?.severityCounts,
    unread: result.findings?.unread,
    baseline: baseline && {
      label: baseline.label,
      imageDigest: baseline.imageDigest,
      outcome: baseline.outcome,
      reason: baseline.reason,
      fixed: comparison?.fixed,
    },
    ...(exploits ? { exploitSources: { kev: exploits.kev, epss: exploits.epss } } : {}),
    findings: listed.map((finding) => ({
      ...withFixable(finding),
      ...baselineState(finding),
      ...exploitsOf(finding),
    })),
    ignored: (result.findings?.ignored ?? []).map(({ finding, rule }) => ({
      ...withFixable(finding),
      ignoredBy: {
        id: rule.id,
        reason: rule.reason,
        expires: rule.expires,
        package: rule.package,
        source: rule.source,
      },
    })),
    ...(facts.vex && {
      suppressed: facts.vex.suppressed.map(({ finding, statement }) => ({
        ...withFixable(finding),
        suppressedBy: {
          vulnerability: statement.vulnerability,
          status: statement.status,
          justification: statement.justification,
          impactStatement: statement.impactStatement,
          document: statement.document,
          place: statement.place,
        },
      })),
    }),
  }
}

/**
 * Writes `text` (the findings document) to a new directory under `dir` (RUNNER_TEMP on a runner),
 * so two steps of one job never overwrite each other's file; returns its path. Throws what the
 * file system throws.
 */
export function writeFindingsFile(text: string, dir: string | undefined): string {
  const base = dir || tmpdir()
  mkdirSync(base, { recursive: true })
  const path = join(mkdtempSync(join(base, 'ecr-image-scan-')), 'findings.json')
  writeFileSync(path, text)
  return path
}

/** The findings document as the file holds it: indented JSON, one trailing newline. */
export function findingsFileText(reports: ImageReport[]): string {
  return `${JSON.stringify(findingsDocument(reports), null, 2)}\n`
}
