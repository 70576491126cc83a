/**
 * A failure the user can act on: `message` says what was wrong, `hint` what to do about it.
 * Anything else that is thrown is a bug or an unexpected AWS answer and is reported as such.
 */
export class ActionError extends Error {
  readonly hint?: string
  constructor(message: string, hint?: string) {
    super(message)
    this.name = 'ActionError'
    this.hint = hint
  }
}

/** A bad action input, found before any AWS call. */
export class InputError extends ActionError {
  readonly input: string
  constructor(input: string, message: string) {
    super(message)
    this.name = 'InputError'
    this.input = input
  }
}

/**
 * The text of anything thrown, in words: an Error's message, a thrown object's `message` or
 * `name`, a string as it is. Never JSON or `[object Object]`, which mean nothing in a log line.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error
  if (error && typeof error === 'object') {
    const { message, name } = error as { message?: unknown; name?: unknown }
    if (typeof message === 'string' && message.trim()) return message.trim()
    if (typeof name === 'string' && name.trim()) return name.trim()
    return 'an error without a message'
  }
  if (error === undefined || error === null) return 'an error without a message'
  return String(error)
}

/** One line for `::error::`: what was wrong, then what to do. */
export function describeFailure(error: unknown): string {
  if (error instanceof ActionError)
    return error.hint ? `${asSentence(error.message)} ${error.hint}` : error.message
  return `Unexpected error: ${errorMessage(error)}. Please report it with the step's debug log.`
}

/** Ends `text` with a full stop unless it already ends a sentence (ECR's messages often do not). */
function asSentence(text: string): string {
  const trimmed = text.trimEnd()
  return /[.!?:)]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
