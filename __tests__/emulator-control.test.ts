// Driving the emulator from another process: the /_emulator/ HTTP endpoints and the CLI.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr'
import {
  ManualClock,
  type RequestLogEntry,
  type ScanningRule,
  type SeedDocument,
  type SeedResult,
} from '../tools/emulator/index.ts'
import { ecrClientFor, withEmulator } from './helpers/emulator.js'

const START = Date.UTC(2026, 0, 1)
const DAY = 24 * 3_600_000
const OTHER_ACCOUNT = '210987654321'
const clock = new ManualClock(START)
const { emulator, ecr } = withEmulator(clock)

async function control(
  url: string,
  command: string,
  body: unknown = {},
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}/_emulator/${command}`, {
    method: 'POST',
    body: JSON.stringify(body),
  })
  return { status: response.status, json: await response.json() }
}

const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'none',
    (error: Error) => error.name,
  )

/** The status of `repositoryName:v1`'s scan, or the error that answered instead. */
const scanStatus = (repositoryName: string, registryId?: string) =>
  ecr
    .send(
      new DescribeImageScanFindingsCommand({
        registryId,
        repositoryName,
        imageId: { imageTag: 'v1' },
      }),
    )
    .then(
      (answer) => answer.imageScanStatus?.status,
      (error: Error) => error.name,
    )

describe('HTTP control endpoints', () => {
  it('seeds repositories, images, indexes, faults and a rate limit from one document', async () => {
    const seed: SeedDocument = {
      repositories: [
        {
          repositoryName: 'app',
          scanProfile: { durationMs: 1000, findings: [{ name: 'CVE-1', severity: 'HIGH' }] },
        },
      ],
      images: [
        { repositoryName: 'app', tag: 'fresh' },
        { repositoryName: 'app', tag: 'scanned', scannedMsAgo: 1000 },
      ],
      imageIndexes: [
        {
          repositoryName: 'app',
          tag: 'multi',
          platforms: [{ os: 'linux', architecture: 'amd64' }],
        },
      ],
      faults: [{ kind: 'throttling', operation: 'GetRegistryScanningConfiguration', times: 1 }],
      rateLimit: 100,
    }
    const { status, json } = await control(emulator.url, 'seed', seed)
    expect(status).toBe(200)
    const result = json as SeedResult
    expect(result.images.map((image) => image.tag)).toEqual(['fresh', 'scanned'])
    expect(result.imageIndexes[0]?.childDigests).toHaveLength(1)

    const scanned = await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'app',
        imageId: { imageTag: 'scanned' },
      }),
    )
    expect(scanned.imageScanStatus?.status).toBe('COMPLETE')
    expect(scanned.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 1 })
    expect(
      await errorName(
        ecr.send(
          new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'scanned' } }),
        ),
      ),
    ).toBe('LimitExceededException')
    expect(
      await errorName(
        ecr.send(
          new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'multi' } }),
        ),
      ),
    ).toBe('UnsupportedImageTypeException')
    expect(await errorName(ecr.send(new GetRegistryScanningConfigurationCommand({})))).toBe(
      'ThrottlingException',
    )
  })

  it('mirrors the in-process methods', async () => {
    expect(
      (
        await control(emulator.url, 'create-repository', {
          repositoryName: 'app',
          scanOnPush: false,
        })
      ).status,
    ).toBe(200)
    const { json } = await control(emulator.url, 'put-image', { repositoryName: 'app', tag: 'v1' })
    const { imageDigest } = json as { imageDigest: string }
    expect(imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/)
    await control(emulator.url, 'set-scan-profile', {
      repositoryName: 'app',
      imageTag: 'v1',
      profile: { outcome: 'FAILED' },
    })
    await control(emulator.url, 'mark-scanned', {
      repositoryName: 'app',
      imageDigest,
      atMs: START - 1000,
    })
    const failed = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: 'app', imageId: { imageDigest } }),
    )
    expect(failed.imageScanStatus?.status).toBe('FAILED')

    expect((await control(emulator.url, 'advance-clock', { ms: DAY })).json).toEqual({
      now: START + DAY,
    })
    expect((await control(emulator.url, 'clock')).json).toEqual({ now: START + DAY })
    await control(emulator.url, 'set-image-archived', { repositoryName: 'app', imageDigest })
    expect(
      await errorName(
        ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageDigest } })),
      ),
    ).toBe('ImageArchivedException')
    await control(emulator.url, 'set-image-archived', {
      repositoryName: 'app',
      imageDigest,
      archived: false,
    })
    expect(
      await errorName(
        ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageDigest } })),
      ),
    ).toBe('none')

    const index = await control(emulator.url, 'put-image-index', {
      repositoryName: 'app',
      tag: 'multi',
      platforms: [{ os: 'linux', architecture: 'arm64' }],
      attestation: true,
    })
    expect(index.json).toMatchObject({
      childDigests: [expect.any(String)],
      attestationDigests: [expect.any(String)],
    })

    await control(emulator.url, 'set-registry-scan-type', { scanType: 'ENHANCED' })
    expect(
      await errorName(
        ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageDigest } })),
      ),
    ).toBe('ValidationException')

    await control(emulator.url, 'inject-fault', { kind: 'server-error', times: 1 })
    expect(await errorName(ecr.send(new GetRegistryScanningConfigurationCommand({})))).toBe(
      'ServerException',
    )
    await control(emulator.url, 'inject-fault', {
      kind: 'access-denied',
      operation: 'GetRegistryScanningConfiguration',
      times: 1,
    })
    expect(await errorName(ecr.send(new GetRegistryScanningConfigurationCommand({})))).toBe(
      'AccessDeniedException',
    )
    await control(emulator.url, 'inject-fault', { kind: 'server-error' })
    await control(emulator.url, 'clear-faults')
    expect(await errorName(ecr.send(new GetRegistryScanningConfigurationCommand({})))).toBe('none')

    await control(emulator.url, 'set-rate-limit', { requestsPerSecond: 1 })
    await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(await errorName(ecr.send(new GetRegistryScanningConfigurationCommand({})))).toBe(
      'ThrottlingException',
    )
    await control(emulator.url, 'set-rate-limit', { requestsPerSecond: null })
    expect(await errorName(ecr.send(new GetRegistryScanningConfigurationCommand({})))).toBe('none')
  })

  it('seeds scanning rules and another account’s registry, from a document and command by command', async () => {
    const onPush: ScanningRule = {
      scanFrequency: 'SCAN_ON_PUSH',
      repositoryFilters: [{ filter: 'app', filterType: 'WILDCARD' }],
    }
    const seed: SeedDocument = {
      registryScanType: 'ENHANCED',
      scanningRules: [onPush],
      registries: [{ registryId: OTHER_ACCOUNT, scanType: 'BASIC' }],
      images: [
        { repositoryName: 'app', tag: 'v1' },
        { repositoryName: 'web', tag: 'v1' },
        { registryId: OTHER_ACCOUNT, repositoryName: 'base', tag: 'v1', scannedMsAgo: 0 },
      ],
    }
    const seeded = await control(emulator.url, 'seed', seed)
    expect(seeded.json).toMatchObject({ images: [{}, {}, { registryId: OTHER_ACCOUNT }] })
    const config = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(config.scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules: [onPush] })
    expect(await scanStatus('app')).toBe('COMPLETE')
    expect(await scanStatus('web')).toBe('ScanNotFoundException')
    expect(await scanStatus('base', OTHER_ACCOUNT)).toBe('COMPLETE')

    await control(emulator.url, 'set-registry-scan-type', {
      scanType: 'ENHANCED',
      registryId: OTHER_ACCOUNT,
    })
    expect(await scanStatus('base', OTHER_ACCOUNT)).toBe('ScanNotFoundException')
    await control(emulator.url, 'set-registry-scan-type', { scanType: 'ENHANCED', rules: [] })
    expect(await scanStatus('web')).toBe('ACTIVE')
    await control(emulator.url, 'create-repository', {
      registryId: OTHER_ACCOUNT,
      repositoryName: 'more',
    })
    const put = await control(emulator.url, 'put-image', {
      registryId: OTHER_ACCOUNT,
      repositoryName: 'more',
      tag: 'v1',
    })
    expect(put.json).toEqual({ imageDigest: expect.stringMatching(/^sha256:/) })
    const described = await ecr.send(
      new DescribeImagesCommand({ registryId: OTHER_ACCOUNT, repositoryName: 'more' }),
    )
    expect(described.imageDetails?.map((detail) => detail.registryId)).toEqual([OTHER_ACCOUNT])
    expect(
      await control(emulator.url, 'set-registry-scan-type', {
        scanType: 'BASIC',
        rules: [
          {
            scanFrequency: 'SCAN_ON_PUSH',
            repositoryFilters: [{ filter: 'App', filterType: 'WILDCARD' }],
          },
        ],
      }),
    ).toMatchObject({ status: 400, json: { error: expect.stringMatching(/regular expression/) } })
  })

  it('serves the request log, clears it and resets the registry', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))
    const log = (await control(emulator.url, 'requests')).json as { requests: RequestLogEntry[] }
    expect(log.requests).toEqual([
      {
        seq: 1,
        operation: 'DescribeImages',
        atMs: START,
        body: { repositoryName: 'app' },
        status: 200,
      },
    ])
    await control(emulator.url, 'clear-log')
    expect(emulator.requests()).toEqual([])

    await control(emulator.url, 'reset')
    expect(await errorName(ecr.send(new DescribeImagesCommand({ repositoryName: 'app' })))).toBe(
      'RepositoryNotFoundException',
    )
  })

  it('answers 400 with an error for unknown commands and bad input', async () => {
    expect(await control(emulator.url, 'explode')).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/unknown command/) },
    })
    expect(await control(emulator.url, 'put-image', {})).toMatchObject({ status: 400 })
    expect(
      await control(emulator.url, 'mark-scanned', {
        repositoryName: 'nope',
        imageDigest: 'sha256:0',
      }),
    ).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/does not exist/) },
    })
    expect(emulator.requests()).toEqual([])
  })
})

describe('CLI', () => {
  it('prints its URL, applies --seed and follows a --manual-clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecr-emulator-'))
    const seedFile = join(dir, 'seed.json')
    const seed: SeedDocument = {
      images: [{ repositoryName: 'app', tag: 'v1', scanProfile: { durationMs: 60_000 } }],
    }
    writeFileSync(seedFile, JSON.stringify(seed))
    // npm scripts run Node 24 from node_modules/.bin, which strips the types of tools/**/*.ts.
    const child = spawn(
      'node_modules/.bin/node',
      [
        'tools/emulator/cli.ts',
        '--port',
        '0',
        '--seed',
        seedFile,
        '--manual-clock',
        '--start',
        '2026-01-01T00:00:00Z',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const lines = createInterface({ input: child.stdout })
      const url = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve)
        child.once('exit', () => reject(new Error(`the CLI exited: ${stderr}`)))
      })
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const cli = ecrClientFor(url)
      await cli.send(
        new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }),
      )
      expect((await control(url, 'clock')).json).toEqual({ now: START })
      await control(url, 'advance-clock', { ms: 60_000 })
      const done = await cli.send(
        new DescribeImageScanFindingsCommand({
          repositoryName: 'app',
          imageId: { imageTag: 'v1' },
        }),
      )
      expect(done.imageScanStatus?.status).toBe('COMPLETE')
      cli.destroy()
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
