// A repository pattern over several repositories: the committed bundle against our emulator,
// whose request log shows what was listed, what was scanned and what was only read.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../tools/emulator/index.ts'
import { runAction } from './helpers/run-action.js'

let emulator: Emulator
const env = () => ({ AWS_ENDPOINT_URL_ECR: emulator.url, AWS_REGION: 'us-east-1' })
const calls = (operation: string) =>
  emulator.requests().filter((entry) => entry.operation === operation)
const scanned = () =>
  calls('StartImageScan').map((entry) => (entry.body as { repositoryName: string }).repositoryName)

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

describe('a repository pattern', () => {
  beforeEach(() => {
    emulator.putImage({ repositoryName: 'team/api', tag: 'production' })
    emulator.putImage({ repositoryName: 'team/api', tag: 'v1' })
    emulator.putImage({ repositoryName: 'team/web/frontend', tag: 'production' })
    emulator.putImage({ repositoryName: 'team/db', tag: 'v1' })
    emulator.putImage({ repositoryName: 'other/api', tag: 'production' })
    emulator.setScanProfile({ repositoryName: 'team/api' }, { durationMs: 200, findings: [HIGH] })
  })

  it('scans the tag in each matching repository, and counts the one without it', async () => {
    const run = await runAction(
      { repository: 'team/*', 'image-tag': 'production', 'fail-on-severity': 'critical' },
      { env: env() },
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(
      "3 repositories match 'team/*'; 2 images with production (skipped: 1 no such tag).",
    )
    expect(scanned().sort()).toEqual(['team/api', 'team/web/frontend'])
    // One listing of repositories, one of each matched repository's images, and no other
    // DescribeImages: the listing already described each image.
    expect(calls('DescribeRepositories')).toHaveLength(1)
    expect(calls('DescribeImages')).toHaveLength(3)
    expect(run.outputs.verdict).toBe('passed')
    expect(run.outputs.high).toBe('1')
    expect(run.summary).toContain(
      '## ✅ ECR image scan: 2 images in repositories matching `team/*`',
    )
    expect(run.summary).toContain('### Images, worst first')
  })

  it('reports an image scanned in the last 24 hours instead of scanning it again', async () => {
    emulator.reset()
    emulator.putImage({
      repositoryName: 'team/api',
      tag: 'production',
      scannedAt: emulator.now() - 60 * 60 * 1000,
    })
    emulator.putImage({ repositoryName: 'team/web', tag: 'production' })
    const run = await runAction({ repository: 'team/*', 'image-tag': 'production' }, { env: env() })
    expect(run.exitCode).toBe(0)
    expect(scanned()).toEqual(['team/web'])
    expect(run.stdout).toMatch(/less than 24 hours ago: reporting that scan/)
    expect(run.summary).toContain('reused: scanned in the last 24 hours')
  })

  it('fails before any scan when nothing matches, naming the pattern and the registry', async () => {
    const run = await runAction({ repository: 'nope/*', 'image-tag': 'production' }, { env: env() })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(
      /::error::No repository in the caller's registry \(us-east-1\) matches 'nope\/\*' \(4 repositories listed\)\./,
    )
    expect(run.outputs.verdict).toBe('failed')
    expect(calls('StartImageScan')).toHaveLength(0)
  })
})
