// Ignore rules as the user writes them: the `ignore` input and the `ignore-file`, parsed and
// validated before any AWS call (facts/ignore.ts applies them). Pure: settings.ts reads the file.

// js-yaml, not yaml: less than half the size in dist/ (0.05 MB, not 0.12) for this one parse.
import { CORE_SCHEMA, load } from 'js-yaml'
import { InputError } from '../kernel/errors.js'
import type { IgnoreRule } from '../kernel/model.js'
import { Inputs } from '../kernel/names.js'
import { listOf, shown } from '../kernel/text.js'

/**
 * CVE-…, GHSA-…, ALAS2023-…, RHSA-…: advisory databases differ too much for one exact pattern,
 * so only what no ID contains (spaces, quotes, punctuation) is refused.
 */
const VULNERABILITY_ID = /^[A-Za-z][A-Za-z0-9._:-]{2,99}$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const ENTRY_KEYS = ['id', 'reason', 'expires', 'package']

/** The `ignore` input: IDs separated by newlines or commas. */
export function parseIgnoreInput(value: string): IgnoreRule[] {
  const source = `input '${Inputs.ignore}'`
  return listOf(value).map((id) => {
    if (!VULNERABILITY_ID.test(id)) {
      throw new InputError(
        Inputs.ignore,
        `Input '${Inputs.ignore}' has '${shown(id)}', which is not a vulnerability ID such as CVE-2024-1234, GHSA-xxxx-xxxx-xxxx or ALAS2023-2024-123. Separate IDs with commas or newlines.`,
      )
    }
    return { id, source }
  })
}

/**
 * The `ignore-file`: a YAML list of `{ id, reason, expires?, package? }`. Every problem names the
 * file and the entry (counted from 1), so it can be fixed without guessing.
 */
export function parseIgnoreFile(text: string, fileName: string): IgnoreRule[] {
  const fail = (problem: string): never => {
    throw new InputError(
      Inputs.ignoreFile,
      `Input '${Inputs.ignoreFile}': ${fileName} ${problem}. Each entry is { id, reason, expires: YYYY-MM-DD (optional), package (optional) }.`,
    )
  }
  let document: unknown
  try {
    // YAML 1.2's core schema, as the yaml package parses: `expires: 2026-01-31` stays text.
    document = load(text, { schema: CORE_SCHEMA })
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return fail(`is not valid YAML: ${detail}`)
  }
  if (document === null || document === undefined) return []
  if (!Array.isArray(document)) return fail('must be a YAML list of entries at its top level')
  return document.map((entry: unknown, index) => {
    const at = `entry ${index + 1}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return fail(`${at} is not a mapping with id and reason`)
    }
    const fields = entry as Record<string, unknown>
    const unknown = Object.keys(fields).filter((key) => !ENTRY_KEYS.includes(key))
    if (unknown.length > 0) {
      return fail(`${at} has unknown key ${unknown.map((key) => `'${shown(key)}'`).join(', ')}`)
    }
    const text = (key: string, required: boolean): string | undefined => {
      const value = fields[key]
      if (value === undefined || value === null) {
        return required ? fail(`${at} lacks '${key}'`) : undefined
      }
      if (typeof value !== 'string' || value.trim() === '') {
        return fail(`${at}: '${key}' must be non-empty text`)
      }
      return value.trim()
    }
    const id = text('id', true) ?? ''
    if (!VULNERABILITY_ID.test(id)) {
      return fail(`${at}: id '${shown(id)}' is not a vulnerability ID such as CVE-2024-1234`)
    }
    const expires = text('expires', false)
    if (expires !== undefined && !isDate(expires)) {
      return fail(`${at} (${id}): expires '${shown(expires)}' is not a date YYYY-MM-DD`)
    }
    return {
      id,
      reason: text('reason', true),
      expires,
      package: text('package', false),
      source: `${fileName} ${at}`,
    }
  })
}

function isDate(value: string): boolean {
  const match = DATE.exec(value)
  if (!match) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}
