// main.run is the one place that fails the step: even a bug ends in one error line.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'

const setFailed = jest.fn<(message: string) => void>()
const getInput = jest.fn<(name: string) => string>()
const debug = jest.fn<(message: string) => void>()
const setSecret = jest.fn<(secret: string) => void>()
jest.unstable_mockModule('@actions/core', () => ({
  getInput,
  setFailed,
  setSecret,
  setOutput: jest.fn(),
  info: jest.fn(),
  notice: jest.fn(),
  warning: jest.fn(),
  debug,
  isDebug: () => true,
  summary: { addRaw: () => ({ write: async () => undefined }) },
}))
const { run } = await import('../src/main.js')

beforeEach(() => {
  setFailed.mockReset()
  getInput.mockReset()
  debug.mockReset()
  setSecret.mockReset()
})

describe('run', () => {
  it('turns an unexpected error into one failure line', async () => {
    getInput.mockImplementation(() => {
      throw new TypeError('boom')
    })
    await run()
    expect(setFailed.mock.calls).toEqual([
      ["Unexpected error: boom. Please report it with the step's debug log."],
    ])
  })

  it("puts an unexpected error's stack and cause in the debug log", async () => {
    // Masking the credentials comes before everything else the step does.
    process.env.AWS_SECRET_ACCESS_KEY = 'a-secret'
    setSecret.mockImplementation(() => {
      throw new TypeError('boom', { cause: new RangeError('under it') })
    })
    await run()
    delete process.env.AWS_SECRET_ACCESS_KEY
    expect(setFailed.mock.calls).toEqual([
      ["Unexpected error: boom. Please report it with the step's debug log."],
    ])
    const [details = ''] = debug.mock.calls.map(([message]) => message)
    expect(details).toMatch(/^TypeError: boom\n {4}at .*main\.test\.ts/)
    expect(details).toMatch(/\nCaused by: RangeError: under it\n {4}at /)
  })

  it('fails bad input with the input error', async () => {
    getInput.mockImplementation((name) => (name === 'repository' ? 'Bad Name' : ''))
    await run()
    expect(setFailed).toHaveBeenCalledTimes(1)
    expect(setFailed.mock.calls[0]?.[0]).toContain("Input 'repository' is 'Bad Name'")
  })
})
