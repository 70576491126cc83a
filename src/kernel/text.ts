// Text cleaning, one helper per kind, each with its limits: list inputs (listOf), a user's
// value quoted in an error line (shown), untrusted text on one log line (plainLine), and values
// from ECR and Inspector (cleanValue). The summary's HTML escaping builds on plainLine (escape.ts).

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

/**
 * A user's value as it may appear in an error line: control characters made visible and the
 * length bounded, so a hostile or huge input can neither break the line nor flood the log.
 */
export function shown(value: string): string {
  const visible = value.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return visible.length > 80 ? `${visible.slice(0, 77)}…` : visible
}

/**
 * Words Amazon ECR and Amazon Inspector send where a field has no value, compared after trimming
 * and ignoring case. Each was seen in the real answers of `__fixtures__/realdata`:
 * - `NotAvailable`: enhanced `vulnerablePackages[].fixedInVersion` (the ECR API Reference example
 *   for enhanced scanning, and moto's sample from a real image);
 * - `None Provided`: enhanced `remediation.recommendation.text` (the same two samples and
 *   Inspector's EventBridge finding event), and the `description` of moto's UNTRIAGED finding;
 * - `not yet assigned`: enhanced `packageVulnerabilityDetails.vendorSeverity` (the same two samples).
 */
export const PLACEHOLDERS: readonly string[] = ['NotAvailable', 'None Provided', 'not yet assigned']

const PLACEHOLDER_KEYS = new Set(PLACEHOLDERS.map((word) => word.toLowerCase()))

/**
 * A text value from ECR or Inspector as this action uses it: trimmed (real basic findings have
 * `uri` values that end in a space), and undefined when nothing is left or the text is one of
 * PLACEHOLDERS, so "fixed in NotAvailable" is never shown. Other characters are kept: escaping
 * is for the renderers (plainLine, escape.ts).
 */
export function cleanValue(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim()
  if (!trimmed || PLACEHOLDER_KEYS.has(trimmed.toLowerCase())) return undefined
  return trimmed
}

/** `1 finding`, `2 findings`: a count with its noun, plural by an s. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
