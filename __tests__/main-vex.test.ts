// run() with vex: documents are read before any AWS call (a bad one fails the step there), and a
// not_affected statement takes its finding out of the verdict.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeClock } from '../__fixtures__/clock.js'
import { recordingCore } from '../__fixtures__/core.js'
import { inputDefaults } from '../tools/action-inputs.ts'

const fake = recordingCore()
const { core, summaries, of, outputs } = fake
jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../src/main.js')

const DIGEST = `sha256:${'a'.repeat(64)}`
const ecr = mockClient(ECRClient)
const workspace = mkdtempSync(join(tmpdir(), 'main-vex-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))
mkdirSync(join(workspace, '.vex'))

const notAffected = JSON.stringify({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/api',
  author: 'Platform team',
  timestamp: '2026-11-01T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'CVE-2023-3446' },
      products: [
        {
          '@id': 'pkg:oci/api?repository_url=123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api',
          subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3' }],
        },
      ],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
})

const runStep = (with_: Record<string, string>) => {
  fake.inputs = {
    ...inputDefaults(),
    repository: 'team/api',
    'image-tag': 'v1',
    region: 'us-east-1',
    'fail-on-severity': 'high',
    ...with_,
  }
  return run({ clock: new FakeClock(Date.UTC(2026, 10, 29)) })
}

beforeEach(() => {
  fake.reset()
  process.env.GITHUB_STEP_SUMMARY = join(workspace, 'summary.md')
  process.env.RUNNER_TEMP = workspace
  process.env.GITHUB_WORKSPACE = workspace
  ecr.reset()
  ecr.on(DescribeImagesCommand).resolves({
    imageDetails: [
      {
        registryId: '123456789012',
        repositoryName: 'team/api',
        imageDigest: DIGEST,
        imageTags: ['v1'],
      },
    ],
  })
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: '123456789012',
    scanningConfiguration: { scanType: 'BASIC', rules: [] },
  })
  ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
  ecr.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: {
      findingSeverityCounts: { HIGH: 1 },
      findings: [
        {
          name: 'CVE-2023-3446',
          severity: 'HIGH',
          attributes: [
            { key: 'package_name', value: 'libssl3' },
            { key: 'package_version', value: '3.0.8-r3' },
          ],
        },
      ],
    },
  })
})

describe('run with vex', () => {
  it('turns a failing image green when a not_affected statement covers its finding', async () => {
    writeFileSync(join(workspace, '.vex', 'api.openvex.json'), notAffected)
    await runStep({ vex: '.vex/*.json' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()).toMatchObject({ verdict: 'passed', high: '0', 'vex-suppressed': '1' })
    expect(of('info')).toContain('Read 1 VEX statement from 1 document.')
    expect(summaries[0]).toContain('1 finding suppressed by VEX statements')
  })

  it('fails before any AWS call when a document cannot be used, naming it and the place', async () => {
    writeFileSync(join(workspace, 'broken.json'), notAffected.replace('"justification"', '"note"'))
    await runStep({ vex: 'broken.json' })
    expect(of('setFailed')).toEqual([
      'VEX document broken.json (input \'vex\') at statements[0]: CVE-2023-3446 is not_affected without a "justification" or an "impact_statement"; OpenVEX requires one. Add it, so the reason is on record.',
    ])
    expect(ecr.calls()).toHaveLength(0)
    expect(outputs()).toEqual({ verdict: 'failed' })
    expect(summaries).toEqual([expect.stringContaining('broken.json')])
  })

  it('fails before any AWS call when a pattern matches no file', async () => {
    await runStep({ vex: 'vendor/*.openvex.json' })
    expect(of('setFailed')).toEqual([
      expect.stringContaining("'vendor/*.openvex.json', which matches no file"),
    ])
    expect(ecr.calls()).toHaveLength(0)
  })

  it('without vex, sets no vex-suppressed and fails on the finding', async () => {
    await runStep({})
    expect(outputs()).not.toHaveProperty('vex-suppressed')
    expect(outputs()).toMatchObject({ verdict: 'failed' })
  })
})
