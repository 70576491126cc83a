// A stand-in for @actions/core that records every call the step makes to the runner, for tests
// of run() (ESM: jest.unstable_mockModule('@actions/core', () => fake.core), then import main).
import { jest } from '@jest/globals'

export interface RecordingCore {
  /** The module to hand to jest.unstable_mockModule. */
  core: {
    getInput: (name: string) => string
    setFailed: jest.Mock<(...args: unknown[]) => void>
    setSecret: (...args: unknown[]) => void
    setOutput: jest.Mock<(...args: unknown[]) => void>
    info: (...args: unknown[]) => void
    notice: (...args: unknown[]) => void
    warning: (...args: unknown[]) => void
    debug: (...args: unknown[]) => void
    startGroup: (...args: unknown[]) => void
    endGroup: (...args: unknown[]) => void
    isDebug: () => boolean
    summary: {
      addRaw: (markdown: string, addEOL?: boolean) => { write: () => Promise<void> }
    }
  }
  /** Every call, in order: [function, ...arguments]. */
  calls: unknown[][]
  /** The first argument of each call to `name`, e.g. of('warning'). */
  of(name: string): unknown[]
  /** The outputs set so far, by name. */
  outputs(): Record<string, unknown>
  /** Job summaries written. */
  summaries: string[]
  /** Whether each summary asked for a line end after it (addRaw's second argument). */
  summaryLineEnds: boolean[]
  /** The inputs getInput answers; a missing one is ''. */
  inputs: Record<string, string>
  debugOn: boolean
  summaryFails: boolean
  /** Forgets every call, summary and setting of the last test. */
  reset(): void
}

export function recordingCore(): RecordingCore {
  const calls: unknown[][] = []
  const record =
    (name: string) =>
    (...args: unknown[]): void => {
      calls.push([name, ...args])
    }
  const fake: RecordingCore = {
    calls,
    summaries: [],
    summaryLineEnds: [],
    inputs: {},
    debugOn: false,
    summaryFails: false,
    core: {
      getInput: (name) => fake.inputs[name] ?? '',
      setFailed: jest.fn(record('setFailed')),
      setSecret: record('setSecret'),
      setOutput: jest.fn(record('setOutput')),
      info: record('info'),
      notice: record('notice'),
      warning: record('warning'),
      debug: record('debug'),
      startGroup: record('startGroup'),
      endGroup: record('endGroup'),
      isDebug: () => fake.debugOn,
      summary: {
        addRaw: (markdown, addEOL) => ({
          write: async () => {
            if (fake.summaryFails) throw new Error('EACCES: permission denied')
            fake.summaries.push(markdown)
            fake.summaryLineEnds.push(addEOL === true)
          },
        }),
      },
    },
    of: (name) => calls.filter((call) => call[0] === name).map((call) => call[1]),
    outputs: () =>
      Object.fromEntries(calls.filter((c) => c[0] === 'setOutput').map((c) => [c[1], c[2]])),
    reset: () => {
      calls.length = 0
      fake.summaries.length = 0
      fake.summaryLineEnds.length = 0
      fake.summaryFails = false
      fake.debugOn = false
      fake.core.setFailed.mockClear()
      fake.core.setOutput.mockImplementation(record('setOutput'))
    },
  }
  return fake
}
