// `npm run demo` as a user runs it, and how it checks each case (npm run local: e2e-local).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CASES, checkCase } from '../tools/demo.ts'
import type { ActionRun } from '../tools/runner.ts'
import { runTool } from './helpers/run-tool.js'

describe('npm run demo', () => {
  let out: string
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'demo-output-'))
  })
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('runs every case as expected and writes the summaries', async () => {
    const demo = await runTool('tools/demo.ts', ['--out', out])
    expect(demo.stderr).toBe('')
    expect(demo.code).toBe(0)
    expect(demo.stdout).toContain(`All ${CASES.length} cases behaved as expected`)
    for (const { name } of CASES) {
      expect(demo.stdout).toContain(` case ${name} `)
      expect(readFileSync(join(out, `${name}.md`), 'utf8')).toMatch(/^## (✅|⚠️|❌) ECR image scan/)
      expect(readFileSync(join(out, `${name}.html`), 'utf8')).toContain('<table>')
    }
    expect(existsSync(join(out, 'index.html'))).toBe(true)
    // Readable: commands as labels, tables as aligned text, no raw HTML.
    expect(demo.stdout).toContain(
      "⚠ warning: ECR's scan quota for demo/scanned-today:v1 is used up",
    )
    expect(demo.stdout).toMatch(
      /CVE-2024-6387 +🟥 CRITICAL +openssh-server +1:9\.2p1-2 +1:9\.2p1-2\+deb12u3/,
    )
    expect(demo.stdout).not.toMatch(/<t[dhr]|::error::|::add-mask::|test-secret-key/)
    // compare-to: the summary leads with the push's new CRITICAL, marked for its known exploit.
    const compared = readFileSync(join(out, 'compare-to.md'), 'utf8')
    expect(compared.match(/^#{2,4} .*$/gm)?.slice(0, 3)).toEqual([
      '## ❌ ECR image scan: <code>demo/app:v2</code>',
      '### 1 new finding since <code>demo/app:production</code>',
      '#### 🟥 CRITICAL',
    ])
    expect(demo.stdout).toMatch(/CVE-2024-3094 ⚠ exploit +🟥 CRITICAL +liblzma5 +5\.6\.0-0\.2/)
    expect(demo.stdout).toContain('1 new finding at or above CRITICAL in demo/app:v2')
    // Annotations under their decoded titles; the results output shortened, in full in a file.
    expect(demo.stdout).toContain(
      '  ⚠ warning: CRITICAL vulnerability in demo/vulnerable:v1\n    CVE-2024-3094 (CRITICAL) in xz-utils',
    )
    expect(demo.stdout).not.toContain('%3A')
    expect(demo.stdout).toMatch(
      / results +JSON list, 1 item, [\d,]+ characters: \[\{"image":"demo\/clean:v1"/,
    )
    expect(demo.stdout).toContain(`every output in full in ${join(out, 'vulnerable.outputs.json')}`)
    const outputs = JSON.parse(readFileSync(join(out, 'vulnerable.outputs.json'), 'utf8'))
    expect(JSON.parse(outputs.results)).toEqual([
      expect.objectContaining({ image: 'demo/vulnerable:v1', 'findings-total': '6' }),
    ])
    // The failure's CAUTION block as GitHub renders it.
    expect(readFileSync(join(out, 'vulnerable.html'), 'utf8')).toContain(
      '<div class="markdown-alert markdown-alert-caution">\n<p class="markdown-alert-title">✖ Caution</p>\n<p>3 findings at or above HIGH in demo/vulnerable:v1',
    )
  }, 60_000)
})

describe('checkCase', () => {
  const run = (changes: Partial<ActionRun>): ActionRun => ({
    exitCode: 0,
    exitSignal: null,
    stdout: '',
    stderr: '',
    outputs: { 'scan-status': 'COMPLETE', 'scan-started': 'true', 'findings-total': '0' },
    summary: '## ✅ ECR image scan',
    durationMs: 1,
    tempDir: '/tmp/none',
    commands: () => [],
    ...changes,
  })
  const clean = CASES.find((demoCase) => demoCase.name === 'clean')!.expect

  it('passes a run that behaves', () => {
    expect(checkCase(clean, run({}), 1)).toEqual([])
  })

  it('holds the job summary to the parts it expects, in their order', () => {
    const compared = CASES.find((demoCase) => demoCase.name === 'compare-to')!.expect
    const [first = '', second = ''] = compared.summary ?? []
    const behaved = run({
      exitCode: 1,
      outputs: compared.outputs,
      summary: (compared.summary ?? []).join('\n'),
      commands: (kind) => (kind === 'error' ? ['::error::x'] : []),
    })
    expect(checkCase(compared, behaved, 0)).toEqual([])
    const swapped = (compared.summary ?? []).slice(2)
    const problems = checkCase(
      compared,
      { ...behaved, summary: [second, first, ...swapped].join('\n') },
      0,
    )
    expect(problems).toEqual([`the job summary lacks ${JSON.stringify(second)} where expected`])
  })

  it('names each way a run misbehaves, so the demo exits 1', () => {
    const problems = checkCase(
      clean,
      run({
        exitCode: 1,
        outputs: { 'scan-status': 'FAILED' },
        commands: (kind) => (kind === 'error' ? ['::error::x'] : []),
        summary: '',
        stderr: 'TypeError: boom',
      }),
      2,
    )
    expect(problems).toEqual([
      'exit code 1, expected 0',
      'output scan-status is "FAILED", expected "COMPLETE"',
      'output scan-started is undefined, expected "true"',
      'output findings-total is undefined, expected "0"',
      '1 ::error:: lines, expected 0',
      '2 StartImageScan requests, expected 1',
      'no job summary',
      'stderr is not empty: TypeError: boom',
    ])
  })
})
