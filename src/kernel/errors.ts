/**
 * A failure the user can act on: `message` says what was wrong, `hint` what to do about it, and
 * `cause` (ES2022) the error it explains, such as AWS's answer, kept for the debug log.
 * Anything else that is thrown is a bug or an unexpected AWS answer and is reported as such.
 */
export class ActionError extends Error {
  readonly hint?: string
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options)
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
    return error.hint ? `${asSentence(error.message)} ${error.hint}` : asSentence(error.message)
  // One full stop after the message, whether or not it ends with its own.
  return `Unexpected error: ${errorMessage(error).replace(/\.+$/, '')}. Please report it with the step's debug log.`
}

/** Ends `text` with a full stop unless it already ends a sentence (ECR's messages often do not). */
function asSentence(text: string): string {
  const trimmed = text.trimEnd()
  return /[.!?:)]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

/**
 * Everything a bug report needs about `error`, for the debug log: its stack (or name and
 * message), the AWS request ID, HTTP status and attempts it carries, then each `cause` in turn.
 * `mapStack` rewrites a stack's positions (the bundle's into src/ lines).
 */
export function errorDetails(
  error: unknown,
  mapStack: (stack: string) => string = (stack) => stack,
): string {
  const parts: string[] = []
  const seen = new Set<unknown>()
  let current: unknown = error
  // A few levels say all there is; a cycle of causes must not loop.
  while (current !== undefined && !seen.has(current) && seen.size < 5) {
    seen.add(current)
    const { stack, name } = (current ?? {}) as { stack?: unknown; name?: unknown }
    const headline =
      typeof name === 'string' && name ? `${name}: ${errorMessage(current)}` : errorMessage(current)
    const text =
      typeof stack === 'string' && stack.includes('\n    at ') ? mapStack(stack) : headline
    const aws = awsMetadata(current)
    parts.push(`${seen.size > 1 ? 'Caused by: ' : ''}${text}${aws ? `\n    (${aws})` : ''}`)
    current = (current as { cause?: unknown } | null)?.cause
  }
  return parts.join('\n')
}

/** `AWS request ID …, HTTP 400, 3 attempts` from an SDK error's `$metadata`, or ''. */
function awsMetadata(error: unknown): string {
  const metadata = (error as { $metadata?: Record<string, unknown> } | null)?.$metadata
  if (!metadata || typeof metadata !== 'object') return ''
  const { requestId, httpStatusCode, attempts } = metadata
  return [
    typeof requestId === 'string' ? `AWS request ID ${requestId}` : '',
    typeof httpStatusCode === 'number' ? `HTTP ${httpStatusCode}` : '',
    typeof attempts === 'number' ? `${attempts} attempt${attempts === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ')
}
