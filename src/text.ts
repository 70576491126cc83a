/** The entries of a list input: newline- or comma-separated, trimmed, without empty entries. */
export function listOf(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}
