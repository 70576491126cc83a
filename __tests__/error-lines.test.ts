// The words of a failure: what errorMessage makes of anything thrown, how describeFailure joins
// a message and its hint, and how shown() bounds a user's value.
import { describe, expect, it } from '@jest/globals'
import { ActionError, describeFailure, errorMessage } from '../src/kernel/errors.js'
import { shown } from '../src/kernel/text.js'

describe('errorMessage', () => {
  it('trims the message, and falls back to the name when the message is blank', () => {
    expect(errorMessage({ message: ' socket hang up\n' })).toBe('socket hang up')
    expect(errorMessage({ message: '  ', name: ' TimeoutError ' })).toBe('TimeoutError')
    expect(errorMessage({ message: '', name: '  ' })).toBe('an error without a message')
  })

  it('says there was no message for undefined and null, never "undefined"', () => {
    expect(errorMessage(undefined)).toBe('an error without a message')
    expect(errorMessage(null)).toBe('an error without a message')
  })
})

describe('describeFailure', () => {
  it('ends the message with a full stop before the hint, whatever dots it holds inside', () => {
    const error = new ActionError("Tag 'v1.2' was not found in team/api", 'Push it first.')
    expect(describeFailure(error)).toBe("Tag 'v1.2' was not found in team/api. Push it first.")
  })

  it('adds no second full stop after a message that ends in one and then spaces', () => {
    const error = new ActionError('ECR refused the request. \n', 'Check the role.')
    expect(describeFailure(error)).toBe('ECR refused the request. Check the role.')
  })
})

describe('shown', () => {
  it('keeps a value of 80 characters whole and cuts a longer one to 78', () => {
    expect(shown('a'.repeat(80))).toBe('a'.repeat(80))
    expect(shown('a'.repeat(81))).toBe(`${'a'.repeat(77)}…`)
  })
})
