// main.run is the one place that fails the step: even a bug ends in one error line.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'

const setFailed = jest.fn<(message: string) => void>()
const getInput = jest.fn<(name: string) => string>()
jest.unstable_mockModule('@actions/core', () => ({
  getInput,
  setFailed,
  setSecret: jest.fn(),
  setOutput: jest.fn(),
  info: jest.fn(),
  notice: jest.fn(),
  warning: jest.fn(),
  debug: jest.fn(),
  summary: { addRaw: () => ({ write: async () => undefined }) },
}))
const { run } = await import('../src/main.js')

beforeEach(() => {
  setFailed.mockReset()
  getInput.mockReset()
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

  it('fails bad input with the input error', async () => {
    getInput.mockImplementation((name) => (name === 'repository' ? 'Bad Name' : ''))
    await run()
    expect(setFailed).toHaveBeenCalledTimes(1)
    expect(setFailed.mock.calls[0]?.[0]).toContain("Input 'repository' is 'Bad Name'")
  })
})
