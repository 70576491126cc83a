import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { completedResult, DIGEST, finding } from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/ignore.js'
import { findingsDocument, writeFindingsFile } from '../src/report/findings-file.js'

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

  it('is written as JSON to a new directory under RUNNER_TEMP', () => {
    const temp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
    const first = writeFindingsFile([result], temp)
    const second = writeFindingsFile([result], temp)
    expect(first.startsWith(join(temp, 'ecr-image-scan-'))).toBe(true)
    expect(first).not.toBe(second)
    expect(JSON.parse(readFileSync(first, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(findingsDocument([result]))),
    )
  })
})
