import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BASELINE_DIGEST,
  comparedResult,
  completedResult,
  DIGEST,
  finding,
  reportsOf,
} from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/facts/ignore.js'
import type { ScanResult } from '../src/kernel/model.js'
import {
  findingsDocument as findingsDocumentOf,
  findingsFileText,
  writeFindingsFile,
} from '../src/report/findings-file.js'

/** The findings document of `results`, their reports made as the step makes them. */
const findingsDocument = (results: ScanResult[]) => findingsDocumentOf(reportsOf(results))

describe('the findings file', () => {
  const result = applyIgnoreRules(
    completedResult([
      finding('CVE-1', 'HIGH', { packageName: 'zlib', fixAvailable: 'YES', fixedInVersion: '2' }),
      finding('CVE-2', 'LOW'),
    ]),
    [{ id: 'CVE-2', reason: 'dev only', source: 'f.yml entry 1' }],
  )

  it('holds every normalised finding of every image, the ignored ones with their rule', () => {
    const failed = completedResult([], { findings: undefined, scanStatus: 'FAILED' })
    const document = findingsDocument([result, failed])
    expect(document.version).toBe(1)
    expect(document.images[0]).toMatchObject({
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageTag: 'v1',
      imageDigest: DIGEST,
      scanStatus: 'COMPLETE',
      rawSeverityCounts: { HIGH: 1, LOW: 1 },
      severityCounts: { HIGH: 1, LOW: 0 },
      findings: [{ id: 'CVE-1', packageName: 'zlib', fixedInVersion: '2', fixable: true }],
      ignored: [
        {
          id: 'CVE-2',
          fixable: false,
          ignoredBy: { id: 'CVE-2', reason: 'dev only', source: 'f.yml entry 1' },
        },
      ],
    })
    expect(document.images[1]).toMatchObject({ scanStatus: 'FAILED', findings: [], ignored: [] })
  })

  it('tells the platforms of a multi-arch image apart', () => {
    const arm = completedResult([], { platform: 'linux/arm64', indexDigest: BASELINE_DIGEST })
    expect(findingsDocument([arm]).images[0]).toMatchObject({
      imageDigest: DIGEST,
      platform: 'linux/arm64',
      indexDigest: BASELINE_DIGEST,
    })
  })

  it('with compare-to, marks each finding new or unchanged and lists what the push fixed', () => {
    const kept = finding('CVE-1', 'HIGH', { packageName: 'zlib' })
    const fixed = finding('CVE-9', 'LOW', { packageName: 'curl' })
    const compared = comparedResult(
      [finding('CVE-1', 'HIGH', { packageName: 'zlib' }), finding('CVE-7', 'CRITICAL')],
      [kept, fixed],
    )
    const [image] = findingsDocument([compared]).images
    expect(image?.findings.map(({ id, baselineState }) => [id, baselineState])).toEqual([
      ['CVE-1', 'unchanged'],
      ['CVE-7', 'new'],
    ])
    expect(image?.baseline).toEqual({
      label: 'team/api:production',
      imageDigest: BASELINE_DIGEST,
      outcome: 'compared',
      fixed: [fixed],
    })
  })

  it('says why a baseline was not compared, and then marks no finding', () => {
    const missing = completedResult([finding('CVE-1', 'HIGH')], {
      baseline: { label: 'team/api:production', outcome: 'missing', reason: 'no such tag' },
    })
    const [image] = findingsDocument([missing]).images
    expect(image?.baseline).toEqual({
      label: 'team/api:production',
      outcome: 'missing',
      reason: 'no such tag',
    })
    expect(image?.findings[0]).not.toHaveProperty('baselineState')
    expect(findingsDocument([result]).images[0]?.baseline).toBeUndefined()
  })

  it('is written as JSON to a new directory under RUNNER_TEMP', () => {
    const temp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
    const first = writeFindingsFile(findingsFileText(reportsOf([result])), temp)
    const second = writeFindingsFile(findingsFileText(reportsOf([result])), temp)
    expect(first.startsWith(join(temp, 'ecr-image-scan-'))).toBe(true)
    expect(first).not.toBe(second)
    expect(JSON.parse(readFileSync(first, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(findingsDocument([result]))),
    )
  })
})
