// compare-to through the bundled action against the emulator: the push is judged on what it adds
// to the image in production, platform by platform, and the baseline is only ever read.
import { describe, expect, it } from '@jest/globals'
import type { EnhancedFinding, Emulator } from '../tools/emulator/index.ts'
import { withEmulator } from './helpers/emulator.js'
import { basicFinding, emulatorEnv, expectFailure, expectSettled } from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

const { emulator } = withEmulator()
const push = { repository: 'team/api', 'image-tag': 'v2', 'compare-to': 'production' }
const HIGHS = [
  basicFinding('CVE-2026-0001', 'HIGH', 'zlib'),
  basicFinding('CVE-2026-0002', 'HIGH', 'curl'),
]

/** `production`, scanned an hour ago with these findings, and `v2`, whose scan gives its own. */
function images(
  production: ReturnType<typeof basicFinding>[],
  v2: ReturnType<typeof basicFinding>[],
) {
  const baseline = emulator.putImage({
    repositoryName: 'team/api',
    tag: 'production',
    scannedAt: emulator.now() - 3_600_000,
    scanProfile: { durationMs: 0, findings: production },
  })
  emulator.putImage({
    repositoryName: 'team/api',
    tag: 'v2',
    scanProfile: { durationMs: 0, findings: v2 },
  })
  return baseline
}

/** Every StartImageScan names only the pushed image, never the baseline. */
function expectBaselineNeverScanned(em: Emulator, ...baselineDigests: string[]): void {
  const starts = em.requests().filter((r) => r.operation === 'StartImageScan')
  for (const start of starts) {
    const digest = (start.body as { imageId?: { imageDigest?: string } }).imageId?.imageDigest
    expect(baselineDigests).not.toContain(digest)
  }
}

describe('compare-to', () => {
  it('fails on the CRITICAL this push adds to a baseline with HIGHs, and names it', async () => {
    const baseline = images(HIGHS, [...HIGHS, basicFinding('CVE-2026-0100', 'CRITICAL', 'openssl')])
    const run = await runAction(
      { ...push, 'only-new': 'true', 'fail-on-severity': 'high' },
      { env: emulatorEnv(emulator) },
    )
    expectFailure(run, /1 new finding at or above HIGH in team\/api:v2 \(1 CRITICAL\)/)
    expect(run.outputs).toMatchObject({
      'new-findings': '1',
      'fixed-findings': '0',
      'baseline-digest': baseline,
      'findings-total': '3',
    })
    expect(run.stdout).toContain(
      `Baseline team/api:production (${baseline}): 2 findings to compare with.`,
    )
    expectBaselineNeverScanned(emulator, baseline)
  })

  it('passes a push that only keeps what production has, with only-new', async () => {
    const baseline = images(HIGHS, [HIGHS[0] as ReturnType<typeof basicFinding>])
    const run = await runAction(
      { ...push, 'only-new': 'true', 'fail-on-severity': 'high' },
      { env: emulatorEnv(emulator) },
    )
    expectSettled(run)
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'new-findings': '0', 'fixed-findings': '1', high: '1' })
    expectBaselineNeverScanned(emulator, baseline)
  })

  it('warns about a baseline that was never scanned, and only-new then counts every finding', async () => {
    const baseline = emulator.putImage({ repositoryName: 'team/api', tag: 'production' })
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v2',
      scanProfile: { durationMs: 0, findings: HIGHS },
    })
    const run = await runAction(
      { ...push, 'only-new': 'true', 'fail-on-severity': 'high' },
      { env: emulatorEnv(emulator) },
    )
    expectFailure(run, /2 findings at or above HIGH in team\/api:v2/)
    expect(run.commands('warning')).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'The baseline team/api:production was not compared: ECR has no scan of it. new-findings and fixed-findings stay empty; only-new considers every finding instead.',
        ),
      ]),
    )
    expect(run.outputs['new-findings']).toBeUndefined()
    expect(run.outputs['baseline-digest']).toBe(baseline)
    expectBaselineNeverScanned(emulator, baseline)
  })

  it('compares a multi-arch pair platform by platform; a platform production lacks is all new', async () => {
    const production = emulator.putImageIndex({
      repositoryName: 'team/api',
      tag: 'production',
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      attestation: true,
    })
    const [prodAmd64 = ''] = production.childDigests
    emulator.setScanProfile(
      { repositoryName: 'team/api', imageDigest: prodAmd64 },
      { durationMs: 0, findings: HIGHS },
    )
    emulator.markScanned('team/api', prodAmd64, emulator.now() - 3_600_000)
    const pushed = emulator.putImageIndex({
      repositoryName: 'team/api',
      tag: 'v2',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
      attestation: true,
    })
    for (const digest of pushed.childDigests) {
      emulator.setScanProfile(
        { repositoryName: 'team/api', imageDigest: digest },
        { durationMs: 0, findings: HIGHS },
      )
    }
    const run = await runAction(push, { env: emulatorEnv(emulator) })
    expectSettled(run)
    expect(run.exitCode).toBe(0)
    const results = JSON.parse(run.outputs.results ?? '[]') as Record<string, string>[]
    expect(results.map((r) => [r.platform, r['new-findings'], r['baseline-digest']])).toEqual([
      ['linux/amd64', '0', production.imageDigest],
      ['linux/arm64', '2', production.imageDigest],
    ])
    expect(run.outputs['new-findings']).toBe('2')
    expectBaselineNeverScanned(emulator, production.imageDigest, ...production.childDigests)
    // Both platforms compare with one baseline, resolved once and its index read once.
    const named = (operation: string, what: string) =>
      emulator
        .requests()
        .filter((r) => r.operation === operation && JSON.stringify(r.body).includes(what))
    expect(named('DescribeImages', '"production"')).toHaveLength(1)
    expect(named('BatchGetImage', production.imageDigest)).toHaveLength(1)
  })

  it('fails on a LOW with a known exploit, with fail-on-exploitable', async () => {
    emulator.setRegistryScanType('ENHANCED')
    const exploitable: EnhancedFinding = {
      severity: 'LOW',
      findingArn: 'arn:aws:inspector2:us-east-1:123456789012:finding/exploit',
      exploitAvailable: 'YES',
      packageVulnerabilityDetails: {
        vulnerabilityId: 'CVE-2026-7777',
        vulnerablePackages: [{ name: 'bash', version: '5.2' }],
      },
    }
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'v2',
      scanProfile: { durationMs: 0, enhancedFindings: [exploitable] },
    })
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v2', 'fail-on-exploitable': 'true' },
      { env: emulatorEnv(emulator) },
    )
    expectFailure(run, /1 finding in team\/api:v2 has a known exploit: CVE-2026-7777 \(bash, LOW\)/)
    expect(run.outputs).toMatchObject({ exploitable: '1', low: '1' })
  }, 60_000)

  it('costs the baseline’s reads and nothing more: no scan, no extra poll of the pushed image', async () => {
    const baseline = images(HIGHS, HIGHS)
    const count = () => {
      const counts: Record<string, number> = {}
      for (const { operation } of emulator.requests())
        counts[operation] = (counts[operation] ?? 0) + 1
      return counts
    }
    const alone = await runAction(
      { repository: 'team/api', 'image-tag': 'v2' },
      { env: emulatorEnv(emulator) },
    )
    expect(alone.exitCode).toBe(0)
    const without = count()
    emulator.clearLog()
    emulator.reset()
    images(HIGHS, HIGHS)
    const compared = await runAction(push, { env: emulatorEnv(emulator) })
    expect(compared.exitCode).toBe(0)
    const withBaseline = count()
    // One DescribeImages and one page of findings for the baseline; the same for the rest.
    expect(withBaseline).toEqual({
      ...without,
      DescribeImages: (without.DescribeImages ?? 0) + 1,
      DescribeImageScanFindings: (without.DescribeImageScanFindings ?? 0) + 1,
    })
    expectBaselineNeverScanned(emulator, baseline)
  })
})
