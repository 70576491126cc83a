// The action's one boundary with the runner: inputs in; outputs, summary, annotations, files and
// the exit status out. The steps in between are plain data (see scan-step.ts and policy.ts).

import * as core from '@actions/core'
import type { ECRClient } from '@aws-sdk/client-ecr'
import { newBaselineCache } from './baseline.js'
import { systemClock, type Clock } from './clock.js'
import { createEcrClient } from './ecr/client.js'
import { RateLimiter, limitRequests } from './ecr/rate-limit.js'
import { describeFailure, errorDetails, errorMessage } from './errors.js'
import { commentOnPullRequest } from './github/pr-comment.js'
import { expiredWarning, splitExpired, unmatchedRules } from './ignore.js'
import { imageLabel } from './image-ref.js'
import { SEVERITIES, type ScanResult } from './model.js'
import { Outputs } from './names.js'
import { stepFailure } from './policy.js'
import type { ImageReport, Verdict } from './model.js'
import { MAX_WARNING_ANNOTATIONS, findingAnnotations } from './report/annotations.js'
import { writeFindingsFile } from './report/findings-file.js'
import { resultsFormNote, stepOutputs } from './report/outputs.js'
import { writeSarifFile } from './report/sarif-file.js'
import {
  fitSummary,
  renderFailureOnly,
  renderIgnoreNotes,
  renderStepSummary,
} from './report/summary.js'
import type { Log } from './log.js'
import { scanAll } from './scan-step.js'
import { getSettings, settingsDebugLines, type Settings } from './settings.js'
import { mappedStack } from './stack.js'
import { plainLine } from './text.js'

export interface RunOptions {
  clock?: Clock
  /** Aborted when the job is cancelled (index.ts connects SIGINT and SIGTERM). */
  signal?: AbortSignal
}

/** Warning annotations, counted: GitHub shows 10 per step, and findings get what is left. */
interface Warnings {
  warning(message: string, properties?: core.AnnotationProperties): void
  shown(): number
}

function countedWarnings(): Warnings {
  let shown = 0
  return {
    warning: (message, properties) => {
      shown += 1
      core.warning(plainLine(message, MAX_LOG_LINE), properties)
    },
    shown: () => shown,
  }
}

export async function run(options: RunOptions = {}): Promise<void> {
  try {
    await scanStep(options)
  } catch (error) {
    // A bug, not an AWS answer: still one error line, never only a stack trace (that is for
    // the debug log, mapped to src/ lines).
    core.debug(errorDetails(error, mappedStack))
    fail(describeFailure(error))
  }
}

async function scanStep(options: RunOptions): Promise<void> {
  maskAwsSecrets(process.env)
  let settings
  try {
    settings = getSettings((name) => core.getInput(name), process.env)
    if (core.isDebug()) for (const line of settingsDebugLines(settings)) core.debug(line)
  } catch (error) {
    const failure = describeFailure(error)
    await writeSummary(renderFailureOnly(failure))
    fail(failure)
    return
  }

  const clock = options.clock ?? systemClock
  const warnings = countedWarnings()
  const log = runnerLog(warnings)
  const ignore = splitExpired(settings.ignore, new Date(clock.now()))
  for (const rule of ignore.expired) warnings.warning(expiredWarning(rule))

  const limiter = new RateLimiter(settings.requestsPerSecond, clock)
  const clients = new Map<string, ECRClient>()
  const client = (region: string): ECRClient => {
    let regional = clients.get(region)
    if (!regional) {
      regional = createEcrClient(region, process.env, {
        debug: core.isDebug() ? (message) => core.debug(message) : undefined,
      })
      limitRequests(regional, limiter)
      clients.set(region, regional)
    }
    return regional
  }
  const several = settings.images.length > 1
  try {
    const names = settings.images.map(
      ({ target, region }) => `${imageLabel({ target })} (${region})`,
    )
    log.info(`Scanning ${names.length > 3 ? `${names.length} images` : names.join(', ')}.`)
    const reports = await scanAll(settings, ignore.active, {
      client,
      clock,
      log,
      signal: options.signal,
      registryScanTypes: new Map(),
      baselines: newBaselineCache(),
    })
    for (const { result, verdict } of reports) {
      const label = several || result.platform ? `${imageLabel(result)}: ` : ''
      for (const message of verdict.warnings) warnings.warning(`${label}${message}`)
      for (const note of verdict.notes) log.info(`${label}${note}`)
      log.info(`${label}${resultLine(result, verdict, settings)}`)
    }
    if (limiter.throttled > 0) {
      log.info(
        `ECR throttled ${limiter.throttled} requests; the action slowed down and retried them.`,
      )
    }
    const outputs = stepOutputs(reports)
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    const formNote = resultsFormNote(outputs[Outputs.resultsForm])
    if (formNote) log.notice(formNote)
    const sarifNote = reportFindings(reports, settings, warnings)
    const failure = stepFailure(reports)
    const results = reports.map((report) => report.result)
    const ignoreNotes = renderIgnoreNotes(ignore.expired, unmatchedRules(ignore.active, results))
    await writeSummary(`${renderStepSummary(reports, failure)}\n${ignoreNotes}${sarifNote}`)
    if (settings.commentOnPr) {
      await commentOnPullRequest(reports, { token: settings.githubToken, env: process.env, log })
    }
    if (failure) fail(failure)
  } finally {
    for (const regional of clients.values()) regional.destroy()
  }
}

/** Log lines carry text from ECR and the user; long ones (a failure's advice) stay whole. */
const MAX_LOG_LINE = 4000

/**
 * The step's one error line, plain like every other line that may carry ECR's text, and the
 * verdict output a later job gates on: failed, whatever failed and whatever was written before.
 */
function fail(failure: string): void {
  try {
    core.setOutput(Outputs.verdict, 'failed')
  } catch {
    // An output file that cannot be written leaves verdict unset, which passes no gate either.
  }
  core.setFailed(plainLine(failure, MAX_LOG_LINE))
}

function runnerLog(warnings: Warnings): Log {
  return {
    info: (message) => core.info(plainLine(message, MAX_LOG_LINE)),
    notice: (message) => core.notice(plainLine(message, MAX_LOG_LINE)),
    warning: (message) => warnings.warning(message),
    debug: (message) => core.debug(message),
    startGroup: (title) => core.startGroup(plainLine(title, MAX_LOG_LINE)),
    endGroup: () => core.endGroup(),
  }
}

function resultLine(
  { scanStatus, findings, limitExceeded }: ScanResult,
  verdict: Verdict,
  { failOnSeverity }: Settings,
): string {
  const counts = findings
    ? SEVERITIES.filter((severity) => findings.severityCounts[severity] > 0)
        .map((severity) => `${findings.severityCounts[severity]} ${severity}`)
        .join(', ') || 'no findings'
    : 'findings not read'
  // Without fail-on-severity there is no threshold to speak of.
  const exceeded =
    failOnSeverity === undefined || verdict.thresholdExceeded === undefined
      ? ''
      : `; threshold ${failOnSeverity} ${verdict.thresholdExceeded ? 'exceeded' : 'not reached'}`
  const quota = limitExceeded ? '; scan quota used up' : ''
  return `Result: ${scanStatus ?? 'no scan status'}${quota}; ${counts}${exceeded}.`
}

/**
 * The findings file, the SARIF file and annotations. Writing a file can fail without failing the
 * scan: the step warns and goes on. Returns the summary's note on results the SARIF file left
 * out, or ''.
 */
function reportFindings(reports: ImageReport[], settings: Settings, warnings: Warnings): string {
  const results = reports.map((report) => report.result)
  let sarifNote = ''
  try {
    core.setOutput(Outputs.findingsFile, writeFindingsFile(results, process.env.RUNNER_TEMP))
  } catch (error) {
    warnings.warning(`Could not write the findings file: ${errorMessage(error)}`)
  }
  if (settings.sarifFile) {
    try {
      const sarif = writeSarifFile(results, {
        path: settings.sarifFile,
        dockerfile: settings.dockerfile,
        env: process.env,
      })
      if (sarif.written) {
        core.setOutput(Outputs.sarifFile, sarif.path)
        sarifNote = sarif.note
      } else {
        core.notice(
          'sarif-file was not written: no findings were read. Guard the upload step with "if: steps.<id>.outputs.sarif-file".',
        )
      }
    } catch (error) {
      warnings.warning(`Could not write sarif-file ${settings.sarifFile}: ${errorMessage(error)}`)
    }
  }
  if (settings.annotations) {
    const specs = findingAnnotations(results, {
      onlyFixable: settings.onlyFixable,
      onlyNew: settings.onlyNew,
      max: MAX_WARNING_ANNOTATIONS - warnings.shown(),
    })
    for (const spec of specs) {
      if (spec.level === 'warning') warnings.warning(spec.message, { title: spec.title })
      else core.notice(spec.message, { title: spec.title })
    }
  }
  return sarifNote
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside a runner (or with a broken summary file) the summary is lost, not the step.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(fitSummary(markdown), true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
}

/** Credentials the SDK reads from the environment are masked even if something echoes them. */
function maskAwsSecrets(env: Record<string, string | undefined>): void {
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = env[name]
    if (value) core.setSecret(value)
  }
}
