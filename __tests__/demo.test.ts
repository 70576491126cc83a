// `npm run demo` and `npm run local` as a user runs them, and the pieces of their report.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CASES, checkCase } from '../tools/demo.ts'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { parseInputs } from '../tools/local.ts'
import { Masker, plain, renderLogLine, summaryToText } from '../tools/report.ts'
import { FAKE_CREDENTIALS, node24, type ActionRun } from '../tools/runner.ts'

function runTool(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(node24(), [script, ...args], { env: { PATH: process.env.PATH, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

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

describe('the readable report', () => {
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
      '✖ CAUTION: 1 finding in <script> | x.',
      '',
      'Open (https://example.com/?a=1&b=2)',
    ])
  })

  it('shows workflow commands as the runner does, and masks what it was told to mask', () => {
    const masker = new Masker()
    const lines = [
      '::add-mask::s3cret',
      '::warning::two%0Alines with s3cret',
      '::error file=a.ts,line=1::100%25 \u001b[31mred',
      'plain s3cret',
    ].map((line) => renderLogLine(line, masker, plain))
    expect(lines).toEqual([
      '(a secret is masked from here on: ***)',
      '⚠ warning: two\n    lines with ***',
      '✖ error (file=a.ts,line=1): 100% \\u001b[31mred',
      'plain ***',
    ])
  })
})

describe('npm run local', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator()
    emulator.putImage({ repositoryName: 'team/api', tag: 'v1', scanProfile: { durationMs: 0 } })
  })
  afterAll(async () => emulator.close())

  it('runs the bundle with the caller environment (here pointed at the emulator)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'local-'))
    const args = ['--out', home, 'repository=team/api', 'image-tag=v1']
    const local = await runTool('tools/local.ts', args, {
      ...FAKE_CREDENTIALS,
      HOME: home,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECR: emulator.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    })
    const written = readFileSync(join(home, 'local.md'), 'utf8')
    rmSync(home, { recursive: true, force: true })
    expect(local.code).toBe(0)
    expect(written).toMatch(/^## ✅ ECR image scan: <code>team\/api:v1<\/code>/)
    expect(local.stdout).toContain('Scan started: IN_PROGRESS.')
    expect(local.stdout).toMatch(/scan-status +COMPLETE/)
    expect(local.stdout).not.toContain(FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY)
    expect(emulator.requests().map((request) => request.operation)).toContain('StartImageScan')
  }, 30_000)

  it('takes inputs of action.yml as NAME=VALUE and refuses others', () => {
    expect(parseInputs(['repository=team/api', 'image-tag=a=b'])).toEqual({
      inputs: { repository: 'team/api', 'image-tag': 'a=b' },
    })
    expect(parseInputs(['repo=team/api'])).toEqual({
      error: "'repo' is not an input of action.yml",
    })
    expect(parseInputs(['repository'])).toEqual({ error: "'repository' is not NAME=VALUE" })
  })
})
