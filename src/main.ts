// The action's one boundary with the runner: inputs in; outputs, summary, annotations and the
// exit status out. The steps in between are plain data (see scan-image.ts and policy.ts).

import * as core from '@actions/core'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { systemClock, type Clock } from './clock.js'
import { createEcrClient } from './ecr/client.js'
import { describeFailure, errorMessage } from './errors.js'
import { commentOnPullRequest } from './github/pr-comment.js'
import { applyIgnoreRules, expiredWarning, splitExpired, unmatchedRules } from './ignore.js'
import { formatImage } from './image-ref.js'
import { SEVERITIES, type ScanResult } from './model.js'
import { Outputs } from './names.js'
import { judge, type Verdict } from './policy.js'
import { MAX_WARNING_ANNOTATIONS, findingAnnotations } from './report/annotations.js'
import type { ImageReport } from './report/comment.js'
import { writeFindingsFile } from './report/findings-file.js'
import { outputsOf } from './report/outputs.js'
import { sarifLocation, toSarif } from './report/sarif.js'
import {
  fitSummary,
  renderFailureOnly,
  renderIgnoreNotes,
  renderSummary,
} from './report/summary.js'
import { scanImage, type Log } from './scan-image.js'
import { getSettings, type Settings } from './settings.js'

export interface RunOptions {
  clock?: Clock
  /** Aborted when the job is cancelled (index.ts connects SIGINT and SIGTERM). */
  signal?: AbortSignal
}

export async function run(options: RunOptions = {}): Promise<void> {
  warningsShown = 0
  maskAwsSecrets(process.env)
  let settings
  try {
    settings = getSettings((name) => core.getInput(name), process.env)
  } catch (error) {
    const failure = describeFailure(error)
    await writeSummary(renderFailureOnly(failure))
    core.setFailed(failure)
    return
  }

  const clock = options.clock ?? systemClock
  const ignore = splitExpired(settings.ignore, new Date(clock.now()))
  for (const rule of ignore.expired) warning(expiredWarning(rule))

  const client = createEcrClient(settings.region)
  try {
    core.info(`Scanning ${oneLine(formatImage(settings.image))} in ${settings.region}.`)
    const scanned = await scanImage(settings.image, settings, {
      client,
      clock,
      log: runnerLog,
      signal: options.signal,
    })
    const result = applyIgnoreRules(scanned.result, ignore.active)
    const verdict = judge(result, settings, scanned.error)
    for (const message of verdict.warnings) warning(message)
    for (const note of verdict.notes) core.info(oneLine(note))
    for (const [name, value] of Object.entries(outputsOf(result, verdict)))
      core.setOutput(name, value)
    core.info(resultLine(result, verdict))
    const reports = [{ result, verdict }]
    reportFindings(reports, settings)
    const ignoreNotes = renderIgnoreNotes(ignore.expired, unmatchedRules(ignore.active, [result]))
    await writeSummary(`${renderSummary(result, verdict)}\n${ignoreNotes}`)
    if (settings.commentOnPr) {
      await commentOnPullRequest(reports, {
        token: settings.githubToken,
        env: process.env,
        log: runnerLog,
      })
    }
    if (verdict.failure) core.setFailed(verdict.failure)
  } finally {
    client.destroy()
  }
}

/** Lines from ECR or the user are logged on one line each, so none can start a workflow command. */
function oneLine(message: string): string {
  return message.replace(/[\r\n\u2028\u2029]+/g, ' ')
}

const runnerLog: Log = {
  info: (message) => core.info(oneLine(message)),
  notice: (message) => core.notice(message),
  warning: (message) => warning(message),
  debug: (message) => core.debug(message),
}

function resultLine({ scanStatus, findings, limitExceeded }: ScanResult, verdict: Verdict): string {
  const counts = findings
    ? SEVERITIES.filter((severity) => findings.severityCounts[severity] > 0)
        .map((severity) => `${findings.severityCounts[severity]} ${severity}`)
        .join(', ') || 'no findings'
    : 'findings not read'
  const exceeded =
    verdict.thresholdExceeded === undefined
      ? ''
      : `; threshold exceeded: ${verdict.thresholdExceeded}`
  const quota = limitExceeded ? '; scan quota used up' : ''
  return oneLine(`Result: ${scanStatus ?? 'no scan status'}${quota}; ${counts}${exceeded}.`)
}

/** Warning annotations so far: GitHub shows 10 per step, and findings get what is left. */
let warningsShown = 0

function warning(message: string, properties?: core.AnnotationProperties): void {
  warningsShown += 1
  core.warning(message, properties)
}

/**
 * The findings file, the SARIF file and annotations (issue 4). Writing a file can fail without
 * failing the scan: the step warns and goes on.
 */
function reportFindings(reports: ImageReport[], settings: Settings): void {
  const results = reports.map((report) => report.result)
  try {
    core.setOutput(Outputs.findingsFile, writeFindingsFile(results, process.env.RUNNER_TEMP))
  } catch (error) {
    warning(`Could not write the findings file: ${errorMessage(error)}`)
  }
  if (settings.sarifFile) {
    if (results.some((result) => result.findings)) {
      try {
        const location = sarifLocation(settings.dockerfile, process.env, existsSync)
        mkdirSync(dirname(settings.sarifFile), { recursive: true })
        writeFileSync(
          settings.sarifFile,
          `${JSON.stringify(toSarif(results, { location }), null, 2)}\n`,
        )
        core.setOutput(Outputs.sarifFile, settings.sarifFile)
      } catch (error) {
        warning(`Could not write sarif-file ${settings.sarifFile}: ${errorMessage(error)}`)
      }
    } else {
      // An empty SARIF upload would close every open alert, so none is written.
      core.notice(
        'sarif-file was not written: no findings were read. Guard the upload step with "if: steps.<id>.outputs.sarif-file".',
      )
    }
  }
  if (settings.annotations) {
    const specs = findingAnnotations(results, {
      onlyFixable: settings.onlyFixable,
      max: MAX_WARNING_ANNOTATIONS - warningsShown,
    })
    for (const spec of specs) {
      if (spec.level === 'warning') warning(spec.message, { title: spec.title })
      else core.notice(spec.message, { title: spec.title })
    }
  }
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside a runner (or with a broken summary file) the summary is lost, not the step.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(fitSummary(markdown), true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeFailure(error)}`)
  }
}

/** Credentials the SDK reads from the environment are masked even if something echoes them. */
function maskAwsSecrets(env: Record<string, string | undefined>): void {
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = env[name]
    if (value) core.setSecret(value)
  }
}
