// Ignore rules: the `ignore` input and the `ignore-file`, parsed and validated before any AWS
// call, then applied to a scan result. Pure apart from the file read that settings.ts injects.

// js-yaml, not yaml: less than half the size in dist/ (0.05 MB, not 0.12) for this one parse.
import { CORE_SCHEMA, load } from 'js-yaml'
import { InputError } from './errors.js'
import {
  SEVERITIES,
  emptyCounts,
  type IgnoreRule,
  type IgnoredFinding,
  type ScanResult,
  type SeverityCounts,
} from './model.js'
import { Inputs } from './names.js'
import { listOf, shown } from './text.js'

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

/** A rule ignores through its `expires` day (UTC) and stops the day after. */
export function isExpired(rule: IgnoreRule, now: Date): boolean {
  return rule.expires !== undefined && now.toISOString().slice(0, 10) > rule.expires
}

/** Rules still in force, and those whose date has passed (they warn instead of ignoring). */
export function splitExpired(
  rules: IgnoreRule[],
  now: Date,
): { active: IgnoreRule[]; expired: IgnoreRule[] } {
  return {
    active: rules.filter((rule) => !isExpired(rule, now)),
    expired: rules.filter((rule) => isExpired(rule, now)),
  }
}

export function expiredWarning(rule: IgnoreRule): string {
  return `The ignore entry for ${rule.id}${rule.package ? ` in ${rule.package}` : ''} (${rule.source}) expired on ${rule.expires} and no longer ignores it. Fix the finding, or renew or remove the entry.`
}

/** Whether `rule`, whose ID is the finding's (case-insensitively), covers the finding's package. */
function matches(rule: IgnoreRule, finding: { packageName?: string }): boolean {
  if (rule.package === undefined) return true
  // Enhanced findings list every vulnerable package of the finding, joined by ', '.
  const packages = (finding.packageName ?? '').split(', ').map((name) => name.toLowerCase())
  return packages.includes(rule.package.toLowerCase())
}

/**
 * The result with ignored findings moved out of `list` into `ignored`, and `severityCounts`
 * lowered by them. ECR's counts cover every finding while the list may lack unread pages, so
 * the counts are ECR's minus what was ignored, never a count of the list.
 * `rawSeverityCounts` keeps ECR's numbers. Pass only rules that have not expired.
 */
export function applyIgnoreRules(result: ScanResult, rules: IgnoreRule[]): ScanResult {
  const findings = result.findings
  if (!findings || rules.length === 0) return result
  // The rules by lower-case ID, each list in the given order: the first that matches ignores.
  const byId = new Map<string, IgnoreRule[]>()
  for (const rule of rules) {
    const id = rule.id.toLowerCase()
    const same = byId.get(id)
    if (same) same.push(rule)
    else byId.set(id, [rule])
  }
  const kept = []
  const ignored: IgnoredFinding[] = [...(findings.ignored ?? [])]
  for (const finding of findings.list) {
    const rule = byId
      .get(finding.id.toLowerCase())
      ?.find((candidate) => matches(candidate, finding))
    if (rule) ignored.push({ finding, rule })
    else kept.push(finding)
  }
  const removed = countOf(ignored.slice(findings.ignored?.length ?? 0))
  const severityCounts = emptyCounts()
  for (const severity of SEVERITIES) {
    severityCounts[severity] = Math.max(0, findings.severityCounts[severity] - removed[severity])
  }
  return { ...result, findings: { ...findings, list: kept, ignored, severityCounts } }
}

function countOf(ignored: IgnoredFinding[]): SeverityCounts {
  const counts = emptyCounts()
  for (const { finding } of ignored) counts[finding.severity] += 1
  return counts
}

/** Rules that ignored nothing in any image whose findings were read. */
export function unmatchedRules(rules: IgnoreRule[], results: ScanResult[]): IgnoreRule[] {
  const read = results.filter((result) => result.findings)
  if (read.length === 0) return []
  const used = new Set(read.flatMap((result) => result.findings?.ignored ?? []).map((i) => i.rule))
  return rules.filter((rule) => !used.has(rule))
}

export function ignoredCount(results: ScanResult[]): number {
  return results.reduce((sum, result) => sum + (result.findings?.ignored?.length ?? 0), 0)
}
