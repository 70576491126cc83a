// Several images in one step: aggregate outputs, the one failure line, the summary's budget.
import { describe, expect, it } from '@jest/globals'
import { completedResult, DIGEST, finding, settingsWith } from '../__fixtures__/results.js'
import { judge, stepFailure } from '../src/policy.js'
import { stepOutputs } from '../src/report/outputs.js'
import {
  MAX_OVERVIEW_ROWS,
  renderStepSummary,
  SUMMARY_BUDGET_BYTES,
} from '../src/report/summary.js'
import type { ScanResult } from '../src/model.js'

const settings = settingsWith({ failOnSeverity: 'HIGH' })
const report = (result: ScanResult) => ({ result, verdict: judge(result, settings) })

const clean = completedResult([finding('CVE-L', 'LOW')])
const vulnerable = completedResult([finding('CVE-C', 'CRITICAL'), finding('CVE-U', 'UNTRIAGED')], {
  target: { repositoryName: 'team/web', imageTag: 'v2' },
  image: {
    registryId: '123456789012',
    repositoryName: 'team/web',
    imageDigest: `sha256:${'f'.repeat(64)}`,
  },
  limitExceeded: true,
  scanStarted: false,
})
const failed = completedResult([], {
  target: { repositoryName: 'team/tool', imageTag: 'v3' },
  findings: undefined,
  scanStatus: 'FAILED',
  scanStatusDescription: 'UnsupportedImageError',
})

describe('stepOutputs', () => {
  it('gives one image its own outputs plus a one-entry results array', () => {
    const outputs = stepOutputs([report(clean)])
    expect(outputs['image-digest']).toBe(DIGEST)
    expect(outputs['console-url']).toContain(DIGEST)
    expect(JSON.parse(outputs.results ?? '')).toEqual([
      expect.objectContaining({
        image: 'team/api:v1',
        region: 'us-east-1',
        'scan-status': 'COMPLETE',
        low: '1',
      }),
    ])
  })

  it('aggregates several images: summed counts, worst status, any quota, any threshold', () => {
    const outputs = stepOutputs([report(clean), report(vulnerable), report(failed)])
    expect(outputs).toMatchObject({
      'scan-status': 'FAILED',
      'scan-status-description': 'UnsupportedImageError',
      'scan-started': 'true',
      'limit-exceeded': 'true',
      'threshold-exceeded': 'true',
      'findings-total': '3',
      critical: '1',
      low: '1',
      undefined: '1',
      'severity-counts': '{"LOW":1,"CRITICAL":1,"UNTRIAGED":1}',
      repository: 'team/api\nteam/web\nteam/tool',
      'image-tag': 'v1\nv2\nv3',
    })
    expect(outputs['console-url']).toBeUndefined()
    const results = JSON.parse(outputs.results ?? '') as Record<string, string>[]
    expect(results.map((entry) => entry.image)).toEqual([
      'team/api:v1',
      'team/web:v2',
      'team/tool:v3',
    ])
    expect(results[1]).toMatchObject({
      critical: '1',
      'limit-exceeded': 'true',
      'threshold-exceeded': 'true',
    })
    expect(results[2]?.failure).toContain('ended FAILED')
  })

  it('keeps the index digest as image-digest for the platforms of one index', () => {
    const platform = (name: string, digest: string) =>
      completedResult([], {
        platform: name,
        indexDigest: DIGEST,
        image: { registryId: '123456789012', repositoryName: 'team/api', imageDigest: digest },
      })
    const outputs = stepOutputs([
      report(platform('linux/amd64', `sha256:${'1'.repeat(64)}`)),
      report(platform('linux/arm64', `sha256:${'2'.repeat(64)}`)),
    ])
    expect(outputs['image-digest']).toBe(DIGEST)
    const results = JSON.parse(outputs.results ?? '') as Record<string, string>[]
    expect(
      results.map((entry) => [entry.platform, entry['index-digest'], entry['image-digest']]),
    ).toEqual([
      ['linux/amd64', DIGEST, `sha256:${'1'.repeat(64)}`],
      ['linux/arm64', DIGEST, `sha256:${'2'.repeat(64)}`],
    ])
  })
})

describe('stepFailure', () => {
  it('is the image’s own line for one image', () => {
    expect(stepFailure([report(vulnerable)])).toMatch(/^1 finding at or above HIGH in team\/web:v2/)
  })

  it('counts and lists the failed images on one line', () => {
    const line = stepFailure([report(clean), report(vulnerable), report(failed)])
    expect(line).toMatch(
      /^2 of 3 images failed\. team\/web:v2: 1 finding .* \| team\/tool:v3: The scan of team\/tool:v3 ended FAILED/,
    )
    expect(line).not.toContain('\n')
  })

  it('passes when no image failed', () => {
    expect(stepFailure([report(clean), report(clean)])).toBeUndefined()
  })
})

describe('renderStepSummary', () => {
  it('shows an overview row per image and each image’s section', () => {
    const reports = [report(clean), report(vulnerable)]
    const summary = renderStepSummary(reports, stepFailure(reports))
    expect(summary).toContain('## ❌ ECR image scan: 2 images')
    expect(summary).toContain('<tr><td><code>team/web:v2</code></td><td>COMPLETE</td>')
    expect(summary).toContain('### ❌ ECR image scan: <code>team/web:v2</code>')
    expect(summary).toContain('### ✅ ECR image scan: <code>team/api:v1</code>')
  })

  it('stays under the budget with 1,000 images, saying what it left out', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      report(
        completedResult(
          Array.from({ length: 60 }, (_, j) =>
            finding(`CVE-${i}-${j}`, 'HIGH', { packageName: 'p'.repeat(100) }),
          ),
          { target: { repositoryName: 'team/api', imageTag: `v${i}` } },
        ),
      ),
    )
    const summary = renderStepSummary(many, stepFailure(many))
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES)
    expect(summary).toContain(
      `${1000 - MAX_OVERVIEW_ROWS} more images are in the \`results\` output`,
    )
    expect(summary).toMatch(/The details of \d+ images are left out/)
  })
})
