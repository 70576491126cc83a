// run() with the SDK's whole middleware stack, over HTTP to the in-process emulator: what the
// step adds to every client (the shared request budget, the debug line of each request, the
// throttling count in the log) acts only there, and a mocked client never reaches it.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { FakeClock } from '../__fixtures__/clock.js'
import { recordingCore } from '../__fixtures__/core.js'
import { inputDefaults } from '../tools/action-inputs.ts'
import { withEmulator } from './helpers/emulator.js'

const fake = recordingCore()
jest.unstable_mockModule('@actions/core', () => fake.core)
const { run } = await import('../src/main.js')

const { emulator } = withEmulator()
const saved = { ...process.env }

beforeEach(() => {
  fake.reset()
  process.env.AWS_ENDPOINT_URL_ECR = emulator.url
  process.env.AWS_ACCESS_KEY_ID = 'test'
  process.env.AWS_SECRET_ACCESS_KEY = 'test'
  process.env.AWS_REGION = 'us-east-1'
  delete process.env.GITHUB_STEP_SUMMARY
  emulator.putImage({ repositoryName: 'team/api', tag: 'v1' })
})

afterEach(() => {
  process.env = { ...saved }
})

/** One image, started and not waited for: DescribeImages, the registry's scan type, StartImageScan. */
async function runStep(with_: Record<string, string> = {}): Promise<FakeClock> {
  fake.inputs = {
    ...inputDefaults(),
    // The exploit sources are on the internet; their own tests run a local fake.
    'exploit-sources': 'none',
    repository: 'team/api',
    'image-tag': 'v1',
    wait: 'false',
    ...with_,
  }
  const clock = new FakeClock(Date.UTC(2026, 11, 3))
  await run({ clock })
  return clock
}

const operations = () => emulator.requests().map((request) => request.operation)

describe('run over HTTP', () => {
  it('starts the scan and sets the outputs, with no failure', async () => {
    await runStep()
    expect(fake.core.setFailed).not.toHaveBeenCalled()
    expect(fake.outputs()).toMatchObject({ 'scan-status': 'IN_PROGRESS', 'scan-started': 'true' })
    expect(operations().sort()).toEqual([
      'DescribeImages',
      'GetRegistryScanningConfiguration',
      'StartImageScan',
    ])
  })

  it('sends every request of a region through one client, which keeps its connections', async () => {
    // DescribeImages and the registry's scan type go at once; StartImageScan reuses a connection.
    // A client per request would open one for each.
    await runStep()
    expect(emulator.requests()).toHaveLength(3)
    expect(emulator.connectionsOpened()).toBe(2)
  })

  it('holds every request to requests-per-second, on the step clock', async () => {
    // One token a second: the first request goes at once, the two after it wait their turn.
    const clock = await runStep({ 'requests-per-second': '1' })
    const waited = clock.sleeps.reduce((total, ms) => total + ms, 0)
    expect(waited).toBeGreaterThanOrEqual(2000)
    expect(waited).toBeLessThan(3000)
  })

  it('says in the log how many requests ECR throttled, once they went through', async () => {
    emulator.injectFault({ kind: 'throttling', operation: 'DescribeImages', times: 2 })
    await runStep()
    expect(fake.core.setFailed).not.toHaveBeenCalled()
    expect(fake.of('info')).toContain(
      'ECR throttled 2 requests; the action slowed down and retried them.',
    )
  })

  it('says nothing of throttling when ECR throttled nothing', async () => {
    await runStep()
    expect(fake.of('info').filter((line) => String(line).includes('throttled'))).toEqual([])
  })

  it('logs each request in the debug log, and none without it', async () => {
    fake.debugOn = true
    await runStep()
    const lines = fake.of('debug').map(String)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AWS ECR DescribeImages \(us-east-1\): HTTP 200, request ID /),
        expect.stringMatching(/^AWS ECR StartImageScan \(us-east-1\): HTTP 200, request ID /),
      ]),
    )
    fake.reset()
    await runStep()
    expect(fake.of('debug')).toEqual([])
  })
})
