// run() directly, as configure-aws-credentials tests its own: mocked @actions/core and ECR,
// virtual time. Every path that ends the step, and every file or summary that fails to write.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
  type ScanStatus,
} from '@aws-sdk/client-ecr'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeClock } from '../__fixtures__/clock.js'
import { recordingCore } from '../__fixtures__/core.js'
import { inputDefaults } from '../tools/action-inputs.ts'

const fake = recordingCore()
const { core, calls, summaries, of, outputs } = fake
jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../src/main.js')

const DIGEST = `sha256:${'a'.repeat(64)}`
const ecr = mockClient(ECRClient)
const temp = mkdtempSync(join(tmpdir(), 'main-run-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

function answer(
  status: string,
  findings: { name: string; severity: string }[] = [],
): Partial<DescribeImageScanFindingsCommandOutput> {
  const counts: Record<string, number> = {}
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1
  return {
    imageScanStatus: { status: status as ScanStatus, description: `${status}.` },
    imageScanFindings: {
      findingSeverityCounts: counts,
      findings: findings.map((finding) => ({
        ...finding,
        severity: finding.severity as 'HIGH',
        attributes: [{ key: 'package_name', value: 'zlib' }],
      })),
    },
  }
}

/** DescribeImages answers each tag with its digest in `digests`, or DIGEST. */
function resolveTags(digests: Record<string, string>): void {
  ecr
    .on(DescribeImagesCommand)
    .callsFake(async (input: { repositoryName: string; imageIds: { imageTag?: string }[] }) => {
      const tag = input.imageIds[0]?.imageTag ?? 'v1'
      return {
        imageDetails: [
          {
            registryId: '123456789012',
            repositoryName: input.repositoryName,
            imageDigest: digests[tag] ?? DIGEST,
            imageTags: [tag],
          },
        ],
      }
    })
}

const runStep = (with_: Record<string, string> = {}, signal?: AbortSignal) => {
  fake.inputs = {
    ...inputDefaults(),
    // The exploit sources are on the internet; their own tests run a local fake.
    'exploit-sources': 'none',
    repository: 'team/api',
    'image-tag': 'v1',
    region: 'us-east-1',
    ...with_,
  }
  return run({ clock: new FakeClock(Date.UTC(2026, 10, 29)), signal })
}

beforeEach(() => {
  fake.reset()
  process.env.GITHUB_STEP_SUMMARY = join(temp, 'summary.md')
  process.env.RUNNER_TEMP = temp
  process.env.AWS_REGION = 'us-east-1'
  ecr.reset()
  resolveTags({})
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: '123456789012',
    scanningConfiguration: { scanType: 'BASIC', rules: [] },
  })
  ecr.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
  ecr
    .on(DescribeImageScanFindingsCommand)
    .resolves(answer('COMPLETE', [{ name: 'CVE-1', severity: 'HIGH' }]))
})

describe('run', () => {
  it('passes a clean scan: outputs, a summary, the image in its own log group, no failure', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE'))
    await runStep()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()).toMatchObject({
      'scan-status': 'COMPLETE',
      'findings-total': '0',
      'scan-started': 'true',
    })
    // No gate was set: no verdict and no threshold answer a question nobody asked.
    expect(outputs()).not.toHaveProperty('verdict')
    expect(outputs()).not.toHaveProperty('threshold-exceeded')
    expect(summaries).toEqual([expect.stringMatching(/^## ✅ ECR image scan/)])
    expect(of('notice')).toEqual([])
    expect(of('debug')).toEqual([])
    const start = calls.findIndex((call) => call[0] === 'startGroup')
    const end = calls.findIndex((call) => call[0] === 'endGroup')
    expect(calls[start]).toEqual(['startGroup', 'team/api:v1 (us-east-1)'])
    const inside = calls.slice(start + 1, end).map((call) => call[1])
    expect(inside).toEqual(expect.arrayContaining([expect.stringContaining(`is ${DIGEST}`)]))
  })

  it("streams one image's lines live, inside its group, and closes the group when it is done", async () => {
    const linesBeforeRead: unknown[][] = []
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      linesBeforeRead.push(
        ...calls.filter((call) => call[0] === 'startGroup' || call[0] === 'info'),
      )
      return answer('COMPLETE')
    })
    await runStep()
    expect(linesBeforeRead).toEqual(
      expect.arrayContaining([
        ['startGroup', 'team/api:v1 (us-east-1)'],
        ['info', `Image team/api:v1 is ${DIGEST}.`],
      ]),
    )
    const groupCalls = calls.filter((call) => call[0] === 'startGroup' || call[0] === 'endGroup')
    expect(groupCalls.map((call) => call[0])).toEqual(['startGroup', 'endGroup'])
  })

  it('fails on the threshold with one line, and still writes outputs and summary', async () => {
    await runStep({ 'fail-on-severity': 'high' })
    expect(of('setFailed')).toEqual([
      expect.stringContaining('1 finding at or above HIGH in team/api:v1'),
    ])
    expect(outputs()).toMatchObject({
      'threshold-exceeded': 'true',
      high: '1',
      verdict: 'failed',
    })
    expect(summaries).toEqual([expect.stringMatching(/^## ❌/)])
  })

  it('passes a clean scan under a gate with verdict passed', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE'))
    await runStep({ 'fail-on-severity': 'high' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()).toMatchObject({ 'threshold-exceeded': 'false', verdict: 'passed' })
  })

  it('fails bad input before any AWS call, with a summary and verdict failed', async () => {
    await runStep({ 'wait-timeout': 'soon' })
    expect(of('setFailed')).toEqual([expect.stringContaining("'wait-timeout'")])
    expect(ecr.calls()).toHaveLength(0)
    expect(summaries).toEqual([expect.stringContaining('wait-timeout')])
    expect(outputs()).toEqual({ verdict: 'failed' })
  })

  it('fails a misspelled input of with: before any AWS call, naming what it meant', async () => {
    process.env['INPUT_FAIL-ON-SERVERITY'] = 'high'
    try {
      await runStep()
    } finally {
      delete process.env['INPUT_FAIL-ON-SERVERITY']
    }
    expect(of('setFailed')).toEqual([
      "'fail-on-serverity' is not an input of this action; did you mean 'fail-on-severity'? Fix the name in the step's with: block.",
    ])
    expect(ecr.calls()).toHaveLength(0)
    expect(outputs()).toEqual({ verdict: 'failed' })
  })

  it('turns a bug in the middle of the step into one error line', async () => {
    core.setOutput.mockImplementation(() => {
      throw new TypeError('cannot write')
    })
    await runStep()
    expect(of('setFailed')).toEqual([expect.stringMatching(/^Unexpected error: cannot write\./)])
  })

  it('says verdict failed last when the step fails after its verdict was written', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE'))
    core.setOutput.mockImplementation((...args: unknown[]) => {
      calls.push(['setOutput', ...args])
      if (args[0] === 'console-url') throw new TypeError('cannot write')
    })
    await runStep({ 'fail-on-severity': 'high' })
    const verdicts = calls.filter((call) => call[0] === 'setOutput' && call[1] === 'verdict')
    expect(verdicts.map((call) => call[2])).toEqual(['passed', 'failed'])
    expect(of('setFailed')).toEqual([expect.stringMatching(/^Unexpected error: cannot write\./)])
  })

  it('warns when the summary cannot be written, and the step is judged as before', async () => {
    fake.summaryFails = true
    await runStep()
    expect(of('warning').filter((w) => String(w).startsWith('Could not'))).toEqual([
      'Could not write the job summary: EACCES: permission denied',
    ])
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()['scan-status']).toBe('COMPLETE')
  })

  it('warns when the findings file cannot be written', async () => {
    process.env.RUNNER_TEMP = '/dev/null/nowhere'
    await runStep()
    expect(of('warning').filter((w) => String(w).startsWith('Could not'))).toEqual([
      expect.stringContaining('Could not write the findings file'),
    ])
    expect(outputs()['findings-file']).toBeUndefined()
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('writes the SARIF file when findings were read, and sets its output', async () => {
    const path = join(temp, 'reports', 'ecr.sarif')
    await runStep({ 'sarif-file': path })
    expect(outputs()['sarif-file']).toBe(path)
    expect(JSON.parse(readFileSync(path, 'utf8')).runs[0].results).toHaveLength(1)
  })

  it('writes no SARIF file when no findings were read: an empty upload would close every alert', async () => {
    const path = join(temp, 'empty.sarif')
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves({ imageScanStatus: { status: 'FAILED', description: 'unsupported' } })
    await runStep({ 'sarif-file': path, 'on-scan-failure': 'warn' })
    expect(existsSync(path)).toBe(false)
    expect(outputs()['sarif-file']).toBeUndefined()
    expect(of('notice')).toEqual(
      expect.arrayContaining([expect.stringContaining('sarif-file was not written')]),
    )
  })

  it('warns when the SARIF file cannot be written, without failing the step', async () => {
    await runStep({ 'sarif-file': '/dev/null/ecr.sarif' })
    expect(of('warning').filter((w) => String(w).startsWith('Could not'))).toEqual([
      expect.stringContaining('Could not write sarif-file /dev/null/ecr.sarif'),
    ])
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('gives finding annotations only what is left of the 10 warnings after earlier ones', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `CVE-${i}`, severity: 'HIGH' }))
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE', many))
    const file = join(temp, 'ignore.yml')
    writeFileSync(
      file,
      ['CVE-OLD-1', 'CVE-OLD-2', 'CVE-OLD-3']
        .map((id) => `- id: ${id}\n  reason: accepted\n  expires: 2000-01-01\n`)
        .join(''),
    )
    process.env.GITHUB_WORKSPACE = temp
    await runStep({ 'ignore-file': 'ignore.yml' })
    const warnings = of('warning')
    expect(warnings.filter((w) => String(w).includes('expired'))).toHaveLength(3)
    expect(warnings).toHaveLength(10)
  })

  it('titles each finding annotation, and the notice of the ones left over', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `CVE-${i}`, severity: 'HIGH' }))
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE', many))
    await runStep()
    const titles = (kind: string) =>
      calls.filter((call) => call[0] === kind).map((call) => (call[2] as { title?: string })?.title)
    expect(titles('warning')).toEqual(Array(10).fill('HIGH vulnerability in team/api:v1'))
    expect(titles('notice')).toEqual(['More findings'])
  })

  it('annotates no finding with annotations: false', async () => {
    await runStep({ annotations: 'false' })
    expect(of('warning')).toEqual([])
    expect(of('notice')).toEqual([])
  })

  it('ends its result line without a threshold when the findings were not read', async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('FAILED'))
    await runStep({ 'fail-on-severity': 'high', 'on-scan-failure': 'warn' })
    expect(of('info').at(-1)).toBe('Result: FAILED; findings not read.')
  })

  it('says there is no scan status in its result line when the image could not be resolved', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error('The image does not exist.'), {
        name: 'ImageNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    )
    await runStep()
    expect(of('info').at(-1)).toBe('Result: no scan status; findings not read.')
  })

  it('writes the summary with a line end after it, and nothing after its sections', async () => {
    await runStep()
    expect(fake.summaryLineEnds).toEqual([true])
    // No SARIF results were left out and no ignore rule is noted: the sections end it.
    expect(summaries[0]).toMatch(/\n$/)
  })

  it('writes no summary outside a runner (no GITHUB_STEP_SUMMARY), and still sets outputs', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await runStep()
    expect(summaries).toEqual([])
    expect(of('warning')).toEqual([expect.stringContaining('HIGH')])
    expect(outputs()['scan-status']).toBe('COMPLETE')
  })

  it('masks the AWS secret key and session token before anything else', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'secret-key'
    process.env.AWS_SESSION_TOKEN = 'session-token'
    try {
      await runStep()
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY
      delete process.env.AWS_SESSION_TOKEN
    }
    expect(calls.slice(0, 2)).toEqual([
      ['setSecret', 'secret-key'],
      ['setSecret', 'session-token'],
    ])
  })

  it('keeps each of several images in one group of its own, even when they run at once', async () => {
    await runStep({ 'image-tag': 'v1\nv2\nv3' })
    const titles = of('startGroup')
    expect(titles).toEqual(
      expect.arrayContaining([
        'team/api:v1 (us-east-1)',
        'team/api:v2 (us-east-1)',
        'team/api:v3 (us-east-1)',
      ]),
    )
    for (const title of titles) {
      const start = calls.findIndex((call) => call[0] === 'startGroup' && call[1] === title)
      const end = calls.findIndex((call, i) => i > start && call[0] === 'endGroup')
      const inside = calls.slice(start + 1, end)
      expect(inside.every((call) => call[0] !== 'startGroup')).toBe(true)
      const tag = String(title).split(':')[1]?.split(' ')[0]
      expect(inside.map((call) => call[1])).toEqual(
        expect.arrayContaining([expect.stringContaining(`team/api:${tag} is`)]),
      )
    }
  })

  it('names the images it scans and ends each with its result line', async () => {
    await runStep({ 'fail-on-severity': 'high' })
    expect(of('info')).toEqual(expect.arrayContaining(['Scanning team/api:v1 (us-east-1).']))
    expect(of('info').at(-1)).toBe('Result: COMPLETE; 1 HIGH; threshold HIGH exceeded.')
    calls.length = 0
    await runStep({ 'fail-on-severity': 'critical' })
    expect(of('info').at(-1)).toBe('Result: COMPLETE; 1 HIGH; threshold CRITICAL not reached.')
    calls.length = 0
    ecr.on(DescribeImageScanFindingsCommand).resolves(
      answer('COMPLETE', [
        { name: 'CVE-1', severity: 'HIGH' },
        { name: 'CVE-2', severity: 'CRITICAL' },
        { name: 'CVE-3', severity: 'HIGH' },
      ]),
    )
    await runStep()
    expect(of('info').at(-1)).toBe('Result: COMPLETE; 1 CRITICAL, 2 HIGH.')

    calls.length = 0
    ecr.on(StartImageScanCommand).rejects(
      Object.assign(new Error('The scan quota per image has been exceeded.'), {
        name: 'LimitExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    )
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('COMPLETE'))
    await runStep({ 'image-tag': 'v1\nv2\nv3', 'on-limit-exceeded': 'ignore' })
    const info = of('info')
    expect(info[0]).toBe(
      'Scanning team/api:v1 (us-east-1), team/api:v2 (us-east-1), team/api:v3 (us-east-1).',
    )
    // Each image's notes and warnings carry its name when there are several.
    expect(info).toEqual(
      expect.arrayContaining([
        "team/api:v2: ECR's scan quota for team/api:v2 is used up (one scan per image per 24 hours); its existing scan is reported.",
        'team/api:v1: Result: COMPLETE; scan quota used up; no findings.',
        'team/api:v2: Result: COMPLETE; scan quota used up; no findings.',
      ]),
    )

    calls.length = 0
    await runStep({ 'image-tag': 'v1\nv2', 'on-limit-exceeded': 'warn' })
    expect(of('warning')).toEqual([
      "team/api:v1: ECR's scan quota for team/api:v1 is used up (one scan per image per 24 hours); its existing scan is reported.",
      "team/api:v2: ECR's scan quota for team/api:v2 is used up (one scan per image per 24 hours); its existing scan is reported.",
    ])

    calls.length = 0
    ecr.on(DescribeImageScanFindingsCommand).resolves(answer('FAILED'))
    await runStep({ 'image-tag': 'v1\nv2\nv3\nv4', 'on-scan-failure': 'warn' })
    expect(of('info')[0]).toBe('Scanning 4 images.')
    expect(of('info')).toEqual(
      expect.arrayContaining([
        'team/api:v4: Result: FAILED; scan quota used up; findings not read.',
      ]),
    )
  })

  it("passes the scan's notices and warnings to the runner", async () => {
    const denied = (message: string) =>
      Object.assign(new Error(message), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      })
    ecr.on(GetRegistryScanningConfigurationCommand).rejects(denied('no registry access'))
    ecr.on(StartImageScanCommand).rejects(denied('no StartImageScan'))
    await runStep()
    expect(of('notice')).toEqual([
      expect.stringMatching(/^GetRegistryScanningConfiguration was denied/),
    ])
    expect(of('warning')[0]).toMatch(/^This role may not call ecr:StartImageScan/)
  })

  it('with debug logging on, logs the resolved inputs', async () => {
    fake.debugOn = true
    try {
      await runStep()
    } finally {
      fake.debugOn = false
    }
    const debug = of('debug').map(String)
    expect(debug).toEqual(expect.arrayContaining(['Resolved inputs:', '  repository: team/api']))
    // Each request's line comes from the client's middleware, which the mocked client skips:
    // ecr-client.test.ts checks it over HTTP.
  })

  it('comments on the pull request only when comment-on-pr asks for it', async () => {
    await runStep()
    expect(of('notice')).toEqual([])
    await runStep({ 'comment-on-pr': 'true' })
    expect(of('notice')).toEqual([expect.stringMatching(/^comment-on-pr: no comment written/)])
  })

  it('with compare-to and only-new, annotates and fails on what the baseline lacks only', async () => {
    const PRODUCTION = `sha256:${'b'.repeat(64)}`
    ecr
      .on(DescribeImagesCommand)
      .callsFake(async (input: { repositoryName: string; imageIds: { imageTag?: string }[] }) => {
        const imageTag = input.imageIds[0]?.imageTag ?? 'v1'
        const imageDigest = imageTag === 'production' ? PRODUCTION : DIGEST
        return {
          imageDetails: [
            { registryId: '123456789012', repositoryName: input.repositoryName, imageDigest },
          ],
        }
      })
    const old = [{ name: 'CVE-OLD', severity: 'CRITICAL' }]
    ecr
      .on(DescribeImageScanFindingsCommand)
      .callsFake(async (input: { imageId: { imageDigest?: string } }) =>
        input.imageId.imageDigest === PRODUCTION
          ? answer('COMPLETE', old)
          : answer('COMPLETE', [...old, { name: 'CVE-NEW', severity: 'HIGH' }]),
      )
    await runStep({ 'compare-to': 'production', 'only-new': 'true', 'fail-on-severity': 'high' })
    expect(of('warning')).toEqual([expect.stringMatching(/^CVE-NEW \(HIGH\) in zlib/)])
    expect(of('setFailed')).toEqual([expect.stringContaining('1 new finding at or above HIGH')])
    expect(outputs()).toMatchObject({ 'new-findings': '1', 'baseline-digest': PRODUCTION })
    expect(summaries[0]).toContain('### 1 new finding since <code>team/api:production</code>')
  })

  it('with compare-to and several images, reads the baseline of their repository once', async () => {
    const PRODUCTION = `sha256:${'b'.repeat(64)}`
    const digests: Record<string, string> = {
      v1: DIGEST,
      v2: `sha256:${'c'.repeat(64)}`,
      production: PRODUCTION,
    }
    resolveTags(digests)
    await runStep({ 'image-tag': 'v1\nv2', 'compare-to': 'production' })
    const described = ecr
      .commandCalls(DescribeImagesCommand)
      .map((call) => call.args[0].input.imageIds?.[0]?.imageTag)
    expect(described.filter((tag) => tag === 'production')).toHaveLength(1)
    const read = ecr
      .commandCalls(DescribeImageScanFindingsCommand)
      .filter((call) => call.args[0].input.imageId?.imageDigest === PRODUCTION)
    expect(read).toHaveLength(1)
    expect(
      ecr.commandCalls(StartImageScanCommand).map((call) => call.args[0].input.imageId),
    ).toEqual([{ imageDigest: DIGEST }, { imageDigest: digests.v2 }])
    expect(outputs()).toMatchObject({ 'new-findings': '0', 'baseline-digest': PRODUCTION })
  })

  it('with a baseline that was never scanned, warns why, leaves the comparison outputs unset and only-new fails as without it', async () => {
    const PRODUCTION = `sha256:${'b'.repeat(64)}`
    ecr
      .on(DescribeImagesCommand)
      .callsFake(async (input: { repositoryName: string; imageIds: { imageTag?: string }[] }) => ({
        imageDetails: [
          {
            registryId: '123456789012',
            repositoryName: input.repositoryName,
            imageDigest: input.imageIds[0]?.imageTag === 'production' ? PRODUCTION : DIGEST,
          },
        ],
      }))
    ecr.on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: PRODUCTION } }).rejects(
      Object.assign(new Error('No scan found for the image.'), {
        name: 'ScanNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    )
    await runStep({ 'compare-to': 'production', 'only-new': 'true', 'fail-on-severity': 'high' })
    expect(of('warning')).toEqual(
      expect.arrayContaining([
        'The baseline team/api:production was not compared: ECR has no scan of it. new-findings and fixed-findings stay empty; only-new considers every finding instead.',
        // Annotated as without only-new.
        expect.stringMatching(/^CVE-1 \(HIGH\) in zlib/),
      ]),
    )
    expect(of('setFailed')).toEqual([expect.stringContaining('1 finding at or above HIGH')])
    expect(outputs()).not.toHaveProperty('new-findings')
    expect(outputs()).not.toHaveProperty('fixed-findings')
    expect(outputs()['baseline-digest']).toBe(PRODUCTION)
  })

  it('when cancelled during the wait, fails with what it knew and writes the outputs', async () => {
    const cancel = new AbortController()
    let polls = 0
    ecr.on(DescribeImageScanFindingsCommand).callsFake(async () => {
      polls += 1
      if (polls === 2) cancel.abort()
      return answer('IN_PROGRESS')
    })
    await runStep({}, cancel.signal)
    expect(of('setFailed')).toEqual([
      expect.stringContaining('cancelled while waiting for the scan of team/api:v1'),
    ])
    expect(outputs()).toMatchObject({ 'scan-status': 'IN_PROGRESS', 'scan-started': 'true' })
    expect(summaries).toHaveLength(1)
  })

  it('keeps a failed image’s error, with its AWS cause, in the debug log', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error('User is not authorized to perform ecr:DescribeImages'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400, requestId: 'req-123' },
      }),
    )
    await runStep()
    expect(of('setFailed')).toEqual([expect.stringContaining('AWS refused')])
    const debug = of('debug').map(String).join('\n')
    expect(debug).toContain('Caused by: AccessDeniedException: User is not authorized')
    expect(debug).toContain('req-123')
  })
})
