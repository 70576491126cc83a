// What the step shows of VEX decisions: the vex-suppressed output, the verdict that no longer
// sees suppressed findings, the folded sections of the summary and the comment, the findings
// file, and the note on statements that matched nothing. (null: the step without vex.)
import { describe, expect, it } from '@jest/globals'
import {
  DIGEST,
  completedResult,
  finding,
  settingsWith,
  unresolvedResult,
} from '../__fixtures__/results.js'
import { enrich } from '../src/facts/enrich.js'
import { indexStatements } from '../src/facts/vex.js'
import type { ImageReport, ScanResult } from '../src/kernel/model.js'
import { Outputs } from '../src/kernel/names.js'
import type { VexStatement } from '../src/kernel/vex.js'
import { findingsDocument } from '../src/report/findings-file.js'
import { stepOutputs } from '../src/report/outputs.js'
import { stepReport, pullRequestComments } from '../src/report/step-report.js'
import { judge } from '../src/verdict/judge.js'
import { stepFailure } from '../src/verdict/step.js'
import { parseVexDocument } from '../src/vex/read.js'

const CVE = 'CVE-2023-3446'
const libssl = finding(CVE, 'HIGH', { packageName: 'libssl3', packageVersion: '3.0.8-r3' })
const zlib = finding('CVE-2024-7', 'CRITICAL', { packageName: 'zlib' })
const settings = settingsWith({ failOnSeverity: 'HIGH' })

const statements: VexStatement[] = parseVexDocument(
  JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'x',
    author: 'vendor',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements: [
      {
        vulnerability: { name: CVE },
        products: [{ '@id': `pkg:oci/api@${DIGEST}` }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_present',
        impact_statement: 'affected functions were removed before packaging',
      },
      {
        vulnerability: { name: 'CVE-2024-7' },
        products: ['pkg:apk/alpine/zlib'],
        status: 'affected',
        action_statement: 'Upgrade zlib to 1.3.1',
      },
      { vulnerability: 'CVE-2030-1', products: ['pkg:oci/api'], status: 'under_investigation' },
    ],
  }),
  '.vex/vendor.openvex.json',
)

function reportsOf(results: ScanResult[], vex: VexStatement[] | null = statements): ImageReport[] {
  const sources = { ignore: [], ...(vex && { vex: indexStatements(vex) }) }
  return results.map((scanned) => {
    const { result, facts } = enrich(scanned, sources, settings.facts)
    return { result, facts, verdict: judge(result, facts, settings.verdict) }
  })
}

function stepOf(results: ScanResult[], vex: VexStatement[] | null = statements) {
  const reports = reportsOf(results, vex)
  return stepReport(
    reports,
    stepFailure(reports),
    settingsWith({ failOnSeverity: 'HIGH', commentOnPr: true }),
    {
      env: {},
      ignore: { active: [], expired: [] },
      ...(vex && { vex }),
      throttled: 0,
      warningsShown: 0,
      files: { findings: { path: '/tmp/findings.json' } },
    },
  )
}

describe('the verdict', () => {
  it('turns a failing image green when a not_affected statement covers its finding', () => {
    const [report] = reportsOf([completedResult([libssl])])
    expect(report?.verdict.failure).toBeUndefined()
    expect(report?.verdict.outcome).toBe('passed')
    const [without] = reportsOf([completedResult([libssl])], null)
    expect(without?.verdict.failure).toMatch(/1 finding at or above HIGH/)
  })

  it('still fails on a finding whose statement says affected', () => {
    const [report] = reportsOf([completedResult([libssl, zlib])])
    expect(report?.verdict.failure).toMatch(/^1 finding at or above HIGH .*\(1 CRITICAL\)/)
  })
})

describe('vex-suppressed', () => {
  it('counts suppressed findings per image and sums them over images', () => {
    const one = reportsOf([completedResult([libssl, zlib])])
    expect(stepOutputs(one)[Outputs.vexSuppressed]).toBe('1')
    const two = reportsOf([
      completedResult([libssl]),
      completedResult([libssl], { target: { repositoryName: 'team/api', imageTag: 'v2' } }),
    ])
    expect(stepOutputs(two)[Outputs.vexSuppressed]).toBe('2')
    expect(stepOutputs(reportsOf([completedResult([zlib])]))[Outputs.vexSuppressed]).toBe('0')
  })

  it('is unset without vex, for one image or several', () => {
    const two = [
      completedResult([libssl]),
      completedResult([zlib], { target: { repositoryName: 'team/web', imageTag: 'v1' } }),
    ]
    expect(stepOutputs(reportsOf(two, null))).not.toHaveProperty(Outputs.vexSuppressed)
  })

  it('is unset without vex, and when some image was not read', () => {
    expect(stepOutputs(reportsOf([completedResult([libssl])], null))).not.toHaveProperty(
      Outputs.vexSuppressed,
    )
    expect(
      stepOutputs(reportsOf([completedResult([libssl]), unresolvedResult()])),
    ).not.toHaveProperty(Outputs.vexSuppressed)
  })
})

describe('the summary and the comment', () => {
  it('fold the suppressed findings with status, reason and document, and mark the affected one', () => {
    const report = stepOf([completedResult([libssl, zlib])])
    for (const body of [report.summary, report.comments[0]?.body ?? '']) {
      expect(body).toContain(
        '<details><summary>1 finding suppressed by VEX statements (not counted above)</summary>',
      )
      expect(body).toContain(
        '<td><code>CVE-2023-3446</code></td><td>HIGH</td><td>libssl3</td><td>not_affected</td><td>vulnerable_code_not_present: affected functions were removed before packaging</td><td>.vex/vendor.openvex.json statements[0]</td>',
      )
      expect(body).toContain(
        '1 counted finding with a VEX statement (affected or under investigation)',
      )
      expect(body).toContain('<td>affected</td><td>Upgrade zlib to 1.3.1</td>')
    }
  })

  it('says no vulnerability is left besides the suppressed ones', () => {
    expect(stepOf([completedResult([libssl])]).summary).toContain(
      'No vulnerabilities besides the ignored and suppressed ones.',
    )
  })

  it('note the statements that matched no finding, in the summary and one log line', () => {
    const report = stepOf([completedResult([libssl])])
    expect(report.summary).toContain('These VEX statements matched no finding of this run')
    expect(report.summary).toContain(
      '<code>CVE-2024-7</code> affected (.vex/vendor.openvex.json statements[1])',
    )
    expect(report.lines).toContainEqual({
      level: 'info',
      message: '2 VEX statements matched no finding of this run; the job summary lists them.',
    })
  })

  it('say nothing of VEX without vex, or when no findings were read', () => {
    const without = stepOf([completedResult([libssl])], null)
    expect(without.summary).not.toContain('VEX')
    expect(stepOf([unresolvedResult()]).summary).not.toContain('matched no finding')
  })

  it('leave each comment to its own image', () => {
    const reports = reportsOf([completedResult([libssl])])
    expect(pullRequestComments(reports, {})[0]?.body).toContain('suppressed by VEX statements')
  })
})

describe('the findings file', () => {
  it('lists suppressed findings with the statement, and only with vex', () => {
    const [image] = findingsDocument(reportsOf([completedResult([libssl])])).images
    expect(image?.findings).toEqual([])
    expect(image?.suppressed).toEqual([
      expect.objectContaining({
        id: CVE,
        suppressedBy: expect.objectContaining({
          status: 'not_affected',
          document: '.vex/vendor.openvex.json',
          place: 'statements[0]',
        }),
      }),
    ])
    expect(
      findingsDocument(reportsOf([completedResult([libssl])], null)).images[0],
    ).not.toHaveProperty('suppressed')
  })
})
