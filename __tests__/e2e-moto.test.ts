// The committed bundle, run on Node 24 as the runner runs it, against moto through a proxy that
// records every AWS request.
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals'
import {
  PutRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ecrClientFor } from './helpers/emulator.js'
import { describeWithMoto, startMoto, type Moto } from './helpers/moto.js'
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js'
import { runAction, runAndSignal, waitForLine } from './helpers/run-action.js'
import { seedImage } from '../tools/seed-moto.ts'

describeWithMoto('the bundled action against moto', () => {
  let moto: Moto
  let proxy: RecordingProxy
  let ecr: ECRClient
  let digest: string

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startRecordingProxy(moto.url)
    ecr = ecrClientFor(moto.url)
  }, 30_000)

  afterAll(async () => {
    ecr?.destroy()
    await proxy?.close()
    await moto?.stop()
  })

  beforeEach(async () => {
    await moto.reset()
    digest = await seedImage(moto.url)
    proxy.clear()
  })

  const env = () => ({ AWS_ENDPOINT_URL_ECR: proxy.url })

  /** Queues DescribeImageScanFindings answers in moto for the image. */
  async function queueScanResult(result: object): Promise<void> {
    const response = await fetch(`${moto.url}/moto-api/static/ecr/scan-finding-results`, {
      method: 'POST',
      body: JSON.stringify({
        region: 'us-east-1',
        results: [
          {
            registryId: '123456789012',
            repositoryName: 'team/api',
            imageId: { imageDigest: digest },
            ...result,
          },
        ],
      }),
    })
    expect(response.status).toBe(201)
  }

  it('scans an image, sets every output and writes the summary', async () => {
    const run = await runAction({ repository: 'team/api', 'image-tag': 'v1' }, { env: env() })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      'scan-status': 'COMPLETE',
      'scan-started': 'true',
      'limit-exceeded': 'false',
      'scan-type': 'BASIC',
      'registry-id': '123456789012',
      repository: 'team/api',
      'image-tag': 'v1',
      'image-digest': digest,
      'findings-total': '1',
      high: '1',
      critical: '0',
      'severity-counts': '{"HIGH":1}',
    })
    // No fail-on-severity: neither a threshold nor a verdict answers a question nobody asked.
    expect(run.outputs).not.toHaveProperty('threshold-exceeded')
    expect(run.outputs).not.toHaveProperty('verdict')
    expect(run.outputs['console-url']).toContain(`/team/api/_/image/${digest}/`)
    expect(run.summary).toContain('CVE-9999-9999')
    expect(run.summary).toContain('started by this run')
    // The registry's scan type is asked while DescribeImages runs: either may arrive first.
    expect(proxy.operations.slice(0, 2).sort()).toEqual([
      'DescribeImages',
      'GetRegistryScanningConfiguration',
    ])
    expect(proxy.operations.slice(2)).toEqual(['StartImageScan', 'DescribeImageScanFindings'])
  })

  it('sends one StartImageScan when the quota is used up, warns and reports the existing scan', async () => {
    expect(
      (await runAction({ repository: 'team/api', 'image-tag': 'v1' }, { env: env() })).exitCode,
    ).toBe(0)
    proxy.clear()
    const run = await runAction({ repository: 'team/api', 'image-digest': digest }, { env: env() })
    expect(proxy.count('StartImageScan')).toBe(1)
    expect(run.exitCode).toBe(0)
    const quota = run.commands('warning').filter((line) => !line.startsWith('::warning title='))
    expect(quota).toHaveLength(1)
    expect(quota[0]).toContain('scan quota')
    expect(run.outputs).toMatchObject({
      'limit-exceeded': 'true',
      'scan-started': 'false',
      'scan-status': 'COMPLETE',
      high: '1',
    })
    expect(run.summary).toContain('reused: the 24-hour scan quota')
  })

  it('fails on the quota with on-limit-exceeded: fail, still writing outputs and summary', async () => {
    await runAction({ repository: 'team/api', 'image-tag': 'v1' }, { env: env() })
    proxy.clear()
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1', 'on-limit-exceeded': 'fail' },
      { env: env() },
    )
    expect(run.exitCode).toBe(1)
    expect(proxy.count('StartImageScan')).toBe(1)
    expect(run.commands('error')).toEqual([
      expect.stringMatching(
        /^::error::ECR's scan quota for team\/api:v1 is used up .*on-limit-exceeded: warn/,
      ),
    ])
    expect(run.outputs).toMatchObject({ 'limit-exceeded': 'true', 'image-digest': digest })
    expect(run.summary).toContain('## ❌')
  })

  it('stops a stuck scan at wait-timeout', async () => {
    await queueScanResult({ imageScanStatus: { status: 'IN_PROGRESS' } })
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1', 'wait-timeout': '4' },
      { env: env() },
    )
    // wait-timeout is a promise ("never past wait-timeout"): 4 s, plus start-up and the requests
    // before the scan starts, with room for a busy machine.
    expect(run.durationMs).toBeLessThan(4_000 + 8_000)
    expect(run.exitCode).toBe(1)
    expect(run.commands('error')).toEqual([
      expect.stringContaining('did not finish within wait-timeout (4 s'),
    ])
    expect(run.outputs).toMatchObject({ 'scan-status': 'IN_PROGRESS', 'scan-started': 'true' })
    // Polled at 2 s (a scan just started is not polled at once); the deadline comes at 4 s.
    expect(proxy.count('DescribeImageScanFindings')).toBeGreaterThanOrEqual(1)
  })

  it('reports an ENHANCED registry without calling StartImageScan', async () => {
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [] }))
    // moto answers ScanNotFound for an image it never scanned, whatever the registry's scan type.
    await ecr.send(
      new StartImageScanCommand({ repositoryName: 'team/api', imageId: { imageDigest: digest } }),
    )
    await queueScanResult({
      imageScanStatus: { status: 'ACTIVE', description: 'Continuous scan is selected for image.' },
      imageScanFindings: {
        findingSeverityCounts: { CRITICAL: 1, UNTRIAGED: 1 },
        enhancedFindings: [
          {
            severity: 'CRITICAL',
            title: 'CVE-2024-0001 - openssl',
            packageVulnerabilityDetails: {
              vulnerabilityId: 'CVE-2024-0001',
              vulnerablePackages: [{ name: 'openssl', version: '3.0.1', fixedInVersion: '3.0.2' }],
            },
          },
        ],
      },
    })
    proxy.clear()
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1', 'fail-on-severity': 'critical' },
      { env: env() },
    )
    expect(proxy.count('StartImageScan')).toBe(0)
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({
      'scan-type': 'ENHANCED',
      'scan-status': 'ACTIVE',
      'scan-started': 'false',
      critical: '1',
      undefined: '1',
      'threshold-exceeded': 'true',
    })
    expect(run.commands('error')).toEqual([
      expect.stringContaining('1 finding at or above CRITICAL'),
    ])
    expect(run.summary).toContain('openssl')
    expect(run.summary).toContain('3.0.2')
  })

  it('fails on fail-on-severity with outputs and summary written', async () => {
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1', 'fail-on-severity': 'HIGH' },
      { env: env() },
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs['threshold-exceeded']).toBe('true')
    expect(run.outputs.high).toBe('1')
    expect(run.summary).toContain('CVE-9999-9999')
    expect(run.stdout.trim().split('\n').pop()).toMatch(/^::error::1 finding at or above HIGH/)
  })

  it('names a repository that does not exist', async () => {
    const run = await runAction({ repository: 'team/nope', 'image-tag': 'v1' }, { env: env() })
    expect(run.exitCode).toBe(1)
    expect(run.commands('error')).toEqual([
      expect.stringContaining(
        "Repository 'team/nope' does not exist in the caller's own registry in region us-east-1",
      ),
    ])
    expect(run.outputs.repository).toBe('team/nope')
  })

  it('never prints the secret key or session token, even with debug logging', async () => {
    const secrets = {
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-SECRET-1234',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr-TOKEN-5678',
    }
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1' },
      { env: { ...env(), ...secrets, RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' } },
    )
    expect(run.exitCode).toBe(0)
    const everything = run.stdout + run.stderr + JSON.stringify(run.outputs) + run.summary
    for (const secret of Object.values(secrets)) {
      expect(everything.replace(`::add-mask::${secret}`, '')).not.toContain(secret)
    }
  })

  it('ends before the runner would kill it after SIGTERM while waiting, with outputs and summary', async () => {
    await queueScanResult({ imageScanStatus: { status: 'IN_PROGRESS' } })
    const started = waitForLine(/^Scan started: IN_PROGRESS\b/)
    const { run, exitMs } = await runAndSignal(
      { repository: 'team/api', 'image-tag': 'v1' },
      { env: env(), onStdout: started.onStdout },
      'SIGTERM',
      started.line,
    )
    // The runner's SIGKILL comes 2.5 s after SIGTERM; the outputs must be written before it.
    expect(exitMs).toBeLessThan(2_500)
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ 'scan-started': 'true', 'scan-status': 'IN_PROGRESS' })
    expect(run.commands('error')).toEqual([expect.stringContaining('cancelled while waiting')])
    expect(run.summary).toContain('team/api:v1')
  })

  it('applies an ignore-file and writes the findings file, the SARIF file and annotations', async () => {
    await queueScanResult({
      imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindings: {
        findingSeverityCounts: { CRITICAL: 1, HIGH: 2 },
        findings: [
          {
            name: 'CVE-2024-0001',
            severity: 'CRITICAL',
            uri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001',
            attributes: [
              { key: 'package_name', value: 'openssl' },
              { key: 'package_version', value: '3.0.1' },
            ],
          },
          { name: 'CVE-2024-0002', severity: 'HIGH', attributes: [] },
          { name: 'CVE-2024-0003', severity: 'HIGH', attributes: [] },
        ],
      },
    })
    const workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM debian:12\n')
    writeFileSync(
      join(workspace, 'ecr-ignore.yml'),
      [
        '- id: CVE-2024-0001',
        '  reason: openssl is not reachable',
        '  package: openssl',
        '- id: CVE-2024-0002',
        '  reason: expired exception',
        '  expires: 2020-01-01',
        '- id: CVE-1999-0404',
        '  reason: stale entry',
      ].join('\n'),
    )
    const run = await runAction(
      {
        repository: 'team/api',
        'image-tag': 'v1',
        'ignore-file': 'ecr-ignore.yml',
        'sarif-file': 'out/ecr.sarif',
        'fail-on-severity': 'critical',
      },
      { env: { ...env(), GITHUB_WORKSPACE: workspace }, keepTempDir: true },
    )
    expect(run.exitCode).toBe(0) // the only CRITICAL finding is ignored
    expect(run.outputs).toMatchObject({
      critical: '0',
      high: '2', // the expired entry no longer ignores CVE-2024-0002
      'findings-total': '2',
      ignored: '1',
      'severity-counts': '{"CRITICAL":1,"HIGH":2}',
      'threshold-exceeded': 'false',
      'sarif-file': join(workspace, 'out/ecr.sarif'),
    })
    const warnings = run.commands('warning')
    expect(warnings[0]).toContain('CVE-2024-0002 (ecr-ignore.yml entry 2) expired on 2020-01-01')
    expect(warnings.filter((line) => line.startsWith('::warning title=HIGH'))).toEqual([
      expect.stringMatching(/::CVE-2024-0002 \(HIGH\), fixed version not known — team\/api:v1$/),
      expect.stringMatching(/::CVE-2024-0003 \(HIGH\), fixed version not known — team\/api:v1$/),
    ])
    expect(run.summary).toContain('1 ignored finding')
    expect(run.summary).toContain('openssl is not reachable')
    expect(run.summary).toContain('These ignore entries matched no finding')
    expect(run.summary).toContain('CVE-1999-0404')

    const findingsFile = JSON.parse(readFileSync(run.outputs['findings-file']!, 'utf8'))
    expect(run.outputs['findings-file']!.startsWith(run.tempDir)).toBe(true)
    expect(findingsFile.images[0].findings.map((f: { id: string }) => f.id)).toEqual([
      'CVE-2024-0002',
      'CVE-2024-0003',
    ])
    expect(findingsFile.images[0].ignored[0].ignoredBy.reason).toBe('openssl is not reachable')

    const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8'))
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'CVE-2024-0002',
      'CVE-2024-0003',
    ])
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'Dockerfile',
    )
  })
})
