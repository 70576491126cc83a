// What a person reads after a pattern step: images ranked worst first with their counts, the
// vulnerabilities in the most images, each image folded, the totals; 1,000 images of real
// findings within GitHub's 1 MiB; a warning every image gives said once.
import { describe, expect, it } from '@jest/globals'
import { completedResult, finding, reportOf, settingsWith } from '../__fixtures__/results.js'
import { readAnswer } from '../__fixtures__/golden.js'
import { realExploitData } from '../__fixtures__/exploits.js'
import type { ImageReport, ScanResult } from '../src/kernel/model.js'
import { mostWidespread, riskMarks, worstFirst } from '../src/facts/rank.js'
import { renderWatchSummary } from '../src/report/watch-summary.js'
import { stepReport, type StepContext } from '../src/report/step-report.js'
import { stepOutputs, outputsSize } from '../src/report/outputs.js'
import { MAX_SUMMARY_BYTES } from '../src/report/summary.js'
import { stepFailure } from '../src/verdict/step.js'

function image(repositoryName: string, extra: Partial<ScanResult>): ScanResult {
  const base = completedResult([])
  return {
    ...base,
    target: { repositoryName, imageTag: 'production' },
    image: { ...base.image!, repositoryName, imageTag: 'production' },
    ...extra,
  }
}

function withFindings(repositoryName: string, list: ReturnType<typeof finding>[]): ScanResult {
  const { findings } = completedResult(list)
  return image(repositoryName, { findings })
}

const quiet = withFindings('team/quiet', [finding('CVE-2024-0003', 'LOW')])
const loud = withFindings('team/loud', [
  finding('CVE-2024-0001', 'CRITICAL'),
  finding('CVE-2024-0003', 'LOW'),
])
const exploited = withFindings('team/exploited', [
  finding('CVE-2024-0002', 'HIGH', { exploitAvailable: 'YES' }),
  finding('CVE-2024-0003', 'MEDIUM'),
])
const clean = withFindings('team/clean', [])
const reports = [quiet, clean, loud, exploited].map((result) => reportOf(result))

describe('rank', () => {
  it('orders images by exploitable findings, then by severity, ties kept in order', () => {
    const order = worstFirst(reports).map((report) => report.result.target.repositoryName)
    expect(order).toEqual(['team/exploited', 'team/loud', 'team/quiet', 'team/clean'])
  })

  it('puts an image whose verdict failed first', () => {
    const failing = reportOf(clean, settingsWith(), new Error('denied'))
    const order = worstFirst([...reports, failing]).map(({ result, verdict }) =>
      verdict.failure ? 'failed' : result.target.repositoryName,
    )
    expect(order[0]).toBe('failed')
  })

  it('gives each image its marks', () => {
    expect(riskMarks(reports[3] as ImageReport)).toEqual({
      counts: { CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 },
      exploitable: 1,
    })
  })

  it('finds the vulnerabilities in the most images, at their worst rating', () => {
    expect(mostWidespread(reports, 2)).toEqual([
      { id: 'CVE-2024-0003', severity: 'MEDIUM', exploitable: false, images: [0, 2, 3] },
      { id: 'CVE-2024-0001', severity: 'CRITICAL', exploitable: false, images: [2] },
    ])
  })
})

describe('rank with CISA KEV and EPSS', () => {
  // Real samples: CVE-2025-48384 is in the KEV subset; CVE-2021-40438 has EPSS 0.972240000.
  const inKev = withFindings('team/kev', [finding('CVE-2025-48384', 'MEDIUM')])
  const likely = withFindings('team/likely', [finding('CVE-2021-40438', 'LOW')])
  const withSources = [quiet, clean, loud, exploited, likely, inKev].map((result) =>
    reportOf(result, settingsWith(), undefined, realExploitData()),
  )

  it('puts KEV first, then the highest EPSS score, then exploitable findings and severity', () => {
    const order = worstFirst(withSources).map((report) => report.result.target.repositoryName)
    expect(order).toEqual([
      'team/kev',
      'team/likely',
      'team/exploited',
      'team/loud',
      'team/quiet',
      'team/clean',
    ])
  })

  it('marks each image with its KEV count and highest EPSS score', () => {
    const marks = withSources.map(riskMarks)
    expect(marks[5]).toMatchObject({ kev: 1 })
    expect(marks[4]).toMatchObject({ kev: 0, epssMax: 0.97224 })
    expect(marks[1]?.epssMax).toBeUndefined()
    expect(riskMarks(reports[0] as ImageReport).kev).toBeUndefined()
  })

  it('shows KEV and EPSS columns only when the sources were read', () => {
    const shown = renderWatchSummary(withSources, undefined, 'team/*')
    expect(shown).toContain('<th>🔥 KEV</th><th>EPSS max</th>')
    expect(shown).toMatch(
      /<code>team\/likely:production<\/code><\/td><td>COMPLETE<\/td><td align="right">0<\/td><td align="right">0.97224<\/td>/,
    )
    expect(renderWatchSummary(reports, undefined, 'team/*')).not.toContain('KEV')
  })
})

describe('renderWatchSummary', () => {
  const summary = renderWatchSummary(reports, undefined, 'team/*')

  it('heads with the pattern and the totals', () => {
    expect(summary).toMatch(/^## ✅ ECR image scan: 4 images in repositories matching `team\/\*`\n/)
    // 4 images, none failed or warned, 3 with findings; 1 CRITICAL, 1 HIGH, 1 MEDIUM, 2 LOW.
    expect(summary).toContain(
      '<tr><td align="right">4</td><td align="right">0</td><td align="right">0</td><td align="right">4</td><td align="right">3</td><td align="right">1</td><td align="right">1</td><td align="right">1</td><td align="right">2</td><td align="right">0</td><td align="right">0</td></tr>',
    )
  })

  it('ranks the images worst first, with their counts', () => {
    const table = summary.slice(
      summary.indexOf('### Images, worst first'),
      summary.indexOf('### Vulnerabilities'),
    )
    const ranked = [...table.matchAll(/<td align="right">(\d+)<\/td><td><code>([^<]+)<\/code>/g)]
    expect(ranked.map(([, rank, name]) => `${rank} ${name}`)).toEqual([
      '1 team/exploited:production',
      '2 team/loud:production',
      '3 team/quiet:production',
      '4 team/clean:production',
    ])
  })

  it('lists the shared vulnerabilities, and folds each image', () => {
    expect(summary).toContain(
      '<tr><td>CVE-2024-0003</td><td>🟨 MEDIUM</td><td align="right">3</td><td><code>team/exploited:production</code>, <code>team/loud:production</code>, <code>team/quiet:production</code></td></tr>',
    )
    expect(summary.match(/<details><summary>/g)).toHaveLength(4)
    expect(summary).toContain(
      '<details><summary>✅ <code>team/exploited:production</code>: 1 HIGH, 1 MEDIUM</summary>',
    )
  })
})

describe('a thousand images of real findings', () => {
  const real = readAnswer('findings/basic-cvss3-debian-page1-nextToken-dynatrace.json')
  const many = Array.from({ length: 1000 }, (_, n) =>
    reportOf(image(`team/service-${String(n).padStart(4, '0')}`, { ...real })),
  )
  const settings = {
    ...settingsWith(),
    watch: { pattern: 'team/*', region: 'us-east-1', imageTags: ['production'], imageDigests: [] },
  }
  const context: StepContext = {
    env: {},
    ignore: { active: [], expired: [] },
    throttled: 0,
    warningsShown: 0,
    files: { findings: { path: '/runner/temp/findings.json' } },
  }
  const step = stepReport(many, stepFailure(many), settings, context)

  it('keeps the summary within 1 MiB, the ranked table whole, and says what it left out', () => {
    expect(Buffer.byteLength(step.summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(step.summary).toContain('<td align="right">500</td><td><code>team/service-0499')
    expect(step.summary).toMatch(/The details of \d+ images \(the least affected\) are left out/)
  })

  it('keeps the outputs within GitHub’s limit', () => {
    expect(outputsSize(stepOutputs(many))).toBeLessThanOrEqual(1_000_000)
  })
})

describe('a warning many images share', () => {
  const quota = (repositoryName: string) =>
    reportOf(image(repositoryName, { limitExceeded: true, scanStarted: false }))
  const settings = {
    ...settingsWith(),
    watch: { pattern: 'team/*', region: 'us-east-1', imageTags: ['production'], imageDigests: [] },
  }
  const context: StepContext = {
    env: {},
    ignore: { active: [], expired: [] },
    throttled: 0,
    warningsShown: 0,
    files: { findings: { path: '/runner/temp/findings.json' } },
  }
  const many = ['team/a', 'team/b', 'team/c', 'team/d'].map(quota)

  it('is said once for the step in a pattern step', () => {
    const warnings = stepReport(many, undefined, settings, context)
      .lines.filter(({ level }) => level === 'warning')
      .map(({ message }) => message)
    expect(warnings).toEqual([
      "4 images (team/a:production, team/b:production, team/c:production, …): ECR's scan quota for each image is used up (one scan per image per 24 hours); its existing scan is reported.",
    ])
  })

  it('is said for its image when only one image gives it', () => {
    const one = [quota('team/a'), reportOf(image('team/b', {}))]
    const warnings = stepReport(one, undefined, settings, context)
      .lines.filter(({ level }) => level === 'warning')
      .map(({ message }) => message)
    expect(warnings).toEqual([
      "team/a:production: ECR's scan quota for team/a:production is used up (one scan per image per 24 hours); its existing scan is reported.",
    ])
  })

  it('is said per image where the images were named', () => {
    const warnings = stepReport(many, undefined, settingsWith(), context).lines.filter(
      ({ level }) => level === 'warning',
    )
    expect(warnings).toHaveLength(4)
  })
})
