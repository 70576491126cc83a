/** The entries of a list input: newline- or comma-separated, trimmed, without empty entries. */
export function listOf(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}

/**
 * Untrusted text (from ECR or the user) for one line of the log or an annotation: no control
 * characters, so no line break can start a workflow command and no ANSI escape can repaint the
 * log; bounded in length.
 */
export function plainLine(text: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
