// The report that `npm run demo` and `npm run local` print and write: workflow commands read as
// the runner reads them, long outputs shortened, and the job summary as text and as a page.
import { describe, expect, it } from '@jest/globals'
import {
  Masker,
  alertKind,
  githubHtml,
  parseCommand,
  plain,
  renderLog,
  renderLogLine,
  renderRun,
  shortenJson,
  summaryHtml,
  summaryToText,
  unescapeData,
  unescapeProperty,
} from '../tools/report.ts'
import type { ActionRun } from '../tools/runner.ts'

describe('workflow commands, read as the runner reads them', () => {
  it("decodes a property's escapes: %3A is ':', %2C is ',' (the title of an annotation)", () => {
    // As @actions/core writes core.warning(message, { title: 'CRITICAL vulnerability in demo/vulnerable:v1' }).
    const command = parseCommand(
      '::warning title=CRITICAL vulnerability in demo/vulnerable%3Av1,file=Dockerfile,line=3::CVE-2024-3094 (CRITICAL)',
    )
    expect(command).toEqual({
      name: 'warning',
      properties: {
        title: 'CRITICAL vulnerability in demo/vulnerable:v1',
        file: 'Dockerfile',
        line: '3',
      },
      data: 'CVE-2024-3094 (CRITICAL)',
    })
    expect(parseCommand('::error title=a%2C b%0Ac%0D::x')?.properties).toEqual({
      title: 'a, b\nc\r',
    })
  })

  it('undoes the escapes exactly as the runner does: case-sensitive, and %25 last', () => {
    expect(unescapeProperty('a%253Ab')).toBe('a%3Ab')
    expect(unescapeProperty('a%3ab%2cc')).toBe('a%3ab%2cc')
    expect(unescapeData('100%25%0Anext%0D')).toBe('100%\nnext\r')
    expect(unescapeData('%0a %3A %2C')).toBe('%0a %3A %2C')
    expect(unescapeData('%2525')).toBe('%25')
  })

  it('takes the data after the first :: and drops properties without a name or a value', () => {
    expect(parseCommand('  ::notice title=,=x,file=a.ts::a::b')).toEqual({
      name: 'notice',
      properties: { file: 'a.ts' },
      data: 'a::b',
    })
    expect(parseCommand('::group::team/api:v1 (eu-west-1)')).toEqual({
      name: 'group',
      properties: {},
      data: 'team/api:v1 (eu-west-1)',
    })
    expect(parseCommand('plain :: text')).toBeUndefined()
    expect(parseCommand('::no end')).toBeUndefined()
  })
})

describe('the log', () => {
  it('shows an annotation as GitHub does: its decoded title, then its message', () => {
    const line = renderLogLine(
      '::warning title=CRITICAL vulnerability in demo/vulnerable%3Av1::CVE-2024-3094 (CRITICAL) in xz-utils',
      new Masker(),
      plain,
    )
    expect(line).toBe(
      '⚠ warning: CRITICAL vulnerability in demo/vulnerable:v1\n  CVE-2024-3094 (CRITICAL) in xz-utils',
    )
  })

  it('shows workflow commands as the runner does, and masks what it was told to mask', () => {
    const masker = new Masker()
    const lines = [
      '::add-mask::s3cret',
      '::warning::two%0Alines with s3cret',
      '::error file=a.ts,line=1::100%25 \u001b[31mred',
      '::error title=s3cret::x',
      'plain s3cret',
    ].map((line) => renderLogLine(line, masker, plain))
    expect(lines).toEqual([
      '(a secret is masked from here on: ***)',
      '⚠ warning: two\n  lines with ***',
      '✖ error (file=a.ts, line=1): 100% \\u001b[31mred',
      '✖ error: ***\n  x',
      'plain ***',
    ])
  })

  it('hides debug lines (stacks) unless asked, as the runner hides them without step debug', () => {
    const stdout = [
      'Scanning team/api:v1 (eu-west-1).',
      '::debug::ActionError: No AWS credentials were found',
      '::debug::    at explainAwsError (src/ecr/errors.ts:129:8)',
      '::error::No AWS credentials were found.',
      '',
    ].join('\n')
    expect(renderLog(stdout, new Masker(), plain)).toEqual([
      'Scanning team/api:v1 (eu-west-1).',
      '✖ error: No AWS credentials were found.',
    ])
    expect(renderLog(stdout, new Masker(), plain, { debug: true })).toEqual([
      'Scanning team/api:v1 (eu-west-1).',
      'debug: ActionError: No AWS credentials were found',
      'debug:     at explainAwsError (src/ecr/errors.ts:129:8)',
      '✖ error: No AWS credentials were found.',
    ])
  })

  it("nests a group's lines under its title and leaves out the end of the group", () => {
    const stdout = [
      '::group::demo/vulnerable:v1 (us-east-1)',
      'Scan started: IN_PROGRESS.',
      '::warning::two%0Alines',
      '::endgroup::',
      'Result: COMPLETE.',
    ].join('\n')
    expect(renderLog(stdout, new Masker(), plain)).toEqual([
      '▾ demo/vulnerable:v1 (us-east-1)',
      '  Scan started: IN_PROGRESS.',
      '  ⚠ warning: two\n    lines',
      'Result: COMPLETE.',
    ])
  })
})

describe('outputs', () => {
  const results = JSON.stringify([
    { image: 'demo/vulnerable:v1', region: 'us-east-1', 'scan-status': 'COMPLETE' },
    { image: 'demo/clean:v1', region: 'us-east-1', 'scan-status': 'COMPLETE' },
  ])

  it('shortens long JSON to what it holds and its first characters', () => {
    expect(shortenJson(results, 40)).toBe(
      `JSON list, 2 items, ${results.length} characters: ${results.slice(0, 40)}…`,
    )
    expect(shortenJson('{"CRITICAL":1,"HIGH":2}', 10)).toBe(
      'JSON object, 2 keys, 23 characters: {"CRITICAL…',
    )
    expect(shortenJson(JSON.stringify(['a'.repeat(50)]), 10)).toMatch(/^JSON list, 1 item, 54 /)
  })

  it('leaves short JSON, and anything that is not a JSON object or list, as it is', () => {
    expect(shortenJson(results, results.length)).toBeUndefined()
    expect(shortenJson(`https://example.com/${'a'.repeat(200)}`, 40)).toBeUndefined()
    expect(shortenJson(`[not json ${'a'.repeat(200)}`, 40)).toBeUndefined()
    expect(shortenJson(`"${'a'.repeat(200)}"`, 40)).toBeUndefined()
  })

  it('in the report, says where every output is in full when one was shortened', () => {
    const run: ActionRun = {
      exitCode: 0,
      exitSignal: null,
      stdout: '',
      stderr: '',
      outputs: { 'scan-status': 'COMPLETE', results },
      summary: '',
      durationMs: 1000,
      tempDir: '/tmp/none',
      commands: () => [],
    }
    const text = renderRun(run, { title: 't', inputs: {}, outputsFile: 'out/outputs.json' }, plain)
    expect(text).toContain('  scan-status  COMPLETE\n')
    expect(text).toMatch(/ {2}results {6}JSON list, 2 items, \d+ characters: \[\{"image"/)
    expect(text).not.toContain(results)
    expect(text).toContain('(long JSON shortened: every output in full in out/outputs.json)')
    const short = renderRun(
      { ...run, outputs: { 'scan-status': 'COMPLETE' } },
      { title: 't', inputs: {} },
      plain,
    )
    expect(short).not.toContain('shortened')
  })
})

describe('the job summary as text', () => {
  it('lays out HTML tables as aligned columns, emoji counted double', () => {
    const summary = [
      '## ❌ ECR image scan: <code>team/api:v1</code>',
      '',
      '<table>',
      '<tr><th>🟥 CRITICAL</th><th>Total</th></tr>',
      '<tr><td align="right">12</td><td align="right"><b>3</b></td></tr>',
      '</table>',
      '',
      '> [!CAUTION]',
      '> 1 finding in &lt;script&gt; &#124; x.',
      '',
      '<a href="https://example.com/?a=1&amp;b=2">Open</a>',
    ].join('\n')
    expect(summaryToText(summary, plain)).toEqual([
      '❌ ECR image scan: team/api:v1',
      '',
      '🟥 CRITICAL  Total',
      '───────────  ─────',
      '         12      3',
      '',
      '✖ Caution: 1 finding in <script> | x.',
      '',
      'Open (https://example.com/?a=1&b=2)',
    ])
  })

  it("shows each of GitHub's alerts with its title, and any other quote as a quote", () => {
    const alerts = ['NOTE', 'tip', 'Important', 'WARNING', 'CAUTION']
      .map((kind) => `> [!${kind}]\n> Read this.`)
      .join('\n\n')
    expect(summaryToText(`${alerts}\n\n> [!FOO]\n> plain`, plain)).toEqual([
      'ℹ Note: Read this.',
      '',
      '✱ Tip: Read this.',
      '',
      '! Important: Read this.',
      '',
      '⚠ Warning: Read this.',
      '',
      '✖ Caution: Read this.',
      '',
      '│ [!FOO]',
      '│ plain',
    ])
  })
})

describe("GitHub's alert blocks on the HTML page", () => {
  // github.com's light theme: the left border's colour, then the title's.
  const colours: [string, string, string, string, string][] = [
    ['NOTE', 'ℹ', 'Note', '#0969da', '#0969da'],
    ['TIP', '✱', 'Tip', '#1f883d', '#1a7f37'],
    ['IMPORTANT', '!', 'Important', '#8250df', '#8250df'],
    ['WARNING', '⚠', 'Warning', '#9a6700', '#9a6700'],
    ['CAUTION', '✖', 'Caution', '#cf222e', '#d1242f'],
  ]

  it.each(colours)(
    'renders [!%s] as GitHub does, with its title and colours',
    (kind, icon, title, border, text) => {
      const name = kind.toLowerCase()
      const html = githubHtml(`> [!${kind}]\n> 3 findings at or above **HIGH**.\n> Fix them.`)
      expect(html).toBe(
        `<div class="markdown-alert markdown-alert-${name}">\n<p class="markdown-alert-title">${icon} ${title}</p>\n<p>3 findings at or above <strong>HIGH</strong>.\nFix them.</p>\n</div>\n`,
      )
      const page = summaryHtml(`> [!${kind}]\n> x`, 'summary')
      expect(page).toContain(`.markdown-alert-${name} { border-left-color: ${border}; }`)
      expect(page).toContain(`.markdown-alert-${name} .markdown-alert-title { color: ${text}; }`)
      expect(page).toContain(`<div class="markdown-alert markdown-alert-${name}">`)
      expect(page).not.toContain('[!')
    },
  )

  it('reads the marker in any case, alone on the first line, with the body after it', () => {
    expect(githubHtml('> [!warning]  \n>\n> First.\n>\n> Second.')).toBe(
      '<div class="markdown-alert markdown-alert-warning">\n<p class="markdown-alert-title">⚠ Warning</p>\n<p>First.</p>\n<p>Second.</p>\n</div>\n',
    )
    expect(alertKind('[!Note]')).toBe('NOTE')
  })

  it('leaves a quote a quote: an unknown kind, text after the marker, a marker not first', () => {
    for (const quote of ['> [!FOO]\n> x', '> [!NOTE] x', '> x\n>\n> [!NOTE]\n> y', '> plain']) {
      const html = githubHtml(quote)
      expect(html).toMatch(/^<blockquote>\n/)
      expect(html).not.toContain('markdown-alert')
    }
    expect(alertKind('[!NOTE] x')).toBeUndefined()
    expect(alertKind('[!FOO]')).toBeUndefined()
  })
})
