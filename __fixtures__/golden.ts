// What the golden-file tests share: comparing rendered Markdown with a file under __fixtures__/,
// and reading a real DescribeImageScanFindings answer the way the scan does.
import { expect } from '@jest/globals'
import type {
  DescribeImageScanFindingsResponse,
  EnhancedImageScanFinding,
  ImageScanFinding,
} from '@aws-sdk/client-ecr'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { realAnswer } from './realdata.js'
import { reportOf, settingsWith, unresolvedResult, type FlatSettings } from './results.js'
import { explainAwsError } from '../src/ecr/errors.js'
import { fromBasicFinding, fromEnhancedFinding } from '../src/ecr/findings.js'
import {
  countSeverities,
  type Finding,
  type ImageReport,
  type ScanResult,
} from '../src/kernel/model.js'

/**
 * A check that rendered Markdown equals the golden file `name` in `__fixtures__/<dir>/`, or,
 * with UPDATE_GOLDEN=1, rewrites that file.
 */
export function goldenFiles(dir: string): (markdown: string, name: string) => void {
  const base = fileURLToPath(new URL(`./${dir}/`, import.meta.url))
  return (markdown, name) => {
    const path = `${base}${name}`
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, markdown)
    expect(markdown).toBe(readFileSync(path, 'utf8'))
  }
}

/** A real DescribeImageScanFindings answer as the scan reads it: findings, counts, completion. */
export function readAnswer(
  path: string,
): Pick<ScanResult, 'findings' | 'scanStatus' | 'scanStatusDescription'> {
  const answer = realAnswer<DescribeImageScanFindingsResponse>(path)
  const scan = answer.imageScanFindings ?? {}
  const list: Finding[] = [
    ...(scan.findings ?? []).map((f: ImageScanFinding) => fromBasicFinding(f)),
    ...(scan.enhancedFindings ?? []).map((f: EnhancedImageScanFinding) => fromEnhancedFinding(f)),
  ]
  const rawSeverityCounts = scan.findingSeverityCounts ?? {}
  return {
    scanStatus: answer.imageScanStatus?.status,
    scanStatusDescription: answer.imageScanStatus?.description,
    findings: {
      rawSeverityCounts,
      severityCounts: countSeverities(rawSeverityCounts),
      list,
      unread: 0,
      imageScanCompletedAt: scan.imageScanCompletedAt,
    },
  }
}

/** The result's report (facts and verdict) under `settings`. */
export const judged = (result: ScanResult, settings: Partial<FlatSettings> = {}): ImageReport =>
  reportOf(result, settingsWith(settings))

/** The report of `210987654321/team/api:v1`, a tag ECR says is not in the repository. */
export function notFoundReport(): ImageReport {
  const result = unresolvedResult({
    target: { registryId: '210987654321', repositoryName: 'team/api', imageTag: 'v1' },
  })
  // ECR's own answer for a tag that is not in the repository, as scan-image explains it.
  const notFound = Object.assign(
    new Error(
      "The image with imageId {imageDigest:'null', imageTag:'v1'} does not exist within the repository with name 'team/api' in the registry with id '210987654321'",
    ),
    { name: 'ImageNotFoundException' },
  )
  const error = explainAwsError(notFound, {
    image: 'team/api:v1',
    repositoryName: 'team/api',
    registryId: '210987654321',
    region: 'us-east-1',
  })
  return reportOf(result, settingsWith(), error)
}
