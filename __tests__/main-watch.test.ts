// run() with a repository pattern: mocked @actions/core and ECR. The listing runs before any
// scan, a pattern that matches nothing fails in one line with the verdict failed and a summary,
// and a match scans what the listing picked.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeClock } from '../__fixtures__/clock.js'
import { recordingCore } from '../__fixtures__/core.js'
import { inputDefaults } from '../tools/action-inputs.ts'

const fake = recordingCore()
const { core, summaries, of, outputs } = fake
jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../src/main.js')

const ecr = mockClient(ECRClient)
const temp = mkdtempSync(join(tmpdir(), 'main-watch-'))
const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`

const runStep = (with_: Record<string, string>) => {
  fake.inputs = { ...inputDefaults(), region: 'us-east-1', ...with_ }
  return run({ clock: new FakeClock(Date.UTC(2026, 11, 6)) })
}

beforeEach(() => {
  fake.reset()
  process.env.GITHUB_STEP_SUMMARY = join(temp, 'summary.md')
  process.env.RUNNER_TEMP = temp
  ecr.reset()
  ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [{ repositoryName: 'team/api' }, { repositoryName: 'other/api' }],
  })
  ecr.on(DescribeImagesCommand).resolves({
    imageDetails: [
      {
        registryId: '123456789012',
        repositoryName: 'team/api',
        imageDigest: digest(1),
        imageTags: ['production'],
      },
    ],
  })
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: '123456789012',
    scanningConfiguration: { scanType: 'BASIC', rules: [] },
  })
  ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
  ecr.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE', description: 'done' },
    imageScanFindings: { findingSeverityCounts: {}, findings: [] },
  })
})

describe('run with a repository pattern', () => {
  it('lists, then scans the images picked, each once', async () => {
    await runStep({ repository: 'team/*', 'image-tag': 'production', 'fail-on-severity': 'high' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(of('info')).toEqual(
      expect.arrayContaining([
        "1 repository matches 'team/*'; 1 image with production.",
        'Scanning team/api:production (us-east-1).',
      ]),
    )
    expect(ecr.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([
      { repositoryName: 'team/api', maxResults: 1000 },
    ])
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(1)
    expect(outputs()).toMatchObject({ verdict: 'passed', 'image-digest': digest(1) })
    expect(summaries).toEqual([
      expect.stringMatching(/^## ✅ ECR image scan: 1 image in repositories matching `team\/\*`/),
    ])
  })

  it('fails in one line naming the pattern when nothing matches, with verdict and summary', async () => {
    await runStep({ repository: 'web/*', 'pulled-within': '7' })
    expect(of('setFailed')).toEqual([
      "No repository in the caller's registry (us-east-1) matches 'web/*' (2 repositories listed). Check 'repository', 'registry-id' and 'region'; * matches any characters, / included (team/* matches team/api).",
    ])
    expect(outputs()).toEqual({ verdict: 'failed' })
    expect(summaries).toEqual([expect.stringContaining("matches 'web/*'")])
    expect(ecr.commandCalls(StartImageScanCommand)).toHaveLength(0)
  })

  it('fails on a bad pattern before any request', async () => {
    await runStep({ repository: 'Team/*', 'pulled-within': '7' })
    expect(of('setFailed')).toEqual([expect.stringMatching(/^Input 'repository' is 'Team\/\*'/)])
    expect(ecr.calls()).toHaveLength(0)
  })
})
