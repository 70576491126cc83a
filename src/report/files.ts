// The step's files on disk: the findings file always, the SARIF file with sarif-file. Writing one
// can fail without failing the scan: what happened is data for the step's report.

import { existsSync } from 'node:fs'
import { errorMessage } from '../kernel/errors.js'
import type { ImageReport } from '../kernel/model.js'
import type { ReportSettings } from '../inputs/settings.js'
import { findingsFileText, writeFindingsFile } from './findings-file.js'
import type { WrittenFiles } from './step-report.js'

/**
 * Writes the findings file (under RUNNER_TEMP) and, with sarif-file, the SARIF file (not when no
 * findings were read). Never rejects: a file that could not be written is an `error` in words.
 * The SARIF code is loaded only with sarif-file (a chunk of its own in dist/), so steps without
 * it do not pay for it at start-up.
 */
export async function writeStepFiles(
  reports: ImageReport[],
  settings: ReportSettings,
  env: Record<string, string | undefined>,
): Promise<WrittenFiles> {
  let findings: WrittenFiles['findings']
  try {
    findings = { path: writeFindingsFile(findingsFileText(reports), env.RUNNER_TEMP) }
  } catch (error) {
    findings = { error: errorMessage(error) }
  }
  const path = settings.sarifFile
  if (!path) return { findings }
  try {
    const { sarifFile, writeSarifFile } = await import('./sarif-file.js')
    const file = sarifFile(reports, {
      path,
      dockerfile: settings.dockerfile,
      env,
      exists: existsSync,
    })
    if ('noFindings' in file) return { findings, sarif: { noFindings: true } }
    writeSarifFile(file.path, file.text)
    return { findings, sarif: { path: file.path, note: file.note } }
  } catch (error) {
    return { findings, sarif: { path, error: errorMessage(error) } }
  }
}
