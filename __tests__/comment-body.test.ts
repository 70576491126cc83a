// The pull-request comment as a reviewer reads it: heading, digest and status, the failure, the
// counts, the most severe findings, what was ignored, and the link to the run.
import { describe, expect, it } from '@jest/globals'
import { completedResult, DIGEST, finding, settingsWith } from '../__fixtures__/results.js'
import { applyIgnoreRules } from '../src/ignore.js'
import type { ScanResult } from '../src/model.js'
import { judge } from '../src/policy.js'
import { commentKey, commentMarker, renderComment, runUrl } from '../src/report/comment.js'

const COUNTS_HEAD =
  '<tr><th>🟥 CRITICAL</th><th>🟧 HIGH</th><th>🟨 MEDIUM</th><th>🟦 LOW</th><th>⬜ INFORMATIONAL</th><th>⬜ UNDEFINED</th><th>Total</th></tr>'
/** The findings table's head where no finding names a fixed version (basic findings never do). */
const FINDINGS_HEAD =
  '<tr><th>Vulnerability</th><th>Severity</th><th>Package</th><th>Installed</th></tr>'
const counts = (...values: number[]) =>
  `<tr>${values
    .map((n) => `<td align="right">${n}</td>`)
    .join('')}<td align="right"><b>${values.reduce((a, b) => a + b)}</b></td></tr>`

function report(result: ScanResult, failOnSeverity?: 'CRITICAL') {
  return { result, verdict: judge(result, settingsWith({ failOnSeverity })) }
}

describe('renderComment', () => {
  it('shows a failing image: the failure, the counts, the 10 most severe, the ignored, the run', () => {
    const list = Array.from({ length: 12 }, (_, i) =>
      finding(`CVE-2024-${100 + i}`, i < 2 ? 'CRITICAL' : 'LOW', {
        packageName: 'openssl',
        packageVersion: '3.0.1',
      }),
    )
    list.push(finding('CVE-2023-8', 'HIGH'), finding('CVE-2023-9', 'HIGH'))
    const result = applyIgnoreRules(completedResult(list), [
      { id: 'CVE-2023-8', source: "input 'ignore'" },
      { id: 'CVE-2023-9', source: "input 'ignore'" },
    ])
    const env = {
      GITHUB_SERVER_URL: 'https://ghe.example.com//',
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '3',
    }
    const row = (id: string, severity: string) =>
      `<tr><td>${id}</td><td>${severity}</td><td>openssl</td><td>3.0.1</td></tr>`
    expect(renderComment('us-east-1/team/api', [report(result, 'CRITICAL')], env)).toBe(
      [
        '<!-- ecr-image-scan:comment us-east-1/team/api -->',
        '### ❌ ECR image scan: <code>team/api:v1</code>',
        '',
        `Digest <code>${DIGEST}</code>, scan COMPLETE`,
        '',
        '> [!CAUTION]',
        '> 2 findings at or above CRITICAL in team/api:v1 (2 CRITICAL). Fix them, or raise fail-on-severity; the job summary lists them.',
        '',
        '<table>',
        COUNTS_HEAD,
        counts(2, 0, 0, 10, 0, 0),
        '</table>',
        '',
        'Most severe 10 of 12:',
        '',
        '<table>',
        FINDINGS_HEAD,
        row('CVE-2024-100', '🟥 CRITICAL'),
        row('CVE-2024-101', '🟥 CRITICAL'),
        ...[102, 103, 104, 105, 106, 107, 108, 109].map((n) => row(`CVE-2024-${n}`, '🟦 LOW')),
        '</table>',
        '',
        '2 findings ignored by ignore rules.',
        '',
        '<a href="https://ghe.example.com/octo/app/actions/runs/42/attempts/3">All findings in the workflow run\'s summary</a>',
        '',
      ].join('\n'),
    )
  })

  it('lists every finding when all fit, and says one ignored finding in the singular', () => {
    const result = applyIgnoreRules(
      completedResult([finding('CVE-1', 'HIGH'), finding('CVE-2', 'LOW')]),
      [{ id: 'CVE-2', source: "input 'ignore'" }],
    )
    expect(renderComment('k', [report(result)], {})).toBe(
      [
        '<!-- ecr-image-scan:comment k -->',
        '### ✅ ECR image scan: <code>team/api:v1</code>',
        '',
        `Digest <code>${DIGEST}</code>, scan COMPLETE`,
        '',
        '<table>',
        COUNTS_HEAD,
        counts(0, 1, 0, 0, 0, 0),
        '</table>',
        '',
        'Findings:',
        '',
        '<table>',
        FINDINGS_HEAD,
        '<tr><td>CVE-1</td><td>🟧 HIGH</td><td></td><td></td></tr>',
        '</table>',
        '',
        '1 finding ignored by ignore rules.',
        '',
      ].join('\n'),
    )
  })

  it('shows the digest that was asked for, with an unknown status, when nothing was read', () => {
    const result: ScanResult = {
      target: { repositoryName: 'team/web', imageDigest: DIGEST },
      region: 'eu-west-1',
      scanStarted: false,
      limitExceeded: false,
      timedOut: false,
    }
    expect(renderComment('k', [report(result)], {})).toBe(
      [
        '<!-- ecr-image-scan:comment k -->',
        `### ✅ ECR image scan: <code>team/web@${DIGEST}</code>`,
        '',
        `Digest <code>${DIGEST}</code>, scan unknown`,
        '',
      ].join('\n'),
    )
  })

  it('has no findings table when none were found', () => {
    const body = renderComment('k', [report(completedResult([]))], {})
    expect(body).not.toContain('Findings:')
    expect(body).not.toContain('<th>Vulnerability</th>')
  })

  it('has a Fixed in column when a finding of the table names a fixed version, blank for the rest', () => {
    const fixed = finding('CVE-1', 'HIGH', { packageName: 'curl', fixedInVersion: '8.5.0' })
    const body = renderComment('k', [report(completedResult([fixed, finding('CVE-2', 'LOW')]))], {})
    expect(body).toContain(`${FINDINGS_HEAD.replace('</tr>', '<th>Fixed in</th></tr>')}`)
    expect(body).toContain(
      '<tr><td>CVE-1</td><td>🟧 HIGH</td><td>curl</td><td></td><td>8.5.0</td></tr>',
    )
    expect(body).toContain('<tr><td>CVE-2</td><td>🟦 LOW</td><td></td><td></td><td></td></tr>')
  })
})

describe('commentKey', () => {
  it('names the image and its platforms, sorted and once each', () => {
    const on = (platform?: string) => report({ ...completedResult(), platform })
    expect(commentKey([on('linux/arm64'), on('linux/amd64'), on('linux/arm64'), on()])).toBe(
      'us-east-1/team/api linux/amd64,linux/arm64',
    )
    expect(commentKey([on()])).toBe('us-east-1/team/api')
    expect(commentKey([])).toBe('')
  })
})

describe('commentMarker', () => {
  it('keeps the characters of names and platforms, and turns a run of dashes into one', () => {
    expect(commentMarker('us-east-1/team/my--api linux/arm64,linux/amd64 @x +y:z')).toBe(
      '<!-- ecr-image-scan:comment us-east-1/team/my-api linux/arm64,linux/amd64 @x +y:z -->',
    )
    expect(commentMarker('a<b>c')).toBe('<!-- ecr-image-scan:comment a_b_c -->')
    expect(commentMarker('linux/arm64/v8---x')).toBe(
      '<!-- ecr-image-scan:comment linux/arm64/v8-x -->',
    )
  })
})

describe('runUrl', () => {
  it('links to the run, and to the attempt when there is one', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '42',
    }
    expect(runUrl(env)).toBe('https://ghe.example.com/octo/app/actions/runs/42')
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'https://ghe.example.com/octo/app/actions/runs/42/attempts/2',
    )
    expect(runUrl({ ...env, GITHUB_RUN_ID: '' })).toBeUndefined()
  })
})
