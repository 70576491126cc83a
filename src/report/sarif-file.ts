// The SARIF file on disk, for github/codeql-action/upload-sarif: rendered only when findings were
// read, since an upload with no results closes every open alert of its category.

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ImageReport } from '../kernel/model.js'
import { sarifLocation, sarifOmissionNote, toSarif } from './sarif.js'

/** The SARIF file as it is to be written, or why there is none. */
export type SarifFile =
  | {
      path: string
      text: string
      /** The summary's note on results left out, or ''. */
      note: string
    }
  /** No image had findings read: nothing is written. */
  | { path: string; noFindings: true }

/**
 * The SARIF log of `reports` for `path`, as indented JSON. Results point at `dockerfile`, else
 * the workspace's Dockerfile (`exists` says whether it is there), else the workflow file (see
 * sarifLocation). Pure apart from `exists`.
 */
export function sarifFile(
  reports: ImageReport[],
  options: {
    path: string
    dockerfile?: string
    env: Record<string, string | undefined>
    exists: (path: string) => boolean
  },
): SarifFile {
  const { path } = options
  if (!reports.some(({ result }) => result.findings)) return { path, noFindings: true }
  const location = sarifLocation(options.dockerfile, options.env, options.exists)
  const sarif = toSarif(reports, { location })
  return {
    path,
    text: `${JSON.stringify(sarif.log, null, 2)}\n`,
    note: sarifOmissionNote(sarif.omitted),
  }
}

/** Writes `text` to `path`, its folders created. Throws what the file system throws. */
export function writeSarifFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}
