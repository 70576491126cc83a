// The same SDK calls against the emulator and against moto: on the behaviours both implement, the
// answers must have the same shape (keys and value types) and the same error names and messages.
// Known differences, not compared here: moto accepts manual scans on ENHANCED registries and scans
// of image indexes, ignores pagination, answers COMPLETE at once, counts the quota per calendar
// day, derives PutImage digests from the layers, and fails PutImage into a missing repository
// with an HTML 500. moto keeps registry scanning rules as given but neither checks their filters
// nor lets them decide which repositories are scanned.
import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals'
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  PutImageCommand,
  PutRegistryScanningConfigurationCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr'
import { ecrClientFor } from './helpers/emulator.js'
import { describeWithMoto, startMoto, type Moto } from './helpers/moto.ts'
import {
  startEmulator,
  type BasicFinding,
  type Emulator,
  type ScanningRule,
} from '../tools/emulator/index.ts'
import { IMAGE_MANIFEST } from '../tools/seed-moto.ts'

// The finding moto invents for every scan, so that both sides answer with the same shape.
const MOTO_FINDING: BasicFinding = {
  name: 'CVE-9999-9999',
  uri: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-9999-9999',
  severity: 'HIGH',
  attributes: [
    { key: 'package_version', value: '9.9.9' },
    { key: 'package_name', value: 'moto_fake' },
  ],
}

type Answer = { shape: unknown } | { error: string; message: string }

/** Keys and value types, recursively; an array is described by its first element. */
function shape(value: unknown): unknown {
  if (value instanceof Date) return 'Date'
  if (Array.isArray(value)) return value.length === 0 ? '[]' : [shape(value[0])]
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, member]) => key !== '$metadata' && member !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, member]) => [key, shape(member)]),
    )
  }
  return typeof value
}

async function answer(promise: Promise<unknown>): Promise<Answer> {
  try {
    return { shape: shape(await promise) }
  } catch (error) {
    const { name, message } = error as Error
    // moto derives digests from the layers, ECR from the manifest bytes.
    return { error: name, message: message.replace(/sha256:[0-9a-f]{64}/g, 'sha256:<digest>') }
  }
}

type Scenario = (ecr: ECRClient) => Promise<Answer[]>

const seedImage = async (ecr: ECRClient): Promise<void> => {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }))
  await ecr.send(
    new PutImageCommand({ repositoryName: 'app', imageTag: 'v1', imageManifest: IMAGE_MANIFEST }),
  )
}

describeWithMoto('emulator contract with moto', () => {
  let moto: Moto
  let emulator: Emulator
  let onMoto: ECRClient
  let onEmulator: ECRClient

  beforeAll(async () => {
    ;[moto, emulator] = await Promise.all([startMoto(), startEmulator()])
    onMoto = ecrClientFor(moto.url)
    onEmulator = ecrClientFor(emulator.url)
  })

  afterAll(async () => {
    onMoto?.destroy()
    onEmulator?.destroy()
    await Promise.all([moto?.stop(), emulator?.close()])
  })

  beforeEach(async () => {
    await moto.reset()
    emulator.reset()
    emulator.setScanProfile({}, { findings: [MOTO_FINDING] })
  })

  async function expectSameAnswers(scenario: Scenario): Promise<Answer[]> {
    const fromMoto = await scenario(onMoto)
    const fromEmulator = await scenario(onEmulator)
    expect(fromEmulator).toEqual(fromMoto)
    return fromEmulator
  }

  it('CreateRepository, DescribeRepositories and their errors', async () => {
    const answers = await expectSameAnswers(async (ecr) => [
      await answer(ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }))),
      await answer(ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }))),
      await answer(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }))),
      await answer(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['missing'] }))),
    ])
    expect(answers.map((a) => ('error' in a ? a.error : 'ok'))).toEqual([
      'ok',
      'RepositoryAlreadyExistsException',
      'ok',
      'RepositoryNotFoundException',
    ])
  })

  it('PutImage, DescribeImages and their errors', async () => {
    const answers = await expectSameAnswers(async (ecr) => {
      const putImage = () =>
        answer(
          ecr.send(
            new PutImageCommand({
              repositoryName: 'app',
              imageTag: 'v1',
              imageManifest: IMAGE_MANIFEST,
            }),
          ),
        )
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }))
      return [
        // The same image twice: the second time it already exists.
        await putImage(),
        await putImage(),
        await answer(
          ecr.send(
            new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
          ),
        ),
        await answer(ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))),
        await answer(
          ecr.send(
            new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'nope' }] }),
          ),
        ),
        await answer(ecr.send(new DescribeImagesCommand({ repositoryName: 'missing' }))),
      ]
    })
    expect(answers.map((a) => ('error' in a ? a.error : 'ok'))).toEqual([
      'ok',
      'ImageAlreadyExistsException',
      'ok',
      'ok',
      'ImageNotFoundException',
      'RepositoryNotFoundException',
    ])
  })

  it('BatchGetImage with a missing image', async () => {
    await expectSameAnswers(async (ecr) => {
      await seedImage(ecr)
      return [
        await answer(
          ecr.send(
            new BatchGetImageCommand({
              repositoryName: 'app',
              imageIds: [{ imageTag: 'v1' }, { imageTag: 'gone' }],
              acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
            }),
          ),
        ),
        await answer(
          ecr.send(
            new BatchGetImageCommand({ repositoryName: 'missing', imageIds: [{ imageTag: 'v1' }] }),
          ),
        ),
      ]
    })
  })

  it('ScanNotFound, StartImageScan, the quota and the findings of a finished scan', async () => {
    const answers = await expectSameAnswers(async (ecr) => {
      await seedImage(ecr)
      const imageId = { imageTag: 'v1' }
      return [
        await answer(
          ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'app', imageId })),
        ),
        await answer(ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId }))),
        await answer(ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId }))),
        await answer(
          ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'app', imageId })),
        ),
        await answer(
          ecr.send(
            new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'nope' } }),
          ),
        ),
        await answer(ecr.send(new StartImageScanCommand({ repositoryName: 'missing', imageId }))),
      ]
    })
    expect(answers.map((a) => ('error' in a ? a.error : 'ok'))).toEqual([
      'ScanNotFoundException',
      'ok',
      'LimitExceededException',
      'ok',
      'ImageNotFoundException',
      'RepositoryNotFoundException',
    ])
  })

  it('Get/PutRegistryScanningConfiguration answer the rules as given, on both', async () => {
    const rules: ScanningRule[] = [
      {
        scanFrequency: 'CONTINUOUS_SCAN',
        repositoryFilters: [
          { filter: 'prod*', filterType: 'WILDCARD' },
          { filter: 'team/*-live', filterType: 'WILDCARD' },
        ],
      },
      {
        scanFrequency: 'SCAN_ON_PUSH',
        repositoryFilters: [{ filter: 'api', filterType: 'WILDCARD' }],
      },
    ]
    const configure = async (ecr: ECRClient) => {
      const put = await ecr.send(
        new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules }),
      )
      const got = await ecr.send(new GetRegistryScanningConfigurationCommand({}))
      return { put: put.registryScanningConfiguration, got: { ...got, $metadata: undefined } }
    }
    const fromMoto = await configure(onMoto)
    expect(await configure(onEmulator)).toEqual(fromMoto)
    expect(fromMoto.got).toEqual({
      registryId: '123456789012',
      scanningConfiguration: { scanType: 'ENHANCED', rules },
    })
  })

  it('Get/PutRegistryScanningConfiguration', async () => {
    await expectSameAnswers(async (ecr) => [
      await answer(ecr.send(new GetRegistryScanningConfigurationCommand({}))),
      await answer(
        ecr.send(
          new PutRegistryScanningConfigurationCommand({
            scanType: 'ENHANCED',
            rules: [
              {
                scanFrequency: 'CONTINUOUS_SCAN',
                repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }],
              },
            ],
          }),
        ),
      ),
      await answer(ecr.send(new GetRegistryScanningConfigurationCommand({}))),
    ])
  })
})
