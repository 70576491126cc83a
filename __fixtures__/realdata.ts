// Real ECR answers from __fixtures__/realdata/ (sources in SOURCES.md there), read as the SDK
// hands them to the action: ISO or epoch-second timestamps become Dates.
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('./realdata/', import.meta.url))

const TIMESTAMP_KEYS = new Set([
  'imageScanCompletedAt',
  'vulnerabilitySourceUpdatedAt',
  'firstObservedAt',
  'lastObservedAt',
  'updatedAt',
  'pushedAt',
  'lastInUseAt',
  'imagePushedAt',
  'lastRecordedPullTime',
])

function revive(key: string, value: unknown): unknown {
  if (!TIMESTAMP_KEYS.has(key)) return value
  if (typeof value === 'number') return new Date(value * 1000)
  if (typeof value === 'string') return new Date(value)
  return value
}

/** A real answer, e.g. `realAnswer('findings/enhanced-active-debian-aws-apiref-example.json')`. */
export function realAnswer<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(`${DIR}${path}`, 'utf8'), revive) as T
}

/** A real answer as the file holds it (timestamps as the source printed them), for the emulator. */
export function realJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(`${DIR}${path}`, 'utf8')) as T
}

/** The real DescribeImageScanFindings answers (every findings/ file but the StartImageScan one). */
export function realFindingsFiles(): string[] {
  return readdirSync(`${DIR}findings`)
    .filter((name) => name.endsWith('.json') && !name.startsWith('start-image-scan'))
    .map((name) => `findings/${name}`)
}
