// The emulator's registry scanning through the unmodified AWS SDK: scanning rules and their
// filters, enhanced findings that arrive after COMPLETE, another account's registry, and statuses
// the action has never seen.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetRegistryScanningConfigurationCommand,
  PutImageCommand,
  PutRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type ScanFrequency,
} from '@aws-sdk/client-ecr'
import { ManualClock, type ScanningRule } from '../tools/emulator/index.ts'
import { enhancedFindings, failure, wireRequest, withEmulator } from './helpers/emulator.js'

const START = Date.UTC(2026, 0, 1)
const DAY = 24 * 3_600_000
const ACCOUNT = '123456789012'
const OTHER_ACCOUNT = '210987654321'
const REALDATA = new URL('../__fixtures__/realdata/', import.meta.url)

const clock = new ManualClock(START)
const { emulator, ecr } = withEmulator(clock)

const realAnswer = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(path, REALDATA), 'utf8')) as Record<string, unknown>

const rule = (scanFrequency: ScanFrequency, ...filters: string[]): ScanningRule => ({
  scanFrequency,
  repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD' })),
})

const findingsOf = (repositoryName: string, imageTag: string, registryId?: string) =>
  ecr.send(
    new DescribeImageScanFindingsCommand({ repositoryName, imageId: { imageTag }, registryId }),
  )

/** The scan status of each repository's `v1`, or the error its findings were refused with. */
async function statusesOf(repositoryNames: string[]): Promise<Record<string, string>> {
  const statuses: Record<string, string> = {}
  for (const repositoryName of repositoryNames) {
    statuses[repositoryName] = await findingsOf(repositoryName, 'v1').then(
      (answer) => answer.imageScanStatus?.status ?? 'none',
      (error: Error) => error.name,
    )
  }
  return statuses
}

describe('registry scanning rules', () => {
  it('stores rules and answers GetRegistryScanningConfiguration as real ECR does', async () => {
    const rules = [rule('SCAN_ON_PUSH', '*')]
    const put = await ecr.send(
      new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules }),
    )
    expect(put.registryScanningConfiguration).toEqual({ scanType: 'BASIC', rules })
    const got = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(got).toEqual({
      $metadata: expect.anything(),
      ...realAnswer('other/get-registry-scanning-configuration-basic-scan-on-push.json'),
    })
  })

  it('keeps several rules, each with several filters, in the order given', async () => {
    const rules = [rule('CONTINUOUS_SCAN', 'prod*', '*-live'), rule('SCAN_ON_PUSH', 'team/*')]
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules }))
    const got = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(got.scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules })
  })

  // The table of the ECR user guide, "Filters to choose which repositories are scanned".
  const NAMES = ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo']
  it.each<[string, boolean[]]>([
    ['prod', [true, true, true, true, true]],
    ['*prod', [true, true, false, false, false]],
    ['prod*', [true, false, true, false, true]],
    ['*prod*', [true, true, true, true, true]],
    ['prod*repo', [false, false, true, false, true]],
  ])('filter %s covers the repositories the ECR user guide lists', async (filter, covered) => {
    emulator.setRegistryScanType('ENHANCED', { rules: [rule('CONTINUOUS_SCAN', filter)] })
    for (const repositoryName of NAMES) emulator.putImage({ repositoryName, tag: 'v1' })
    const expected = Object.fromEntries(
      NAMES.map((name, i) => [name, covered[i] ? 'ACTIVE' : 'ScanNotFoundException']),
    )
    expect(await statusesOf(NAMES)).toEqual(expected)
  })

  it('matches a filter without a wildcard anywhere in the name, across path segments', async () => {
    emulator.setRegistryScanType('ENHANCED', { rules: [rule('CONTINUOUS_SCAN', 'api', 'team/*')] })
    const names = ['team/api', 'apis', 'team/web', 'web', 'teams/web']
    for (const repositoryName of names) emulator.putImage({ repositoryName, tag: 'v1' })
    expect(await statusesOf(names)).toEqual({
      'team/api': 'ACTIVE',
      apis: 'ACTIVE',
      'team/web': 'ACTIVE',
      web: 'ScanNotFoundException',
      'teams/web': 'ScanNotFoundException',
    })
  })

  it.each<[string, ScanningRule, string]>([
    [
      'an upper-case filter',
      rule('SCAN_ON_PUSH', 'Prod'),
      "'rules.1.member.repositoryFilters.1.member.filter'",
    ],
    ['an unknown frequency', rule('DAILY' as ScanFrequency, '*'), "'rules.1.member.scanFrequency'"],
    [
      'a filter type other than WILDCARD',
      {
        scanFrequency: 'SCAN_ON_PUSH',
        repositoryFilters: [{ filter: 'a', filterType: 'PREFIX_MATCH' as 'WILDCARD' }],
      },
      "'rules.1.member.repositoryFilters.1.member.filterType'",
    ],
  ])('refuses %s with ValidationException, as the API model does', async (_, bad, member) => {
    const refused = await failure(
      ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [bad] })),
    )
    expect(refused).toMatchObject({ name: 'ValidationException', status: 400 })
    expect(refused.message).toContain(member)
    expect(() => emulator.setRegistryScanType('BASIC', { rules: [bad] })).toThrow(member)
  })

  it('ENHANCED: never scans an image no rule covers, and says so with ECR’s message', async () => {
    emulator.setRegistryScanType('ENHANCED', { rules: [rule('CONTINUOUS_SCAN', 'prod')] })
    const digest = emulator.putImage({ repositoryName: 'staging', tag: 'v1' })
    clock.advance(DAY)
    expect(
      await failure(
        ecr.send(
          new DescribeImageScanFindingsCommand({
            repositoryName: 'staging',
            imageId: { imageDigest: digest },
          }),
        ),
      ),
    ).toEqual({
      name: 'ScanNotFoundException',
      status: 400,
      message: `Image scan does not exist for the image with '{imageDigest:'${digest}', imageTag:'null'}' in the repository with name 'staging' in the registry with id '${ACCOUNT}'`,
    })
  })

  it('ENHANCED: continuous scanning is ACTIVE, scan on push COMPLETE, and continuous wins', async () => {
    emulator.setRegistryScanType('ENHANCED', {
      rules: [rule('SCAN_ON_PUSH', 'push', 'both'), rule('CONTINUOUS_SCAN', 'live', 'both')],
    })
    const names = ['push', 'live', 'both', 'manual']
    for (const repositoryName of names) {
      emulator.putImage({
        repositoryName,
        tag: 'v1',
        scanProfile: { enhancedFindings: enhancedFindings(1) },
      })
    }
    expect(await statusesOf(names)).toEqual({
      push: 'COMPLETE',
      live: 'ACTIVE',
      both: 'ACTIVE',
      manual: 'ScanNotFoundException',
    })
    expect((await findingsOf('push', 'v1')).imageScanStatus?.description).toBe(
      'The scan was completed successfully.',
    )
  })

  it('ENHANCED without rules scans every repository continuously, as before rules existed', async () => {
    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({ repositoryName: 'anything', tag: 'v1' })
    expect(await statusesOf(['anything'])).toEqual({ anything: 'ACTIVE' })
  })

  it('BASIC: a SCAN_ON_PUSH rule scans new pushes, which uses their daily scan', async () => {
    emulator.setRegistryScanType('BASIC', { rules: [rule('SCAN_ON_PUSH', 'app*')] })
    emulator.putImage({ repositoryName: 'app', tag: 'v1', scanProfile: { durationMs: 5000 } })
    emulator.putImage({ repositoryName: 'web', tag: 'v1' })
    emulator.createRepository('app-two')
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'app-two',
        imageTag: 'v1',
        imageManifest: JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          layers: [],
        }),
      }),
    )
    expect(await statusesOf(['app', 'app-two', 'web'])).toEqual({
      app: 'IN_PROGRESS',
      'app-two': 'COMPLETE',
      web: 'ScanNotFoundException',
    })
    const startScan = (repositoryName: string) =>
      ecr.send(new StartImageScanCommand({ repositoryName, imageId: { imageTag: 'v1' } }))
    expect((await failure(startScan('app'))).name).toBe('LimitExceededException')
    expect((await startScan('web')).imageScanStatus?.status).toBe('IN_PROGRESS')
    clock.advance(5000)
    expect(await statusesOf(['app'])).toEqual({ app: 'COMPLETE' })
  })

  it('BASIC: rules set after a push do not scan the images already there', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1' })
    emulator.setRegistryScanType('BASIC', { rules: [rule('SCAN_ON_PUSH', '*')] })
    expect(await statusesOf(['app'])).toEqual({ app: 'ScanNotFoundException' })
  })
})

describe('enhanced findings that arrive after COMPLETE', () => {
  const first = [...enhancedFindings(1, 'CRITICAL'), ...enhancedFindings(29, 'HIGH', 1)]
  const second = [...enhancedFindings(1, 'CRITICAL', 30), ...enhancedFindings(17, 'HIGH', 31)]

  function seedScanOnPush(): void {
    emulator.setRegistryScanType('ENHANCED', { rules: [rule('SCAN_ON_PUSH', 'repo')] })
    emulator.putImage({
      repositoryName: 'repo',
      tag: 'latest',
      scanProfile: {
        lateFindings: [
          { afterMs: 4000, enhancedFindings: first },
          { afterMs: 9000, enhancedFindings: second },
        ],
      },
    })
  }

  it('answers COMPLETE with an empty basic list and no counts until the first finding arrives', async () => {
    seedScanOnPush()
    const real = realAnswer('findings/enhanced-scan-on-push-complete-before-findings-arrive.json')
    const { json } = await wireRequest(emulator.url, 'DescribeImageScanFindings', {
      repositoryName: 'repo',
      imageId: { imageTag: 'latest' },
    })
    const answer = json as Record<string, unknown>
    expect(answer.imageScanStatus).toEqual(real.imageScanStatus)
    expect(answer.imageScanFindings).toEqual({ findings: [] })
    expect(answer.imageScanFindings).toEqual(real.imageScanFindings)
    expect(Object.keys(answer).sort()).toEqual(Object.keys(real).sort())

    const viaSdk = await findingsOf('repo', 'latest')
    expect(viaSdk.imageScanFindings?.findingSeverityCounts).toBeUndefined()
    expect(viaSdk.imageScanFindings?.enhancedFindings).toBeUndefined()
  })

  it('counts only the findings that have arrived, stage by stage', async () => {
    seedScanOnPush()
    const stages: [number, number, Record<string, number> | undefined][] = []
    for (const advance of [0, 4000, 5000]) {
      clock.advance(advance)
      const answer = await findingsOf('repo', 'latest')
      expect(answer.imageScanStatus?.status).toBe('COMPLETE')
      stages.push([
        clock.now() - START,
        answer.imageScanFindings?.enhancedFindings?.length ?? 0,
        answer.imageScanFindings?.findingSeverityCounts,
      ])
    }
    expect(stages).toEqual([
      [0, 0, undefined],
      [4000, 30, { CRITICAL: 1, HIGH: 29 }],
      [9000, 48, { CRITICAL: 2, HIGH: 46 }],
    ])
  })
})

describe("another account's registry", () => {
  it('serves its images by registryId but hides Inspector findings from the caller', async () => {
    emulator.setRegistryScanType('ENHANCED', { registryId: OTHER_ACCOUNT })
    const digest = emulator.putImage({
      registryId: OTHER_ACCOUNT,
      repositoryName: 'shared/base',
      tag: 'v1',
      scanProfile: { enhancedFindings: enhancedFindings(2) },
    })
    const inOther = { registryId: OTHER_ACCOUNT, repositoryName: 'shared/base' }

    const described = await ecr.send(
      new DescribeImagesCommand({ ...inOther, imageIds: [{ imageTag: 'v1' }] }),
    )
    expect(described.imageDetails?.[0]).toMatchObject({
      registryId: OTHER_ACCOUNT,
      imageDigest: digest,
    })
    const fetched = await ecr.send(
      new BatchGetImageCommand({ ...inOther, imageIds: [{ imageTag: 'v1' }] }),
    )
    expect(fetched.images?.[0]).toMatchObject({
      registryId: OTHER_ACCOUNT,
      imageId: { imageDigest: digest },
    })
    const repositories = await ecr.send(
      new DescribeRepositoriesCommand({ registryId: OTHER_ACCOUNT }),
    )
    expect(repositories.repositories?.[0]?.repositoryArn).toBe(
      `arn:aws:ecr:us-east-1:${OTHER_ACCOUNT}:repository/shared/base`,
    )

    expect(
      await failure(
        ecr.send(
          new DescribeImageScanFindingsCommand({ ...inOther, imageId: { imageDigest: digest } }),
        ),
      ),
    ).toEqual({
      name: 'ScanNotFoundException',
      status: 400,
      message: `Image scan does not exist for the image with '{imageDigest:'${digest}', imageTag:'null'}' in the repository with name 'shared/base' in the registry with id '${OTHER_ACCOUNT}'`,
    })
    // The registry question has no registryId: it always describes the caller's registry.
    const own = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
    expect(own).toMatchObject({ registryId: ACCOUNT, scanningConfiguration: { scanType: 'BASIC' } })
    expect(
      (await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'shared/base' })))).name,
    ).toBe('RepositoryNotFoundException')
  })

  it('shows basic scans of a BASIC registry to the caller', async () => {
    emulator.putImage({
      registryId: OTHER_ACCOUNT,
      repositoryName: 'base',
      tag: 'v1',
      scannedAt: START,
    })
    expect((await findingsOf('base', 'v1', OTHER_ACCOUNT)).imageScanStatus?.status).toBe('COMPLETE')
    expect((await findingsOf('base', 'v1', OTHER_ACCOUNT)).registryId).toBe(OTHER_ACCOUNT)
  })

  it('answers RepositoryNotFoundException for a registry the emulator does not hold', async () => {
    expect(
      await failure(
        ecr.send(new DescribeImagesCommand({ registryId: '999999999999', repositoryName: 'app' })),
      ),
    ).toEqual({
      name: 'RepositoryNotFoundException',
      status: 400,
      message:
        "The repository with name 'app' does not exist in the registry with id '999999999999'",
    })
    expect(() => emulator.putImage({ registryId: 'nope', repositoryName: 'app' })).toThrow(
      /12-digit/,
    )
  })
})

describe('statuses the action has never seen', () => {
  it('ends in any status string, with or without a description', async () => {
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v1',
      scannedAt: START,
      scanProfile: { outcome: 'IMAGE_QUARANTINED', description: 'The image is quarantined.' },
    })
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v2',
      scannedAt: START,
      scanProfile: { outcome: 'SCAN_DEFERRED_2031' },
    })
    emulator.putImage({
      repositoryName: 'app',
      tag: 'v3',
      scannedAt: START,
      scanProfile: { outcome: 'COMPLETE', description: null },
    })
    expect((await findingsOf('app', 'v1')).imageScanStatus).toEqual({
      status: 'IMAGE_QUARANTINED',
      description: 'The image is quarantined.',
    })
    const future = await findingsOf('app', 'v2')
    expect(future.imageScanStatus).toEqual({ status: 'SCAN_DEFERRED_2031' })
    expect(future.imageScanFindings).toBeUndefined()
    expect((await findingsOf('app', 'v3')).imageScanStatus).toEqual({ status: 'COMPLETE' })
  })

  it('stays IN_PROGRESS (or PENDING) forever', async () => {
    emulator.putImage({ repositoryName: 'app', tag: 'v1', scanProfile: { outcome: 'IN_PROGRESS' } })
    await ecr.send(
      new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }),
    )
    clock.advance(365 * DAY)
    expect((await findingsOf('app', 'v1')).imageScanStatus).toEqual({ status: 'IN_PROGRESS' })

    emulator.setRegistryScanType('ENHANCED')
    emulator.putImage({ repositoryName: 'app', tag: 'v2', scanProfile: { outcome: 'PENDING' } })
    clock.advance(365 * DAY)
    expect((await findingsOf('app', 'v2')).imageScanStatus).toEqual({
      status: 'PENDING',
      description: 'Pending start of the image scan.',
    })
  })
})
