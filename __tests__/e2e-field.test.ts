// What real registries do, through the bundled action on Node 24 against the emulator, as the
// runner runs it: what the step prints, outputs and error line included.
import { describe, expect, it } from '@jest/globals'
import { ManualClock, startEmulator, type EnhancedFinding } from '../tools/emulator/index.ts'
import { realJson, realFindingsFiles } from '../__fixtures__/realdata.js'
import { withEmulator } from './helpers/emulator.js'
import { answered, emulatorEnv, expectFailure } from './helpers/reliability.js'
import { runAction, waitForLine } from './helpers/run-action.js'

const { emulator } = withEmulator()
const image = { repository: 'team/api', 'image-tag': 'v1' }

function enhancedFindings(from: number, count: number, critical: number): EnhancedFinding[] {
  return Array.from({ length: count }, (_, i) => ({
    severity: i < critical ? 'CRITICAL' : 'HIGH',
    findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${from + i}`,
    packageVulnerabilityDetails: {
      vulnerabilityId: `CVE-2026-${String(from + i).padStart(4, '0')}`,
      vulnerablePackages: [{ name: 'openssl', version: '3.0.1' }],
    },
  }))
}

describe('what the wait saw is what the step reports', () => {
  // Scanned today (the quota error), and that scan is still running.
  const scannedToday = () =>
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scannedAt: emulator.now() - 60_000,
      scanProfile: { durationMs: 3_600_000 },
    })

  it('reports IN_PROGRESS after the quota error and a timeout', async () => {
    scannedToday()
    const run = await runAction({ ...image, 'wait-timeout': '5' }, { env: emulatorEnv(emulator) })
    expectFailure(
      run,
      /did not finish within wait-timeout \(5 s\); its last status was IN_PROGRESS/,
    )
    expect(run.commands('error')[0]).not.toContain('none')
    expect(run.outputs).toMatchObject({
      'scan-status': 'IN_PROGRESS',
      'limit-exceeded': 'true',
      'scan-started': 'false',
    })
    expect(JSON.parse(run.outputs.results ?? '[]')[0]).toMatchObject({
      'scan-status': 'IN_PROGRESS',
    })
    expect(run.summary).toContain('IN_PROGRESS')
  })

  it('reports IN_PROGRESS when the job is cancelled after the quota error', async () => {
    scannedToday()
    // Once the action has logged the status its poll saw, it is sleeping until the next poll.
    const polled = waitForLine(/Scan status: IN_PROGRESS\b/)
    const run = await runAction(image, {
      env: emulatorEnv(emulator),
      onStdout: polled.onStdout,
      onStart: (child) => void polled.line.then(() => child.kill('SIGINT')),
    })
    expectFailure(run, /cancelled while waiting .*its last status was IN_PROGRESS/)
    expect(run.outputs['scan-status']).toBe('IN_PROGRESS')
  })
})

describe('enhanced findings settle before they are counted', () => {
  it('counts 48 findings, not the empty COMPLETE or the first 30, and fails on 2 CRITICAL', async () => {
    // The findings arrive on an emulator clock that moves 3 s with each read the action makes,
    // so every read sees the next stage however fast or slow this machine is: empty, 30, 48, 48.
    const clock = new ManualClock()
    const inspector = await startEmulator({ clock })
    inspector.onAnswered((entry) => {
      if (entry.operation === 'DescribeImageScanFindings') clock.advance(3_000)
    })
    inspector.setRegistryScanType('ENHANCED')
    inspector.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scanProfile: {
        durationMs: 0,
        outcome: 'COMPLETE',
        lateFindings: [
          { afterMs: 2_500, enhancedFindings: enhancedFindings(0, 30, 1) },
          { afterMs: 5_000, enhancedFindings: enhancedFindings(30, 18, 1) },
        ],
      },
    })
    try {
      const run = await runAction(
        { ...image, 'fail-on-severity': 'critical' },
        { env: emulatorEnv(inspector) },
      )
      expectFailure(run, /2 findings at or above CRITICAL/)
      expect(run.outputs).toMatchObject({ 'findings-total': '48', critical: '2', high: '46' })
      expect(run.stdout).toContain('until two reads agree')
      expect(run.stdout).toMatch(/Findings still arriving: .*30/)
      expect(run.stdout).toContain('Findings settled')
    } finally {
      await inspector.close()
    }
  }, 60_000)
})

describe('statuses the action has never seen', () => {
  it('polls one until wait-timeout, then quotes it and its description', async () => {
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scanProfile: { durationMs: 0, outcome: 'IMAGE_QUARANTINED', description: 'Held for review.' },
    })
    const run = await runAction({ ...image, 'wait-timeout': '4' }, { env: emulatorEnv(emulator) })
    expectFailure(
      run,
      /ECR last answered IMAGE_QUARANTINED \(Held for review\), a status this action does not know/,
    )
    expect(run.outputs).toMatchObject({
      'scan-status': 'IMAGE_QUARANTINED',
      'scan-status-description': 'Held for review.',
    })
  })
})

describe("the registry's scanning rules are read, not guessed", () => {
  const prodOnly = {
    rules: [
      {
        scanFrequency: 'CONTINUOUS_SCAN' as const,
        repositoryFilters: [{ filter: 'prod*', filterType: 'WILDCARD' as const }],
      },
    ],
  }

  it('fails within seconds when no enhanced rule covers the repository', async () => {
    emulator.setRegistryScanType('ENHANCED', prodOnly)
    emulator.putImage({ repositoryName: 'tools/builder', tag: 'v1' })
    const run = await runAction(
      { repository: 'tools/builder', 'image-tag': 'v1' },
      { env: emulatorEnv(emulator) },
    )
    const error = expectFailure(
      run,
      /^::error::No scan exists for tools\/builder:v1, and none will/,
      /none of its scanning rules covers the repository \(filters: prod\*\)/,
      /Under enhanced scanning ECR takes no manual scans/,
    )
    expect(error).not.toMatch(/[{}]/)
    // "Within seconds" is the promise: without the rules read, the step would poll until
    // wait-timeout (600 s) for a scan that never comes. Generous, for a busy machine.
    expect(run.durationMs).toBeLessThan(20_000)
    expect(emulator.requests().map((r) => r.operation)).not.toContain('DescribeImageScanFindings')
    expect(run.summary).toContain('manual: no scanning rule of the registry covers the repository')
  })

  it('reports the frequency a covering rule gives', async () => {
    emulator.setRegistryScanType('ENHANCED', prodOnly)
    emulator.putImage({
      repositoryName: 'prod-api',
      tag: 'v1',
      scanProfile: { durationMs: 0, enhancedFindings: enhancedFindings(0, 1, 0) },
    })
    const run = await runAction(
      { repository: 'prod-api', 'image-tag': 'v1' },
      { env: emulatorEnv(emulator) },
    )
    expect(run.commands('error')).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.summary).toContain('continuous scanning (registry scanning rule)')
    expect(run.outputs['scan-status']).toBe('ACTIVE')
  })
})

describe('least privilege: reading works without ecr:StartImageScan', () => {
  it('warns once and reports the scan that scan on push made', async () => {
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v1',
      scannedAt: emulator.now() - 60_000,
      scanResponse: realJson('findings/basic-clair-alpine-complete-workshop.json'),
    })
    emulator.injectFault({ kind: 'access-denied', operation: 'StartImageScan' })
    const run = await runAction(image, { env: emulatorEnv(emulator) })
    expect(run.commands('error')).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(
      run.commands('warning').filter((line) => line.includes('ecr:StartImageScan')),
    ).toHaveLength(1)
    expect(run.outputs).toMatchObject({
      'scan-started': 'false',
      'scan-status': 'COMPLETE',
      'findings-total': '4',
    })
  })

  it('fails with the IAM advice when no scan exists either', async () => {
    emulator.putImage({ repositoryName: 'team/api', tag: 'v1' })
    emulator.injectFault({ kind: 'access-denied', operation: 'StartImageScan' })
    const run = await runAction(image, { env: emulatorEnv(emulator) })
    expectFailure(run, /IAM denied ecr:StartImageScan/, /Allow ecr:StartImageScan/)
    // One look for an existing scan, then the failure: no polling until wait-timeout (600 s)
    // for a scan nobody could start.
    expect(answered(emulator, 'DescribeImageScanFindings')).toHaveLength(1)
  })
})

describe('"No scan exists" and other failures name their cause', () => {
  it("in another account's enhanced registry, suggests a role there", async () => {
    emulator.setRegistryScanType('ENHANCED', { registryId: '210987654321' })
    emulator.putImage({ registryId: '210987654321', repositoryName: 'base/runtime', tag: 'v1' })
    const run = await runAction(
      {
        repository: 'base/runtime',
        'image-tag': 'v1',
        'registry-id': '210987654321',
        'wait-timeout': '3',
      },
      { env: emulatorEnv(emulator) },
    )
    expectFailure(
      run,
      /another account's registry \(210987654321\)/,
      /a role in account 210987654321/,
    )
  })

  it('names a host that does not resolve and the setting it comes from', async () => {
    const run = await runAction(image, {
      env: { AWS_ENDPOINT_URL_ECR: 'http://ecr.typo.invalid:4566' },
    })
    const error = expectFailure(run, /The host ecr\.typo\.invalid could not be found/)
    expect(error).toContain('AWS_ENDPOINT_URL_ECR')
    expect(error).not.toContain('temporary')
  })
})

describe('the real ECR answers, replayed through the action', () => {
  const tagOf = (file: string) =>
    file
      .replace(/^findings\//, '')
      .replace(/\.json$/, '')
      .slice(0, 100)
  const results = (outputs: Record<string, string>) =>
    Object.fromEntries(
      (JSON.parse(outputs.results ?? '[]') as Record<string, string>[]).map((entry) => [
        entry['image-tag'],
        entry,
      ]),
    )

  it('basic answers: counts, statuses, and no placeholder or stray space reaches the report', async () => {
    const files = realFindingsFiles().filter(
      (file) => file.startsWith('findings/basic-c') || file.includes('basic-failed'),
    )
    for (const file of files) {
      emulator.putImage({
        repositoryName: 'team/api',
        tag: tagOf(file),
        scannedAt: emulator.now() - 60_000,
        scanResponse: realJson(file),
      })
    }
    const run = await runAction(
      {
        repository: 'team/api',
        'image-tag': files.map(tagOf).join('\n'),
        'on-limit-exceeded': 'ignore',
        'on-scan-failure': 'warn',
      },
      { env: emulatorEnv(emulator) },
    )
    expect(run.commands('error')).toEqual([])
    expect(run.exitCode).toBe(0)
    const byTag = results(run.outputs)
    expect(byTag['basic-clair-alpine-complete-workshop']).toMatchObject({
      'scan-status': 'COMPLETE',
      'findings-total': '4',
      medium: '3',
      low: '1',
    })
    expect(byTag['basic-clair-ubuntu-complete-aws-example']).toMatchObject({
      'scan-status': 'COMPLETE',
      'findings-total': '1',
    })
    expect(byTag['basic-cvss3-debian-page1-nextToken-dynatrace']).toMatchObject({
      'findings-total': '715',
      critical: '6',
      informational: '353',
      undefined: '13',
    })
    expect(byTag['basic-failed-unsupported-scratch-workshop']).toMatchObject({
      'scan-status': 'FAILED',
    })
    expect(byTag['basic-failed-unsupported-scratch-workshop']?.['findings-total']).toBeUndefined()
    expect(run.stdout + run.summary).not.toMatch(/CVE-2023-45871 [<"|)]/)
  })

  // The empty and PENDING real answers need 15 s of settling or a wait-timeout to play out: they
  // are replayed on scanImage with virtual time (scan-field.test.ts) instead.
  it('enhanced answers: placeholders dropped, findings read once two reads agree', async () => {
    emulator.setRegistryScanType('ENHANCED')
    const files = [
      'findings/enhanced-active-debian-aws-apiref-example.json',
      'findings/enhanced-complete-debian-untriaged-moto.json',
    ]
    for (const file of files) {
      emulator.putImage({
        repositoryName: 'team/api',
        tag: tagOf(file),
        scanResponse: realJson(file),
      })
    }
    const run = await runAction(
      { repository: 'team/api', 'image-tag': files.map(tagOf).join('\n') },
      { env: emulatorEnv(emulator) },
    )
    expect(run.commands('error')).toEqual([])
    expect(run.exitCode).toBe(0)
    const byTag = results(run.outputs)
    expect(byTag['enhanced-active-debian-aws-apiref-example']).toMatchObject({
      'scan-status': 'ACTIVE',
      'findings-total': '1',
      high: '1',
    })
    expect(byTag['enhanced-complete-debian-untriaged-moto']).toMatchObject({
      'scan-status': 'COMPLETE',
      'findings-total': '2',
      medium: '1',
      undefined: '1',
    })
    expect(run.stdout).toContain('Findings settled')
    const report = run.stdout + run.summary
    expect(report).not.toMatch(/NotAvailable|None Provided|not yet assigned/)
  })
})
