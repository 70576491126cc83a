// Every normalised finding as JSON, in a file: outputs are capped at 1 MB and the summary at
// 1 MiB, a file is not. Later steps read it through the findings-file output.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isFixable, type Finding, type ScanResult } from '../model.js'

/** Bumped when a field changes meaning or goes away; new fields may appear at any time. */
const FINDINGS_FILE_VERSION = 1

export interface FindingsFileImage {
  registryId?: string
  repositoryName: string
  imageTag?: string
  imageDigest?: string
  region: string
  scanType?: string
  scanStatus?: string
  /** ECR's findingSeverityCounts, as sent (they count every finding). */
  rawSeverityCounts?: Record<string, number>
  /** Per severity, after ignore rules. */
  severityCounts?: Record<string, number>
  /** Findings counted by ECR whose pages could not be read. */
  unread?: number
  findings: (Finding & { fixable: boolean })[]
  ignored: (Finding & {
    fixable: boolean
    ignoredBy: { id: string; reason?: string; expires?: string; package?: string; source: string }
  })[]
}

export interface FindingsFile {
  version: number
  images: FindingsFileImage[]
}

export function findingsDocument(results: ScanResult[]): FindingsFile {
  const withFixable = (finding: Finding) => ({ ...finding, fixable: isFixable(finding) })
  return {
    version: FINDINGS_FILE_VERSION,
    images: results.map((result) => ({
      registryId: result.image?.registryId || result.target.registryId,
      repositoryName: result.target.repositoryName,
      imageTag: result.target.imageTag,
      imageDigest: result.image?.imageDigest ?? result.target.imageDigest,
      region: result.region,
      scanType: result.scanType,
      scanStatus: result.scanStatus,
      rawSeverityCounts: result.findings?.rawSeverityCounts,
      severityCounts: result.findings?.severityCounts,
      unread: result.findings?.unread,
      findings: (result.findings?.list ?? []).map(withFixable),
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
    })),
  }
}

/**
 * Writes the document to a new directory under `dir` (RUNNER_TEMP on a runner), so two steps of
 * one job never overwrite each other's file; returns its path.
 */
export function writeFindingsFile(results: ScanResult[], dir: string | undefined): string {
  const base = dir || tmpdir()
  mkdirSync(base, { recursive: true })
  const path = join(mkdtempSync(join(base, 'ecr-image-scan-')), 'findings.json')
  writeFileSync(path, `${JSON.stringify(findingsDocument(results), null, 2)}\n`)
  return path
}
