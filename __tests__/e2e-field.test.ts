// What real registries do, through the bundled action on Node 24 against the emulator, as the
// runner runs it: what the step prints, outputs and error line included.
import { describe, expect, it } from '@jest/globals'
import type { EnhancedFinding } from '../tools/emulator/index.ts'
import { withEmulator } from './helpers/emulator.js'
import { emulatorEnv, expectFailure } from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

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

/** Resolves once the action has polled the scan: it is then sleeping until the next poll. */
async function polled(): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!emulator.requests().some((r) => r.operation === 'DescribeImageScanFindings')) {
    if (Date.now() > deadline) throw new Error('the action never polled')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
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
    const run = await runAction(image, {
      env: emulatorEnv(emulator),
      onStart: (child) => void polled().then(() => child.kill('SIGINT')),
    })
    expectFailure(run, /cancelled while waiting .*its last status was IN_PROGRESS/)
    expect(run.outputs['scan-status']).toBe('IN_PROGRESS')
  })
})

describe('enhanced findings settle before they are counted', () => {
  it('counts 48 findings, not the empty COMPLETE or the first 30, and fails on 2 CRITICAL', async () => {
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({
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
    const run = await runAction(
      { ...image, 'fail-on-severity': 'critical' },
      { env: emulatorEnv(emulator) },
    )
    expectFailure(run, /2 findings at or above CRITICAL/)
    expect(run.outputs).toMatchObject({ 'findings-total': '48', critical: '2', high: '46' })
    expect(run.stdout).toContain('until two reads agree')
    expect(run.stdout).toContain('Findings settled')
  }, 60_000)
})
