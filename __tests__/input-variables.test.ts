// The runner's INPUT_ variables against action.yml's inputs: a misspelled input fails the step
// before anything else (it would otherwise turn its gate off), the runner's own variables and
// the job's do not.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/kernel/errors.js'
import {
  checkInputVariables,
  editDistance,
  nearMisses,
  unknownInputsError,
} from '../src/inputs/input-variables.js'
import { Inputs, type InputName } from '../src/kernel/names.js'
import { getSettings, settingsDebugLines } from '../src/inputs/settings.js'
import { inputDefaults } from '../tools/action-inputs.ts'

const WITH = { repository: 'team/api', 'image-tag': 'v1' }

/** The runner's variable for a key of with:: upper-cased, spaces to `_`, dashes kept. */
const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/** The environment the runner gives a step: action.yml's defaults, then the step's with:. */
function runnerEnv(with_: Record<string, string>, env: Record<string, string> = {}) {
  const variables: Record<string, string> = { AWS_REGION: 'us-east-1', ...env }
  for (const [name, value] of Object.entries({ ...inputDefaults(), ...WITH, ...with_ })) {
    variables[inputVariable(name)] = value
  }
  return variables
}

/** getSettings as the runner would call it: inputs read from the same variables. */
function settingsIn(env: Record<string, string>) {
  return getSettings((name) => env[inputVariable(name)] ?? '', env)
}

function errorIn(env: Record<string, string>): InputError {
  try {
    settingsIn(env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('a name of with: that is not an input, with a dash', () => {
  it('fails, naming it in lower case and the input it most likely meant', () => {
    const error = errorIn(runnerEnv({ 'fail-on-serverity': 'high' }))
    expect(error.message).toBe(
      "'fail-on-serverity' is not an input of this action; did you mean 'fail-on-severity'? Fix the name in the step's with: block.",
    )
    expect(error.input).toBe('fail-on-serverity')
  })

  it('fails before any other input is read: the misspelling is the cause of what follows', () => {
    // Without the repository the step would otherwise say 'repository' is required.
    const env = runnerEnv({ repositry: 'team/api' })
    delete env[inputVariable(Inputs.repository)]
    expect(errorIn(env).message).toMatch(
      /^'repositry' is not an input of this action; did you mean 'repository'\?/,
    )
  })

  it('takes a tail of an input for a near-miss: severity of fail-on-severity', () => {
    expect(errorIn(runnerEnv({ 'on-severity': 'high' })).message).toContain(
      "did you mean 'fail-on-severity'?",
    )
  })

  it('says where the inputs are when none is close, instead of listing them all', () => {
    const error = errorIn(runnerEnv({ 'scan-on-push': 'true' }))
    expect(error.message).toBe(
      "'scan-on-push' is not an input of this action, nor close to one. Fix the name in the step's with: block; action.yml lists the action's inputs.",
    )
  })

  it('names several together in one line, each with what it likely meant', () => {
    const error = errorIn(
      runnerEnv({ 'fail-on-serverity': 'high', 'scan-on-push': 'x', only_new: 'true' }),
    )
    expect(error.message).toBe(
      "These names in the step's with: block are not inputs of this action: 'fail-on-serverity' (did you mean 'fail-on-severity'?), 'only_new' (spelled with dashes: 'only-new'), 'scan-on-push' (close to no input; action.yml lists the action's inputs). Fix them there.",
    )
    expect(error.message).not.toContain('\n')
    // The first name by the variables' order, for the error's input.
    expect(error.input).toBe('fail-on-serverity')
  })

  it('offers every input a name is equally close to', () => {
    // file is the tail of two inputs.
    expect(errorIn(runnerEnv({ file: 'x.yml' })).message).toContain(
      "did you mean 'ignore-file' or 'sarif-file'?",
    )
  })
})

describe('an input spelled with _ or in camelCase', () => {
  it.each([
    ['fail_on_severity', 'fail_on_severity'],
    ['failOnSeverity', 'failonseverity'],
    ['Fail On Severity', 'fail_on_severity'],
  ])('%s fails with the spelling to write', (written, named) => {
    const error = errorIn(runnerEnv({ [written]: 'high' }))
    expect(error.message).toBe(
      `'${named}' is not an input of this action: inputs are spelled with dashes, so write 'fail-on-severity' in the step's with: block.`,
    )
  })

  it('holds for an input without a dash: its parts run together or apart are still it', () => {
    expect(checkInputVariables({ INPUT_IM_AGE: 'x' }).unknown).toEqual([
      { kind: 'separators', name: 'im_age', meant: 'image' },
    ])
  })
})

describe('what is left alone', () => {
  it("the runner's variables for every declared input, defaults and with: alike", () => {
    const env = runnerEnv(Object.fromEntries(Object.values(Inputs).map((name) => [name, ''])))
    expect(checkInputVariables(env)).toEqual({ unknown: [], stray: [] })
  })

  it('a variable with no dash that is no near-miss: the debug log names it, nothing fails', () => {
    const env = runnerEnv({}, { INPUT_DEPLOY_TARGET: 'prod', INPUT_ID: '7' })
    const settings = settingsIn(env)
    expect(settings.strayInputVariables).toEqual(['INPUT_DEPLOY_TARGET', 'INPUT_ID'])
    const lines = settingsDebugLines(settings)
    expect(lines.filter((line) => line.includes('INPUT_DEPLOY_TARGET'))).toEqual([
      'INPUT_DEPLOY_TARGET is not an input of this action, nor close to one, and has no dash: left alone as a variable the job set.',
    ])
    expect(lines).toHaveLength(Object.keys(Inputs).length + 3)
  })

  it('a declared input whatever its case: compared as the runner compares names, not as typed', () => {
    // A runner that does not upper-case (a local one) still reads the input.
    expect(
      checkInputVariables({ 'INPUT_Fail-On-Severity': 'high', 'INPUT_only-new': 'true' }),
    ).toEqual({ unknown: [], stray: [] })
  })

  it('variables that only start like INPUT_ in another case, or not at all', () => {
    expect(checkInputVariables({ input_fail_on_serverity: 'x', MY_INPUT_X: 'y' })).toEqual({
      unknown: [],
      stray: [],
    })
  })
})

describe('near-miss, at its edges', () => {
  it.each([
    // Up to 4 letters: one edit.
    ['waitt', ['wait']],
    ['wiat', ['wait']],
    ['wt', []],
    // Longer: two edits, counted without dashes.
    ['imag', ['image']],
    ['imgs', ['image']],
    ['imges', ['image']],
    ['severiti', []],
    ['fail-on-sevrity', ['fail-on-severity']],
    ['fail-on-sverty', ['fail-on-severity']],
    ['fail-on-svrty', []],
    // Swapped neighbours are one edit.
    ['fail-on-sevreity', ['fail-on-severity']],
    // Tails: whole words at the end, at least 3 letters, never the whole input.
    ['severity', ['fail-on-severity']],
    ['on_severity', ['fail-on-severity']],
    ['verity', []],
    ['new', ['only-new']],
    ['pr', []],
    ['id', []],
    ['token', ['github-token']],
    // The closest by edits first; tails only when no edit distance is as close.
    ['regions', ['region']],
    // image-tag is one edit away, image two: only the closest.
    ['image-tg', ['image-tag']],
    // Compared in lower case, with _ read as -.
    ['ON_SEVERITY', ['fail-on-severity']],
  ])('%s → %j', (name, meant) => {
    expect(nearMisses(name)).toEqual(meant)
  })

  it('names an input once when the name is both a few edits from it and its tail', () => {
    const declared = ['x-tag', 'image'] as unknown as InputName[]
    expect(nearMisses('tag', declared)).toEqual(['x-tag'])
  })

  it('puts the inputs a few edits away before those the name is a tail of', () => {
    const declared = ['abc-tag', 'tags'] as unknown as InputName[]
    expect(nearMisses('tag', declared)).toEqual(['tags', 'abc-tag'])
  })

  it('reads every _ of a tail as -', () => {
    const declared = ['first-bc-de-fg'] as unknown as InputName[]
    expect(nearMisses('bc_de_fg', declared)).toEqual(['first-bc-de-fg'])
  })

  it('is never the input itself, however it is separated', () => {
    expect(nearMisses('fail-on-severity')).toEqual([])
    expect(nearMisses('FAIL_ON_SEVERITY')).toEqual([])
  })

  it('a near-miss without a dash fails; the same distance one more edit away is left alone', () => {
    expect(checkInputVariables({ INPUT_WAITT: 'x', INPUT_WAITTT: 'y' })).toEqual({
      unknown: [{ kind: 'misspelled', name: 'waitt', meant: ['wait'] }],
      stray: ['INPUT_WAITTT'],
    })
  })
})

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['abc', 'ab', 1],
    ['abc', 'acb', 1],
    ['serverity', 'severity', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('%s → %s: %i', (a, b, edits) => {
    expect(editDistance(a, b)).toBe(edits)
    expect(editDistance(b, a)).toBe(edits)
  })
})

describe('unknownInputsError', () => {
  it('joins what a name may have meant with commas and a last "or"', () => {
    const meant: InputName[] = ['ignore-file', 'sarif-file', 'dockerfile']
    expect(unknownInputsError([{ kind: 'misspelled', name: 'file', meant }]).message).toBe(
      "'file' is not an input of this action; did you mean 'ignore-file', 'sarif-file' or 'dockerfile'? Fix the name in the step's with: block.",
    )
  })

  it('names the first input for the error and quotes what the workflow wrote visibly', () => {
    const error = unknownInputsError([{ kind: 'unknown', name: 'a-b\u0007' }])
    expect(error.input).toBe('a-b\u0007')
    expect(error.message).toMatch(/^'a-b\\u0007' is not an input/)
  })
})
