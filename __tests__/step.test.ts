// Several images in one step: aggregate outputs, the one failure line, the summary's budget.
import { describe, expect, it } from '@jest/globals'
import {
  BASELINE_DIGEST,
  comparedResult,
  completedResult,
  DIGEST,
  finding,
  settingsWith,
} from '../__fixtures__/results.js'
import { judge, stepFailure } from '../src/policy.js'
import {
  OUTPUTS_BUDGET_BYTES,
  outputsSize,
  resultsFormNote,
  stepOutputs,
} from '../src/report/outputs.js'
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

  it('aggregates several images: worst status, any quota, any threshold, counts only of all', () => {
    const outputs = stepOutputs([report(clean), report(vulnerable), report(failed)])
    expect(outputs).toMatchObject({
      'scan-status': 'FAILED',
      'scan-status-description': 'UnsupportedImageError',
      'scan-started': 'true',
      'limit-exceeded': 'true',
      'threshold-exceeded': 'true',
      verdict: 'failed',
      repository: 'team/api\nteam/web\nteam/tool',
      'image-tag': 'v1\nv2\nv3',
    })
    // The failed image's findings are unknown: no count speaks for the step.
    for (const name of ['findings-total', 'critical', 'low', 'severity-counts', 'ignored']) {
      expect(outputs).not.toHaveProperty(name)
    }
    expect(stepOutputs([report(clean), report(vulnerable)])).toMatchObject({
      'findings-total': '3',
      critical: '1',
      low: '1',
      undefined: '1',
      'severity-counts': '{"LOW":1,"CRITICAL":1,"UNTRIAGED":1}',
      ignored: '0',
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

describe('stepOutputs with compare-to', () => {
  const exploitable = (id: string) =>
    finding(id, 'HIGH', { packageName: 'openssl', exploitAvailable: 'YES' })
  const kept = finding('CVE-KEPT', 'LOW', { packageName: 'zlib' })
  const gone = finding('CVE-GONE', 'LOW', { packageName: 'curl' })
  const otherBaseline = `sha256:${'e'.repeat(64)}`
  const platform = (name: string, list: Parameters<typeof comparedResult>[0], before = [kept]) =>
    comparedResult(list, before, { platform: name, indexDigest: DIGEST, scanType: 'ENHANCED' })

  it('sums new-findings, fixed-findings and exploitable over the images, and lists each baseline digest once', () => {
    const amd = platform('linux/amd64', [kept, exploitable('CVE-A')], [kept, gone])
    const arm = platform('linux/arm64', [kept, exploitable('CVE-B'), exploitable('CVE-C')])
    const web = comparedResult([exploitable('CVE-W')], [gone], {
      target: { repositoryName: 'team/web', imageTag: 'v2' },
      scanType: 'ENHANCED',
    })
    if (web.baseline) web.baseline = { ...web.baseline, imageDigest: otherBaseline }
    const outputs = stepOutputs([amd, arm, web].map(report))
    expect(outputs).toMatchObject({
      'new-findings': '4',
      'fixed-findings': '2',
      exploitable: '4',
      'baseline-digest': `${BASELINE_DIGEST}\n${otherBaseline}`,
    })
    const results = JSON.parse(outputs.results ?? '') as Record<string, string>[]
    expect(
      results.map((entry) => [entry['new-findings'], entry['fixed-findings'], entry.exploitable]),
    ).toEqual([
      ['1', '1', '1'],
      ['2', '0', '2'],
      ['1', '1', '1'],
    ])
  })

  it('counts new and fixed findings only when every image was compared: a sum of some would read as all', () => {
    const compared = comparedResult([kept, exploitable('CVE-A')], [kept], { scanType: 'ENHANCED' })
    const notCompared = completedResult([exploitable('CVE-B'), exploitable('CVE-C')], {
      target: { repositoryName: 'team/web', imageTag: 'v2' },
      scanType: 'ENHANCED',
      baseline: { label: 'team/web:production', outcome: 'not-scanned', reason: 'no scan' },
    })
    const some = stepOutputs([report(compared), report(notCompared)])
    expect(some).not.toHaveProperty('new-findings')
    expect(some).not.toHaveProperty('fixed-findings')
    expect(some.exploitable).toBe('3')
    const all = stepOutputs([report(compared), report(compared)])
    expect(all).toMatchObject({ 'new-findings': '2', 'fixed-findings': '0' })
    const none = stepOutputs([report(notCompared), report(notCompared)])
    expect(none['new-findings']).toBeUndefined()
    expect(none['fixed-findings']).toBeUndefined()
    expect(none.exploitable).toBe('4')
  })
})

describe("stepOutputs within GitHub's 1 MB of outputs per job", () => {
  const gate = settingsWith({ failOnSeverity: 'CRITICAL' })
  /** Image i of a step: every tenth one has a CRITICAL finding and fails the threshold. */
  const image = (i: number) => {
    const result = completedResult(
      i % 10 === 0
        ? [finding('CVE-1', 'CRITICAL'), finding('CVE-2', 'HIGH')]
        : [finding('CVE-3', 'LOW')],
      {
        target: { repositoryName: `team/service-${i}`, imageTag: `v1.2.${i}` },
        image: {
          registryId: '123456789012',
          repositoryName: `team/service-${i}`,
          imageDigest: `sha256:${i.toString(16).padStart(64, '0')}`,
        },
      },
    )
    return { result, verdict: judge(result, gate) }
  }
  const step = (count: number) => Array.from({ length: count }, (_, i) => image(i))
  const entries = (outputs: Record<string, string | undefined>) =>
    JSON.parse(outputs.results ?? '') as Record<string, string>[]

  it('measures sizes as GitHub does, in UTF-16', () => {
    expect(OUTPUTS_BUDGET_BYTES).toBe(256 * 1024)
    expect(outputsSize({ results: 'ab' })).toBe(2 * 'resultsab'.length)
    expect(outputsSize({ results: 'ü€' })).toBe(2 * 'results'.length + 4)
  })

  it('keeps every field of every image while they fit: 20 images', () => {
    const outputs = stepOutputs(step(20))
    expect(outputs['results-form']).toBe('full')
    expect(entries(outputs)).toHaveLength(20)
    expect(entries(outputs)[3]).toMatchObject({ 'console-url': expect.any(String), low: '1' })
    // About 0.8 KB of JSON an image, 1.6 KB as GitHub counts it.
    expect(outputs.results!.length).toBeGreaterThan(20 * 700)
    expect(outputs.results!.length).toBeLessThan(20 * 1000)
    expect(resultsFormNote(outputs['results-form'])).toBe('')
  })

  it('gives each image fewer fields past the budget', () => {
    const outputs = stepOutputs(step(200))
    expect(outputs['results-form']).toBe('compact')
    expect(outputsSize(outputs)).toBeLessThanOrEqual(OUTPUTS_BUDGET_BYTES)
    const all = entries(outputs)
    expect(all).toHaveLength(200)
    expect(all[0]).toEqual({
      image: 'team/service-0:v1.2.0',
      region: 'us-east-1',
      'scan-status': 'COMPLETE',
      'findings-total': '2',
      critical: '1',
      high: '1',
      'threshold-exceeded': 'true',
      verdict: 'failed',
      failure: expect.stringMatching(/^1 finding at or above CRITICAL/),
    })
    expect(resultsFormNote(outputs['results-form'])).toContain(
      'the file of the findings-file output is the full record',
    )
  })

  it('keeps only the failing images, with sizes asserted, for 1,000 images', () => {
    const outputs = stepOutputs(step(1000))
    expect(outputs['results-form']).toBe('failing')
    expect(outputsSize(outputs)).toBeLessThanOrEqual(OUTPUTS_BUDGET_BYTES)
    const failing = entries(outputs)
    expect(failing).toHaveLength(100)
    expect(failing.every((entry) => entry['threshold-exceeded'] === 'true')).toBe(true)
    expect(failing[1]?.image).toBe('team/service-10:v1.2.10')
    // The aggregates stay; a list of 1,000 digests (144 KB in UTF-16) does not.
    expect(outputs).toMatchObject({ 'findings-total': '1100', critical: '100', low: '900' })
    expect(outputs['image-digest']).toBeUndefined()
    expect(outputs['scan-type']).toBe('BASIC')
  })

  it('keeps the first failing images that fit, for 5,000 images', () => {
    const outputs = stepOutputs(step(5000))
    expect(outputs['results-form']).toBe('failing-truncated')
    const size = outputsSize(outputs)
    expect(size).toBeLessThanOrEqual(OUTPUTS_BUDGET_BYTES)
    expect(size).toBeGreaterThan(OUTPUTS_BUDGET_BYTES * 0.95) // filled, not emptied
    const kept = entries(outputs)
    expect(kept.length).toBeGreaterThan(300)
    expect(kept.length).toBeLessThan(500)
    expect(kept.map((entry) => entry.image).slice(0, 2)).toEqual([
      'team/service-0:v1.2.0',
      'team/service-10:v1.2.10',
    ])
    expect(resultsFormNote(outputs['results-form'])).toMatch(/only the first images that failed/)
  })

  it('stays within a smaller budget too, down to an empty list', () => {
    for (const budget of [100_000, 20_000, 5_000]) {
      const outputs = stepOutputs(step(300), budget)
      expect(outputsSize(outputs)).toBeLessThanOrEqual(budget)
      expect(Array.isArray(entries(outputs))).toBe(true)
    }
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

  const failing = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      result: completedResult([], {
        target: { repositoryName: 'team/app', imageTag: `v${i + 1}` },
      }),
      verdict: { failure: `Failure ${i + 1}.`, warnings: [], notes: [] },
    }))

  it('lists every failed image when five failed, with no count of more', () => {
    expect(stepFailure([report(clean), ...failing(5)])).toBe(
      '5 of 6 images failed. team/app:v1: Failure 1. | team/app:v2: Failure 2. | team/app:v3: Failure 3. | team/app:v4: Failure 4. | team/app:v5: Failure 5.',
    )
  })

  it('lists the first five failed images and counts the rest when more failed', () => {
    expect(stepFailure([report(clean), ...failing(7)])).toBe(
      '7 of 8 images failed. team/app:v1: Failure 1. | team/app:v2: Failure 2. | team/app:v3: Failure 3. | team/app:v4: Failure 4. | team/app:v5: Failure 5. … and 2 more; the job summary lists them.',
    )
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

  it('shows a step where every image passed as ✅, with no caution and no New column', () => {
    const other = completedResult([], {
      target: { repositoryName: 'team/web', imageTag: 'v2' },
      scanStatus: undefined,
      scanStatusDescription: undefined,
      findings: undefined,
    })
    const reports = [report(clean), report(other)]
    const summary = renderStepSummary(reports, stepFailure(reports))
    expect(summary.split('\n')[0]).toBe('## ✅ ECR image scan: 2 images')
    expect(summary).not.toContain('[!CAUTION]')
    expect(summary).toContain(
      '<tr><th>Image</th><th>Status</th><th>🟥</th><th>🟧</th><th>🟨</th><th>🟦</th><th>⬜</th><th>⬜</th><th>Verdict</th></tr>',
    )
    expect(summary).toContain(
      '<tr><td><code>team/web:v2</code></td><td>unknown</td><td align="right"></td>',
    )
    expect(summary).toContain(
      '<tr><td><code>team/api:v1</code></td><td>COMPLETE</td><td align="right">0</td><td align="right">0</td><td align="right">0</td><td align="right">1</td><td align="right">0</td><td align="right">0</td><td>✅ passed</td></tr>',
    )
  })

  it('shows a step with a warning and no failure as ⚠️, the image marked as a warning', () => {
    const reused = completedResult([], {
      target: { repositoryName: 'team/web', imageTag: 'v2' },
      scanStarted: false,
      limitExceeded: true,
    })
    const reports = [report(clean), report(reused)]
    const summary = renderStepSummary(reports, stepFailure(reports))
    expect(summary.split('\n')[0]).toBe('## ⚠️ ECR image scan: 2 images')
    expect(summary).toMatch(/<td><code>team\/web:v2<\/code><\/td>.*<td>⚠️ warning<\/td><\/tr>/)
    expect(summary).toMatch(/<td><code>team\/api:v1<\/code><\/td>.*<td>✅ passed<\/td><\/tr>/)
  })

  it('lists at most MAX_OVERVIEW_ROWS images in the overview, and counts one more', () => {
    const images = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        report(completedResult([], { target: { repositoryName: 'team/api', imageTag: `v${i}` } })),
      )
    const overviewRows = (summary: string) =>
      summary.slice(0, summary.indexOf('</table>')).match(/<tr><td><code>/g)?.length
    const over = renderStepSummary(images(MAX_OVERVIEW_ROWS + 1), undefined)
    expect(overviewRows(over)).toBe(MAX_OVERVIEW_ROWS)
    expect(over).toContain('</table>\n\nThe `results` output has 1 more image.\n\n### ✅')
    const exact = renderStepSummary(images(MAX_OVERVIEW_ROWS), undefined)
    expect(overviewRows(exact)).toBe(MAX_OVERVIEW_ROWS)
    expect(exact).not.toContain('more image')
  })

  it('has no New column without compare-to', () => {
    const summary = renderStepSummary([report(clean), report(vulnerable)], undefined)
    expect(summary).not.toContain('<th>New</th>')
  })

  it('with compare-to, counts what each image adds to its baseline, blank where none was read', () => {
    const added = comparedResult(
      [finding('CVE-1', 'HIGH'), finding('CVE-2', 'LOW'), finding('CVE-3', 'LOW')],
      [finding('CVE-1', 'HIGH')],
    )
    const summary = renderStepSummary([report(added), report(failed)], undefined)
    const rows = summary.split('\n').filter((line) => line.startsWith('<tr>'))
    expect(rows[0]).toMatch(/<th>New<\/th><th>Verdict<\/th><\/tr>$/)
    expect(rows[1]).toMatch(/<td align="right">2<\/td><td>[^<]+<\/td><\/tr>$/)
    expect(rows[2]).toMatch(/<td align="right"><\/td><td>[^<]+<\/td><\/tr>$/)
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
    expect(summary).toContain(`The \`results\` output has ${1000 - MAX_OVERVIEW_ROWS} more images.`)
    expect(summary).toMatch(/The details of \d+ images are left out/)
  })
})
