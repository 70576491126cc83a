// Several images and multi-arch indexes in one step: the committed bundle against our emulator,
// whose request log shows every call and every throttling answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { runAction } from './helpers/run-action.js'

let emulator: Emulator
const env = () => ({ AWS_ENDPOINT_URL_ECR: emulator.url, AWS_REGION: 'us-east-1' })
const scans = () => emulator.requests().filter((entry) => entry.operation === 'StartImageScan')

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(async () => {
  await emulator?.close()
})
beforeEach(() => {
  emulator.reset()
})

const HIGH = {
  name: 'CVE-2026-0001',
  severity: 'HIGH' as const,
  attributes: [{ key: 'package_name', value: 'zlib' }],
}

describe('multi-arch images', () => {
  it('scans each platform of an index, skipping its attestation, and reports each', async () => {
    const index = emulator.putImageIndex({
      repositoryName: 'team/api',
      tag: 'v1',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
      attestation: true,
    })
    emulator.setScanProfile({ repositoryName: 'team/api' }, { durationMs: 300, findings: [HIGH] })
    const run = await runAction({ repository: 'team/api', 'image-tag': 'v1' }, { env: env() })
    expect(run.exitCode).toBe(0)
    const scanned = scans().map(
      (entry) => (entry.body as { imageId: { imageDigest: string } }).imageId.imageDigest,
    )
    expect(scanned.sort()).toEqual([...index.childDigests].sort())
    expect(scanned).not.toContain(index.imageDigest)
    expect(run.outputs['image-digest']).toBe(index.imageDigest)
    expect(run.outputs.high).toBe('2')
    const results = JSON.parse(run.outputs.results ?? '[]') as Record<string, string>[]
    expect(results.map((entry) => entry.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(results.every((entry) => entry['index-digest'] === index.imageDigest)).toBe(true)
    expect(run.summary).toContain('team/api:v1 (linux/arm64)')
  })

  it('scans only the platforms asked for', async () => {
    emulator.putImageIndex({
      repositoryName: 'team/api',
      tag: 'v1',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    })
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'v1', platforms: 'linux/arm64' },
      { env: env() },
    )
    expect(run.exitCode).toBe(0)
    expect(scans()).toHaveLength(1)
    expect(JSON.parse(run.outputs.results ?? '[]')).toEqual([
      expect.objectContaining({ platform: 'linux/arm64' }),
    ])
  })
})

describe('several images in one step', () => {
  it('scans every tag, aggregates the outputs and fails on the one over the threshold', async () => {
    for (const tag of ['a', 'b', 'c', 'd']) {
      emulator.putImage({
        repositoryName: 'team/api',
        tag,
        scanProfile: { durationMs: 200, findings: tag === 'c' ? [HIGH] : [] },
      })
    }
    const run = await runAction(
      { repository: 'team/api', 'image-tag': 'a\nb\nc\nd', 'fail-on-severity': 'high' },
      { env: env() },
    )
    expect(run.exitCode).toBe(1)
    expect(scans()).toHaveLength(4)
    expect(run.outputs).toMatchObject({
      'findings-total': '1',
      high: '1',
      'threshold-exceeded': 'true',
      'scan-status': 'COMPLETE',
    })
    expect(JSON.parse(run.outputs.results ?? '[]')).toHaveLength(4)
    expect(run.commands('error')).toEqual([
      expect.stringContaining('1 of 4 images failed. team/api:c: 1 finding at or above HIGH'),
    ])
    expect(run.summary).toContain('ECR image scan: 4 images')
  })

  it('stays under requests-per-second and asks the registry scan type once', async () => {
    const tags = Array.from({ length: 16 }, (_, i) => `t${i}`)
    for (const tag of tags)
      emulator.putImage({ repositoryName: 'team/api', tag, scanProfile: { durationMs: 100 } })
    // ECR's own limit, at twice the action's, judges each request as it arrives: sixteen images
    // at once would burst far over it, a limited run stays under it however its requests are
    // spread in time. The limiter's exact rate is rate-limit.test.ts's, on a virtual clock.
    emulator.setRateLimit(20)
    const run = await runAction(
      { repository: 'team/api', 'image-tag': tags.join('\n'), 'requests-per-second': '10' },
      { env: env() },
    )
    expect(run.exitCode).toBe(0)
    expect(scans()).toHaveLength(16)
    const log = emulator.requests()
    expect(
      log.filter((entry) => entry.operation === 'GetRegistryScanningConfiguration'),
    ).toHaveLength(1)
    expect(log.filter((entry) => entry.fault === 'rate-limit')).toEqual([])
    expect(run.stdout).not.toMatch(/ECR throttled/)
  })

  it('slows down on throttling instead of failing', async () => {
    const tags = Array.from({ length: 10 }, (_, i) => `t${i}`)
    for (const tag of tags)
      emulator.putImage({ repositoryName: 'team/api', tag, scanProfile: { durationMs: 100 } })
    emulator.setRateLimit(4)
    const run = await runAction(
      { repository: 'team/api', 'image-tag': tags.join('\n'), 'requests-per-second': '20' },
      { env: env(), timeoutMs: 60_000 },
    )
    expect(emulator.requests().some((entry) => entry.errorName === 'ThrottlingException')).toBe(
      true,
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs['scan-status']).toBe('COMPLETE')
    expect(run.stdout).toMatch(/ECR throttled \d+ requests; the action slowed down/)
  }, 60_000)
})
