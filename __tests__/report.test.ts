import { describe, expect, it } from '@jest/globals'
import {
  BASELINE_DIGEST,
  comparedResult,
  completedResult,
  DIGEST,
  finding,
  settingsWith,
  unresolvedResult,
} from '../__fixtures__/results.js'
import { judge } from '../src/policy.js'
import { outputsOf } from '../src/report/outputs.js'
import { applyIgnoreRules } from '../src/ignore.js'
import type { Finding, ScanResult } from '../src/model.js'
import {
  BASIC_ZERO_NOTE,
  CUT_NOTE,
  describeBaseline,
  MAX_COMPARED_ROWS,
  MAX_FINDING_ROWS,
  MAX_IGNORED_ROWS,
  MAX_SUMMARY_BYTES,
  fitSummary,
  renderFailureOnly,
  renderIgnoreNotes,
  renderSummary,
  severityTable,
} from '../src/report/summary.js'

describe('outputsOf', () => {
  it('sets every output of a completed scan', () => {
    const result = completedResult([
      finding('CVE-1', 'CRITICAL'),
      finding('CVE-2', 'UNTRIAGED'),
      finding('CVE-3', 'UNDEFINED'),
    ])
    expect(outputsOf(result, judge(result, settingsWith({ failOnSeverity: 'HIGH' })))).toEqual({
      'scan-status': 'COMPLETE',
      'scan-status-description': 'The scan was completed successfully.',
      'scan-started': 'true',
      'limit-exceeded': 'false',
      'scan-type': 'BASIC',
      'registry-id': '123456789012',
      repository: 'team/api',
      'image-tag': 'v1',
      'image-digest': DIGEST,
      'findings-total': '3',
      critical: '1',
      high: '0',
      medium: '0',
      low: '0',
      informational: '0',
      undefined: '2',
      'severity-counts': '{"CRITICAL":1,"UNTRIAGED":1,"UNDEFINED":1}',
      ignored: '0',
      'threshold-exceeded': 'true',
      verdict: 'failed',
      'console-url': `https://us-east-1.console.aws.amazon.com/ecr/repositories/private/123456789012/team/api/_/image/${DIGEST}/scan-results?region=us-east-1`,
    })
  })

  it('leaves unknown values unset when the image could not be resolved', () => {
    const result = unresolvedResult()
    expect(outputsOf(result, { warnings: [], notes: [] })).toEqual({
      'scan-started': 'false',
      'limit-exceeded': 'false',
      repository: 'team/api',
      'image-tag': 'v1',
    })
  })
})

describe('renderSummary', () => {
  it('shows the image, digest, scan type, status, origin, counts, findings and console link', () => {
    const result = completedResult([
      finding('CVE-2', 'HIGH', {
        uri: 'https://nvd.nist.gov/CVE-2',
        packageName: 'zlib',
        packageVersion: '1.2',
        fixedInVersion: '1.3',
      }),
      finding('CVE-1', 'CRITICAL'),
    ])
    const summary = renderSummary(result, judge(result, settingsWith()))
    expect(summary).toContain('## ✅ ECR image scan: <code>team/api:v1</code>')
    expect(summary).toContain(`<code>${DIGEST}</code>`)
    expect(summary).toContain('<tr><th align="left">Scan type</th><td>BASIC</td></tr>')
    expect(summary).toContain('<b>COMPLETE</b> — The scan was completed successfully.')
    expect(summary).toContain('started by this run')
    expect(summary).toContain('<td align="right"><b>2</b></td>')
    expect(summary).toContain('<a href="https://nvd.nist.gov/CVE-2">CVE-2</a>')
    expect(summary).toContain('<td>zlib</td><td>1.2</td><td>1.3</td>')
    expect(summary.indexOf('CVE-1')).toBeLessThan(summary.indexOf('CVE-2')) // most severe first
    expect(summary).toContain('Open the scan in the AWS console')
  })

  it("names the image index of one platform of a multi-arch image beside the platform's digest", () => {
    const index = `sha256:${'1'.repeat(64)}`
    const result = completedResult([], { platform: 'linux/arm64', indexDigest: index })
    const summary = renderSummary(result, judge(result, settingsWith()))
    expect(summary).toContain(
      `<tr><th align="left">Digest</th><td><code>${DIGEST}</code></td></tr>`,
    )
    expect(summary).toContain(
      `<tr><th align="left">Image index</th><td><code>${index}</code></td></tr>`,
    )
    // A single-platform image has no index row.
    const single = completedResult([])
    expect(renderSummary(single, judge(single, settingsWith()))).not.toContain('Image index')
  })

  it('says when the scan was reused because of the quota', () => {
    const result = completedResult([], { scanStarted: false, limitExceeded: true })
    expect(renderSummary(result, judge(result, settingsWith()))).toContain(
      'reused: the 24-hour scan quota',
    )
  })

  it('shows the failure line', () => {
    const result = completedResult([finding('CVE-1', 'CRITICAL')])
    const summary = renderSummary(result, judge(result, settingsWith({ failOnSeverity: 'HIGH' })))
    expect(summary).toContain('## ❌')
    expect(summary).toContain('> 1 finding at or above HIGH')
  })

  it('escapes HTML, table breakers and newlines from ECR and the user', () => {
    const hostile = '<script>alert(1)</script>|x\n\n## injected `code` & "quotes"'
    const result = completedResult(
      [finding(hostile, 'HIGH', { packageName: hostile, uri: 'javascript:alert(1)' })],
      { scanStatusDescription: hostile, target: { repositoryName: 'team/api', imageTag: hostile } },
    )
    const summary = renderSummary(result, judge(result, settingsWith()))
    expect(summary).not.toContain('<script>')
    expect(summary).not.toContain('javascript:')
    expect(summary).not.toContain('|x')
    expect(summary).not.toContain('\n## injected')
    expect(summary).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&#124;x ## injected &#96;code&#96; &amp; &quot;quotes&quot;',
    )
    expect(renderFailureOnly(`bad ${hostile}`)).not.toContain('<script>')
  })

  it('caps the findings table and stays far below 1 MiB with 10,000 huge findings', () => {
    const huge = 'x'.repeat(100_000)
    const list = Array.from({ length: 10_000 }, (_, i) =>
      finding(i < 100 ? `CVE-${i}-${huge}` : `CVE-${i}`, i % 2 ? 'HIGH' : 'LOW', {
        packageName: huge,
        description: huge,
      }),
    )
    const result = completedResult(list)
    const summary = renderSummary(result, judge(result, settingsWith()))
    expect(summary.match(/<tr><td>/g)).toHaveLength(MAX_FINDING_ROWS)
    expect(summary).toContain(`Most severe findings (${MAX_FINDING_ROWS} of 10000)`)
    expect(Buffer.byteLength(summary)).toBeLessThan(100 * 1024)
  })

  it('says when no vulnerabilities were found', () => {
    const result = completedResult([])
    expect(renderSummary(result, judge(result, settingsWith()))).toContain(
      'No vulnerabilities found.',
    )
  })

  it('says under a basic scan with zero findings that zero is not proof, and points to enhanced scanning', () => {
    const zero = completedResult([])
    const summary = renderSummary(zero, judge(zero, settingsWith()))
    expect(summary).toContain(`No vulnerabilities found.\n\n${BASIC_ZERO_NOTE}\n`)
    expect(BASIC_ZERO_NOTE).toContain('operating-system packages only')
    expect(BASIC_ZERO_NOTE).toContain('distroless or scratch-based')
    expect(BASIC_ZERO_NOTE).toContain(
      '<a href="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html">Enhanced scanning (Amazon Inspector)</a>',
    )
    expect(summary.split('\n').filter((line) => line.includes('not proof'))).toHaveLength(1)

    const without = (result: ScanResult) =>
      expect(renderSummary(result, judge(result, settingsWith()))).not.toContain('not proof')
    without(completedResult([], { scanType: 'ENHANCED' }))
    without(completedResult([finding('CVE-1', 'LOW')]))
    without(completedResult([], { findings: undefined, scanStatus: 'FAILED' }))
    without(
      applyIgnoreRules(completedResult([finding('CVE-1', 'LOW')]), [{ id: 'CVE-1', source: 's' }]),
    )
    const unread = completedResult([])
    without({ ...unread, findings: { ...unread.findings!, unread: 3 } })
  })

  it('groups the findings by severity, most severe first', () => {
    const result = completedResult([
      finding('CVE-3', 'LOW'),
      finding('CVE-1', 'CRITICAL'),
      finding('CVE-2', 'MEDIUM'),
      finding('CVE-4', 'CRITICAL'),
    ])
    const summary = renderSummary(result, judge(result, settingsWith()))
    const headings = summary.match(/^#### .*$/gm)
    expect(headings).toEqual(['#### 🟥 CRITICAL', '#### 🟨 MEDIUM', '#### 🟦 LOW'])
    const critical = summary.slice(summary.indexOf('#### 🟥'), summary.indexOf('#### 🟨'))
    expect(critical).toContain('CVE-1')
    expect(critical).toContain('CVE-4')
    // No finding names a fixed version (basic findings never do): no empty column.
    expect(summary).not.toContain('<th>Fixed in</th>')
  })

  it('has a Fixed in column in each table where a finding of it names a fixed version', () => {
    const result = completedResult([
      finding('CVE-1', 'CRITICAL', { fixedInVersion: '1.2.4' }),
      finding('CVE-4', 'CRITICAL'),
      finding('CVE-2', 'MEDIUM'),
    ])
    const summary = renderSummary(result, judge(result, settingsWith()))
    const critical = summary.slice(summary.indexOf('#### 🟥'), summary.indexOf('#### 🟨'))
    const medium = summary.slice(summary.indexOf('#### 🟨'))
    expect(critical).toContain('<th>Installed</th><th>Fixed in</th></tr>')
    expect(critical).toContain('<td>1.2.4</td></tr>')
    expect(critical).toContain(
      '<tr><td>CVE-4</td><td>🟥 CRITICAL</td><td></td><td></td><td></td></tr>',
    )
    expect(medium).not.toContain('Fixed in')
    expect(medium).toContain('<tr><td>CVE-2</td><td>🟨 MEDIUM</td><td></td><td></td></tr>')
  })

  it('has a Fixed in column among the ignored findings only when one of them names a fixed version', () => {
    const ignoring = (list: Finding[]) =>
      applyIgnoreRules(
        completedResult(list),
        list.map(({ id }) => ({ id, reason: 'accepted', source: "input 'ignore'" })),
      )
    const basic = ignoring([finding('CVE-1', 'HIGH')])
    expect(renderSummary(basic, judge(basic, settingsWith()))).toContain(
      '<tr><th>Vulnerability</th><th>Severity</th><th>Package</th><th>Installed</th><th>Reason</th><th>Rule</th></tr>',
    )
    const fixable = ignoring([finding('CVE-1', 'HIGH', { fixedInVersion: '2.0' })])
    expect(renderSummary(fixable, judge(fixable, settingsWith()))).toContain(
      '<th>Installed</th><th>Fixed in</th><th>Reason</th><th>Rule</th></tr>',
    )
  })

  it('puts the highest score first within a severity, whatever the order ECR listed them in', () => {
    const lower = finding('CVE-1', 'CRITICAL', { score: 7.5 })
    const higher = finding('CVE-2', 'CRITICAL', { score: 9.8 })
    for (const list of [
      [lower, higher],
      [higher, lower],
    ]) {
      const result = completedResult(list)
      const summary = renderSummary(result, judge(result, settingsWith()))
      expect(summary.indexOf('CVE-2')).toBeGreaterThan(0)
      expect(summary.indexOf('CVE-2')).toBeLessThan(summary.indexOf('CVE-1'))
    }
  })

  it('lists every ignored finding with its reason in a collapsed section', () => {
    const result = applyIgnoreRules(
      completedResult([
        finding('CVE-1', 'CRITICAL', { packageName: 'openssl', uri: 'https://a.example/CVE-1' }),
        finding('CVE-2', 'HIGH'),
      ]),
      [{ id: 'CVE-1', reason: 'not <reachable>', expires: '2027-01-01', source: 'f.yml entry 1' }],
    )
    const summary = renderSummary(result, judge(result, settingsWith()))
    const details = summary.slice(summary.indexOf('<details>'), summary.indexOf('</details>'))
    expect(details).toContain('<summary>1 ignored finding (not counted above)</summary>')
    expect(details).toContain('<a href="https://a.example/CVE-1">CVE-1</a>')
    expect(details).toContain(
      '<td>not &lt;reachable&gt;</td><td>f.yml entry 1, until 2027-01-01</td>',
    )
    expect(summary).not.toContain('No vulnerabilities')
    const onlyIgnored = applyIgnoreRules(completedResult([finding('CVE-1', 'LOW')]), [
      { id: 'CVE-1', source: 's' },
    ])
    expect(renderSummary(onlyIgnored, judge(onlyIgnored, settingsWith()))).toContain(
      'No vulnerabilities besides the ignored ones.',
    )
    // The main table and counts no longer hold it.
    expect(summary.slice(0, summary.indexOf('<details>'))).not.toContain('CVE-1')
  })

  it('names expired and unmatched ignore entries', () => {
    const notes = renderIgnoreNotes(
      [{ id: 'CVE-1', expires: '2020-01-01', source: 'f.yml entry 1' }],
      [{ id: 'CVE-404', package: 'zlib', source: "input 'ignore'" }],
    )
    expect(notes).toContain('> [!WARNING]')
    expect(notes).toContain('> - <code>CVE-1</code> (f.yml entry 1), expires 2020-01-01')
    expect(notes).toContain('> [!NOTE]\n> These ignore entries matched no finding')
    expect(notes).toContain("> - <code>CVE-404</code> in zlib (input 'ignore')")
    expect(renderIgnoreNotes([], [])).toBe('')
  })

  it('lists at most MAX_IGNORED_ROWS ignore entries and counts the rest', () => {
    const rules = Array.from({ length: MAX_IGNORED_ROWS + 3 }, (_, i) => ({
      id: `CVE-2024-${i}`,
      source: `f.yml entry ${i + 1}`,
    }))
    const lines = renderIgnoreNotes([], rules).split('\n')
    expect(lines.filter((line) => line.startsWith('> - <code>'))).toHaveLength(MAX_IGNORED_ROWS)
    expect(lines.at(-2)).toBe('> - and 3 more')
    expect(lines.at(-1)).toBe('')
    const exactly = renderIgnoreNotes(rules.slice(0, MAX_IGNORED_ROWS), [])
    expect(exactly).not.toContain('more')
  })

  it('stays under 1 MiB with 10,000 findings and 10,000 ignored ones', () => {
    const huge = 'x'.repeat(100_000)
    const list = Array.from({ length: 20_000 }, (_, i) =>
      finding(`CVE-${i}`, i % 2 ? 'HIGH' : 'LOW', { packageName: huge, description: huge }),
    )
    const rules = Array.from({ length: 10_000 }, (_, i) => ({
      id: `CVE-${i * 2}`,
      reason: huge,
      source: `f.yml entry ${i + 1}`,
    }))
    const result = applyIgnoreRules(completedResult(list), rules)
    expect(result.findings?.ignored).toHaveLength(10_000)
    const summary = renderSummary(result, judge(result, settingsWith()))
    expect(summary).toContain(`${10_000 - MAX_IGNORED_ROWS} more are in the file`)
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024)
  })

  it('cuts a summary over the limit at a line, closes its tags and says so', () => {
    const row = `<tr><td>${'y'.repeat(1000)}</td></tr>`
    const big = [
      '## head',
      '<details><summary>s</summary>',
      '<table>',
      ...Array(3000).fill(row),
    ].join('\n')
    const cut = fitSummary(big)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(cut.startsWith('## head')).toBe(true)
    expect(cut).toContain('</table></details>')
    expect(cut).toContain('This was cut here')
    expect(fitSummary('small')).toBe('small')
  })
})

describe('how the registry scans the repository, in the summary', () => {
  it.each([
    ['SCAN_ON_PUSH', 'scan on push (registry scanning rule)'],
    ['CONTINUOUS_SCAN', 'continuous scanning (registry scanning rule)'],
    ['MANUAL', 'manual: no scanning rule of the registry covers the repository'],
  ] as const)('%s', (scanFrequency, words) => {
    const result = completedResult([], { scanFrequency })
    expect(renderSummary(result, judge(result, settingsWith()))).toContain(
      `<th align="left">Scan frequency</th><td>${words}</td>`,
    )
  })

  it('says nothing of a frequency it could not learn', () => {
    const result = completedResult([])
    expect(renderSummary(result, judge(result, settingsWith()))).not.toContain('Scan frequency')
  })

  it('says when Inspector was still adding findings at the deadline', () => {
    const result = completedResult([finding('CVE-1', 'HIGH')], {
      scanType: 'ENHANCED',
      timedOut: true,
      findingsUnsettled: true,
    })
    expect(renderSummary(result, judge(result, settingsWith()))).toContain(
      "stopped waiting at wait-timeout while Inspector's findings were still changing",
    )
  })
})

describe('renderSummary with compare-to', () => {
  const exploited = finding('CVE-NEW-1', 'CRITICAL', {
    packageName: 'openssl',
    exploitAvailable: 'YES',
  })
  const newLow = finding('CVE-NEW-2', 'LOW', { packageName: 'zlib', exploitAvailable: 'NO' })
  const kept = finding('CVE-KEPT', 'HIGH', { packageName: 'glibc' })
  const gone = finding('CVE-GONE', 'HIGH', { packageName: 'libwebp', fixedInVersion: '1.3' })
  const result = comparedResult([kept, newLow, exploited], [kept, gone])
  const summary = renderSummary(result, judge(result, settingsWith()))
  const between = (from: string, to: string) =>
    summary.slice(summary.indexOf(from), to ? summary.indexOf(to) : undefined)

  it('leads with the new findings by severity, then the fixed, then the unchanged collapsed', () => {
    const order = [
      '### 2 new findings since <code>team/api:production</code>',
      '#### 🟥 CRITICAL',
      'CVE-NEW-1',
      '#### 🟦 LOW',
      'CVE-NEW-2',
      '### Fixed since <code>team/api:production</code>: 1',
      'CVE-GONE',
      '<details><summary>1 unchanged finding, in <code>team/api:production</code> too</summary>',
      'CVE-KEPT',
      '</details>',
      '### All findings by severity',
    ].map((part) => summary.indexOf(part))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect(order).toEqual([...order].sort((a, b) => a - b))
    const news = between('### 2 new', '### Fixed')
    expect(news).not.toContain('CVE-KEPT')
    expect(news).not.toContain('CVE-GONE')
    expect(between('### Fixed', '<details>')).toContain('<td>libwebp</td><td></td><td>1.3</td>')
    expect(between('<details>', '</details>')).not.toContain('CVE-NEW')
    // Every finding of this image is in one list only; the plain listing is not shown.
    expect(summary).not.toContain('### Findings')
    expect(summary.match(/CVE-KEPT/g)).toHaveLength(1)
  })

  it('names the baseline with its digest and how this image compares', () => {
    expect(summary).toContain(
      `<tr><th align="left">Baseline</th><td><code>team/api:production</code> <code>${BASELINE_DIGEST}</code>: <b>2 new</b>, 1 fixed, 1 unchanged</td></tr>`,
    )
  })

  it('says when nothing is new and nothing was fixed, and collapses nothing when none is unchanged', () => {
    const same = comparedResult([kept], [kept])
    const quiet = renderSummary(same, judge(same, settingsWith()))
    expect(quiet).toContain('### No new findings since <code>team/api:production</code>')
    expect(quiet).toContain('### Fixed since <code>team/api:production</code>: none')
    expect(quiet).toContain(': 0 new, 0 fixed, 1 unchanged</td>')
    const fresh = comparedResult([exploited], [])
    expect(renderSummary(fresh, judge(fresh, settingsWith()))).not.toContain('<details>')
  })

  it('says in one line why the baseline was not compared, and lists the findings as without it', () => {
    const missing = completedResult([kept], {
      baseline: {
        label: 'team/api:production',
        imageDigest: BASELINE_DIGEST,
        outcome: 'not-scanned',
        reason: 'ECR has no scan of it',
      },
    })
    const text = renderSummary(missing, { warnings: [], notes: [] })
    expect(text).toContain(
      `<tr><th align="left">Baseline</th><td><code>team/api:production</code> <code>${BASELINE_DIGEST}</code>: not compared: ECR has no scan of it</td></tr>`,
    )
    expect(text).not.toContain(' since ')
    expect(text).toContain('### Findings by severity')
    expect(text).toContain('CVE-KEPT')
  })

  it('changes nothing without compare-to', () => {
    const plain = completedResult([kept, newLow])
    const text = renderSummary(plain, judge(plain, settingsWith()))
    expect(text).not.toContain('Baseline')
    expect(text).not.toContain(' since ')
    expect(text).not.toContain('exploit')
    expect(text).toContain('### Findings by severity')
  })

  it('marks findings with a known exploit in words, with or without a comparison', () => {
    const mark = '<a href="https://nvd.example/CVE-X">CVE-X</a> <b>⚠ exploit</b></td>'
    const linked = { ...exploited, id: 'CVE-X', uri: 'https://nvd.example/CVE-X' }
    for (const marked of [
      completedResult([linked, kept]),
      comparedResult([linked, kept], [kept]),
    ]) {
      const text = renderSummary(marked, judge(marked, settingsWith()))
      expect(text).toContain(mark)
      expect(text.match(/⚠ exploit/g)).toHaveLength(1) // not on CVE-KEPT, nor on "NO"
    }
    expect(summary.match(/⚠ exploit/g)).toHaveLength(1)
  })

  it('keeps ignored findings out of the comparison and in their own section', () => {
    const ignored = applyIgnoreRules(comparedResult([kept, exploited], [kept]), [
      { id: 'CVE-NEW-1', source: 's' },
    ])
    const text = renderSummary(ignored, judge(ignored, settingsWith()))
    expect(text).toContain('### No new findings since')
    expect(text).toContain('<summary>1 ignored finding (not counted above)</summary>')
  })

  it('cuts each list to its most severe and stays far below 1 MiB with 10,000 huge findings', () => {
    const huge = 'x'.repeat(100_000)
    const many = (prefix: string) =>
      Array.from({ length: 5_000 }, (_, i) =>
        finding(i < 50 ? `${prefix}-${i}-${huge}` : `${prefix}-${i}`, i % 2 ? 'HIGH' : 'LOW', {
          packageName: `pkg-${huge.slice(0, 1000)}`,
          description: huge,
        }),
      )
    const [added, same, fixed] = [many('NEW'), many('SAME'), many('GONE')]
    const big = comparedResult([...added, ...same], [...same, ...fixed])
    const text = renderSummary(big, judge(big, settingsWith()))
    expect(text.match(/<tr><td>/g)).toHaveLength(MAX_FINDING_ROWS + 2 * MAX_COMPARED_ROWS)
    // Half of each list is LOW: every list shows its HIGHs.
    expect(text).not.toContain('<td>🟦 LOW</td>')
    expect(text).toContain(
      `The ${MAX_FINDING_ROWS} most severe of 5000 are listed; the findings-file output has every finding.`,
    )
    expect(text).toContain(
      `The ${MAX_COMPARED_ROWS} most severe of 5000 are listed; the baseline's`,
    )
    expect(Buffer.byteLength(text)).toBeLessThan(200 * 1024)
  })

  it('lists every finding, and says nothing of a cut, when each list is exactly at its limit', () => {
    const some = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => finding(`${prefix}-${i}`, 'HIGH'))
    const [added, same, fixed] = [
      some('NEW', MAX_FINDING_ROWS),
      some('SAME', MAX_COMPARED_ROWS),
      some('GONE', MAX_COMPARED_ROWS),
    ]
    const full = comparedResult([...added, ...same], [...same, ...fixed])
    const text = renderSummary(full, judge(full, settingsWith()))
    expect(text.match(/<tr><td>/g)).toHaveLength(MAX_FINDING_ROWS + 2 * MAX_COMPARED_ROWS)
    expect(text).not.toContain('most severe of')
    const plain = completedResult(some('CVE', MAX_FINDING_ROWS))
    const listed = renderSummary(plain, judge(plain, settingsWith()))
    expect(listed).toContain('### Findings\n')
    expect(listed).not.toContain('Most severe findings')
    const ignored = applyIgnoreRules(
      completedResult(some('CVE', MAX_IGNORED_ROWS)),
      some('CVE', MAX_IGNORED_ROWS).map(({ id }) => ({ id, source: 's' })),
    )
    const all = renderSummary(ignored, judge(ignored, settingsWith()))
    expect(all.match(/<tr><td>/g)).toHaveLength(MAX_IGNORED_ROWS)
    expect(all).not.toContain('more are in the file')
  })
})

describe('the summary, part by part', () => {
  const render = (result: ScanResult, settings = settingsWith()) =>
    renderSummary(result, judge(result, settings))

  it('shows a warning without a failure as ⚠️, also when the wait did not time out', () => {
    const reused = completedResult([], { scanStarted: false, limitExceeded: true })
    expect(render(reused).split('\n')[0]).toBe('## ⚠️ ECR image scan: <code>team/api:v1</code>')
  })

  it('names the region alone when the registry is not known', () => {
    const result = completedResult([], { image: undefined, findings: undefined })
    expect(render(result)).toContain('<tr><th align="left">Registry</th><td>us-east-1</td></tr>')
  })

  it('adds no zero note to a basic scan whose list has findings that ECR did not count', () => {
    const result = completedResult([], {
      findings: {
        rawSeverityCounts: {},
        severityCounts: completedResult().findings!.severityCounts,
        list: [finding('CVE-1', 'HIGH')],
        unread: 0,
      },
    })
    expect(render(result)).not.toContain('not proof')
  })

  it('lists no findings table when every counted finding is unread', () => {
    const counted = completedResult([], {
      findings: {
        rawSeverityCounts: { HIGH: 3 },
        severityCounts: { ...completedResult().findings!.severityCounts, HIGH: 3 },
        list: [],
        unread: 3,
      },
    })
    const summary = render(counted)
    expect(summary).not.toContain('Most severe')
    expect(summary).not.toContain('### Findings\n')
    expect(summary).toContain(
      '</table>\n\n3 findings could not be read from ECR; the counts include them.\n\n<a href=',
    )
  })

  it('has no severity table without findings', () => {
    expect(severityTable(completedResult([], { findings: undefined }))).toBe('')
  })

  it('says the most severe findings are listed, then where the rest are, a blank line apart', () => {
    const many = completedResult(
      Array.from({ length: MAX_FINDING_ROWS + 1 }, (_, i) => finding(`CVE-${i}`, 'HIGH')),
    )
    expect(render(many)).toContain(
      `### Most severe findings (${MAX_FINDING_ROWS} of ${MAX_FINDING_ROWS + 1})\n\nThe rest are in the file of the findings-file output and in the AWS console.\n\n#### 🟧 HIGH\n`,
    )
  })

  it('ends the line about ignored findings with a blank line, and counts more than one', () => {
    const only = applyIgnoreRules(
      completedResult([finding('CVE-1', 'LOW'), finding('CVE-2', 'LOW')]),
      [
        { id: 'CVE-1', source: 's' },
        { id: 'CVE-2', source: 's' },
      ],
    )
    const summary = render(only)
    expect(summary).toContain(
      'No vulnerabilities besides the ignored ones.\n\n<details><summary>2 ignored findings (not counted above)</summary>',
    )
    // A rule without reason or expiry leaves its cells empty.
    expect(summary).toContain('<td></td><td></td><td></td><td>s</td></tr>')
  })

  it('says how many ignored findings the table leaves out, a blank line before its end', () => {
    const list = Array.from({ length: MAX_IGNORED_ROWS + 2 }, (_, i) => finding(`CVE-${i}`, 'LOW'))
    const result = applyIgnoreRules(
      completedResult(list),
      list.map(({ id }) => ({ id, source: 's' })),
    )
    expect(render(result)).toContain(
      '</table>\n\n2 more are in the file of the findings-file output.\n\n</details>\n',
    )
  })

  it('names a compared baseline alone when this image has no findings to count', () => {
    const baseline = {
      label: 'team/api:production',
      imageDigest: BASELINE_DIGEST,
      outcome: 'compared' as const,
      findings: [],
    }
    expect(describeBaseline(baseline, undefined)).toBe(
      `<code>team/api:production</code> <code>${BASELINE_DIGEST}</code>`,
    )
  })

  it('says nothing is new in a heading of its own, a blank line before the next', () => {
    const same = comparedResult([finding('CVE-1', 'HIGH')], [finding('CVE-1', 'HIGH')])
    expect(render(same)).toContain(
      '### No new findings since <code>team/api:production</code>\n\n### Fixed since <code>team/api:production</code>: none\n\n<details>',
    )
  })

  it('says each cut list is cut, a blank line before its table', () => {
    const some = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => finding(`${prefix}-${i}`, 'HIGH'))
    const [added, same] = [some('NEW', MAX_FINDING_ROWS + 1), some('SAME', MAX_COMPARED_ROWS + 1)]
    const cut = comparedResult([...added, ...same], same)
    const summary = render(cut)
    expect(summary).toContain(
      `The ${MAX_FINDING_ROWS} most severe of ${MAX_FINDING_ROWS + 1} are listed; the findings-file output has every finding.\n\n#### 🟧 HIGH`,
    )
    expect(summary).toContain(
      `too</summary>\n\nThe ${MAX_COMPARED_ROWS} most severe of ${MAX_COMPARED_ROWS + 1} are listed; the findings-file output has every finding.\n\n<table>`,
    )
  })

  it('writes the notes on ignore entries whole', () => {
    expect(
      renderIgnoreNotes(
        [{ id: 'CVE-1', expires: '2020-01-01', source: 'f.yml entry 1' }],
        [{ id: 'CVE-404', package: 'zlib', source: "input 'ignore'" }],
      ),
    ).toBe(
      [
        '> [!WARNING]',
        '> These ignore entries have expired and no longer ignore anything:',
        '> - <code>CVE-1</code> (f.yml entry 1), expires 2020-01-01',
        '',
        '> [!NOTE]',
        '> These ignore entries matched no finding; remove them if they are stale:',
        "> - <code>CVE-404</code> in zlib (input 'ignore')",
        '',
      ].join('\n'),
    )
  })
})

describe('fitSummary', () => {
  it('keeps a summary of exactly the limit as it is', () => {
    const exact = 'x'.repeat(1000)
    expect(fitSummary(exact, 1000)).toBe(exact)
  })

  it('keeps every line that fits, closes what is open, and says it cut', () => {
    const head = [
      '<details><summary>s</summary>',
      '<table>',
      '</table>',
      '<table>',
      '</table>',
      '<table>',
    ]
    const rows = Array.from({ length: 500 }, (_, i) => `row ${String(i).padStart(5, '0')}`)
    const markdown = [...head, ...rows].join('\n')
    // The budget leaves 64 bytes for closing tags: exactly 40 rows of 10 bytes (9 and a newline).
    const headBytes = Buffer.byteLength(head.join('\n')) + 1
    const maxBytes = headBytes + 400 + Buffer.byteLength(CUT_NOTE) + 64
    const cut = fitSummary(markdown, maxBytes)
    expect(cut).toBe(`${[...head, ...rows.slice(0, 40)].join('\n')}\n</table></details>${CUT_NOTE}`)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(maxBytes)
  })
})
