// The SARIF file on disk, for github/codeql-action/upload-sarif: written only when findings were
// read, since an upload with no results closes every open alert of its category.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ScanResult } from '../kernel/model.js'
import { sarifLocation, sarifOmissionNote, toSarif } from './sarif.js'

export type SarifFileOutcome =
  | {
      written: true
      path: string
      /** The summary's note on results left out, or ''. */ note: string
    }
  /** No image had findings read: nothing was written. */
  | { written: false }

/**
 * Writes the SARIF log of `results` to `path` (its folders created). Results point at
 * `dockerfile`, else the workspace's Dockerfile, else the workflow file (see sarifLocation).
 * Throws what the file system throws; the caller decides what a failed write means.
 */
export function writeSarifFile(
  results: ScanResult[],
  options: { path: string; dockerfile?: string; env: Record<string, string | undefined> },
): SarifFileOutcome {
  if (!results.some((result) => result.findings)) return { written: false }
  const location = sarifLocation(options.dockerfile, options.env, existsSync)
  const sarif = toSarif(results, { location })
  mkdirSync(dirname(options.path), { recursive: true })
  writeFileSync(options.path, `${JSON.stringify(sarif.log, null, 2)}\n`)
  return { written: true, path: options.path, note: sarifOmissionNote(sarif.omitted) }
}
