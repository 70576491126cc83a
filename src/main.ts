// The action's one boundary with the runner: inputs in; outputs, log lines, the job summary,
// files, the pull-request comment and the exit status out. In between, plain data: read (scan/),
// enrich (facts/), judge (verdict/), report (report/step-report.ts).

import * as core from '@actions/core'
import { systemClock, type Clock } from './kernel/clock.js'
import { describeFailure, errorDetails, errorMessage } from './kernel/errors.js'
import { imageLabel } from './kernel/image-ref.js'
import { cvesOf, type ExploitData, type ImageReport } from './kernel/model.js'
import type { VexStatement } from './kernel/vex.js'
import type { Log } from './kernel/log.js'
import { mappedStack } from './kernel/stack.js'
import { Outputs } from './kernel/names.js'
import { plainLine } from './kernel/text.js'
import { EXPLOIT_REQUEST_TIMEOUT_MS, WAIT_POLICY, type WaitPolicy } from './kernel/wait-policy.js'
import { getSettings, settingsDebugLines, type Settings } from './inputs/settings.js'
import { newBaselineCache } from './scan/baseline.js'
import { ecrClients } from './scan/clients.js'
import { scanAll } from './scan/step.js'
import { enrich } from './facts/enrich.js'
import { expiredWarning, splitExpired } from './facts/ignore.js'
import { indexStatements } from './facts/vex.js'
import { judge } from './verdict/judge.js'
import { sourceWarnings, stepFailure } from './verdict/step.js'
import { writeStepFiles } from './report/files.js'
import { failureReport, stepReport, type StepReport } from './report/step-report.js'
import { commentOnPullRequest } from './github/pr-comment.js'

export interface RunOptions {
  clock?: Clock
  /** Aborted when the job is cancelled (index.ts connects SIGINT and SIGTERM). */
  signal?: AbortSignal
  /** How the step waits; tests set a faster one. */
  policy?: WaitPolicy
}

export async function run(options: RunOptions = {}): Promise<void> {
  try {
    await scanStep(options)
  } catch (error) {
    // A bug, not an AWS answer: still one error line, never only a stack trace (that is for
    // the debug log, mapped to src/ lines).
    core.debug(errorDetails(error, mappedStack))
    try {
      // Whatever was written before the bug, no gate may pass.
      core.setOutput(Outputs.verdict, 'failed')
    } catch {
      // An output file that cannot be written leaves verdict unset, which passes no gate either.
    }
    fail(describeFailure(error))
  }
}

async function scanStep(options: RunOptions): Promise<void> {
  const env = process.env
  maskAwsSecrets(env)
  let settings: Settings
  let statements: VexStatement[] | undefined
  try {
    settings = getSettings((name) => core.getInput(name), env)
    if (core.isDebug()) for (const line of settingsDebugLines(settings)) core.debug(line)
    statements = await readVex(settings)
  } catch (error) {
    await emit(failureReport(describeFailure(error)))
    return
  }
  const clock = options.clock ?? systemClock
  const policy = options.policy ?? WAIT_POLICY
  const log = runnerLog()
  const ignore = splitExpired(settings.facts.ignore, new Date(clock.now()))
  for (const rule of ignore.expired) log.warning(expiredWarning(rule))
  const vex = statements && indexStatements(statements)
  const debug = core.isDebug() ? (message: string) => core.debug(message) : undefined
  const ecr = ecrClients(settings.scan.requestsPerSecond, env, { clock, policy, debug })
  try {
    const deps = { client: ecr.client, clock, log, signal: options.signal, policy }
    if (settings.watch) {
      // Only pattern steps list the registry: the module is loaded for them alone.
      const { discoverImages } = await import('./scan/discover.js')
      try {
        const found = await discoverImages(settings.watch, deps)
        settings = { ...settings, images: found.images }
      } catch (error) {
        await emit(failureReport(describeFailure(error)))
        return
      }
    }
    log.info(`Scanning ${scannedImages(settings)}.`)
    const lookup = await startExploitLookup(settings, clock, debug)
    const outcomes = await scanAll(
      settings.images,
      settings.scan,
      { ...deps, registryScanTypes: new Map(), baselines: newBaselineCache() },
      (outcome) => {
        // Asked while the other images still scan: the sources answer meanwhile.
        lookup?.add(outcome.result.findings?.list.flatMap(cvesOf) ?? [])
        return outcome
      },
    )
    const exploits: ExploitData | undefined = await lookup?.settle()
    const reports = outcomes.map(({ result: scanned, error }): ImageReport => {
      const sources = { ignore: ignore.active, exploits, vex }
      const { result, facts } = enrich(scanned, sources, settings.facts)
      return { result, facts, verdict: judge(result, facts, settings.verdict, error) }
    })
    const report = stepReport(reports, stepFailure(reports), settings, {
      env,
      ignore,
      vex: statements,
      warnings: exploits ? sourceWarnings(exploits, settings.verdict) : [],
      throttled: ecr.limiter.throttled,
      warningsShown: log.warningsShown(),
      files: await writeStepFiles(reports, settings.report, env),
    })
    await emit(report, async (comments) => {
      const token = settings.report.githubToken
      await commentOnPullRequest(comments, { token, env, log })
    })
  } finally {
    ecr.destroy()
  }
}

/**
 * The step's exploit lookup when exploit-sources names a source; its code is loaded only then
 * (a chunk of its own in dist/), so a step without it starts as fast as before.
 */
async function startExploitLookup(
  settings: Settings,
  clock: Clock,
  debug: ((message: string) => void) | undefined,
): Promise<{ add(cves: Iterable<string>): void; settle(): Promise<ExploitData> } | undefined> {
  if (!settings.exploits.kev && !settings.exploits.epss) return undefined
  const { exploitLookup, httpGetter } = await import('./exploits/index.js')
  const http = httpGetter(EXPLOIT_REQUEST_TIMEOUT_MS)
  const lookup = exploitLookup(settings.exploits, {
    get: http.get,
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    debug: (message) => debug?.(`exploit sources: ${message}`),
    now: () => clock.now(),
  })
  return {
    add: (cves) => lookup.add(cves),
    settle: () => lookup.settle().finally(() => http.dispose()),
  }
}

/**
 * The statements of the vex documents, read before any AWS call; undefined without vex. The
 * reader (and its package-URL parser) is loaded only then, so the start-up path stays small.
 */
async function readVex({ facts }: Settings): Promise<VexStatement[] | undefined> {
  if (!facts.vex) return undefined
  const { readVexDocuments } = await import('./vex/read.js')
  const statements = readVexDocuments(facts.vex.patterns, facts.vex.workspace)
  const documents = new Set(statements.map((statement) => statement.document)).size
  core.info(
    `Read ${statements.length} VEX statement${statements.length === 1 ? '' : 's'} from ${documents} document${documents === 1 ? '' : 's'}.`,
  )
  return statements
}

/** "team/api:v1 (us-east-1), …", or "12 images" past three. */
function scannedImages({ images }: Settings): string {
  if (images.length > 3) return `${images.length} images`
  return images.map(({ target, region }) => `${imageLabel({ target })} (${region})`).join(', ')
}

/**
 * Hands the step's report to the runner: outputs, log lines and annotations, the job summary,
 * the pull-request comments (`comment` posts them), then the failure line.
 */
async function emit(
  report: StepReport,
  comment?: (comments: StepReport['comments']) => Promise<void>,
): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value)
  for (const { level, message, title } of report.lines) {
    const line = plainLine(message, MAX_LOG_LINE)
    if (level === 'info') core.info(line)
    else if (level === 'notice') core.notice(line, title ? { title } : undefined)
    else core.warning(line, title ? { title } : undefined)
  }
  await writeSummary(report.summary)
  if (comment && report.comments.length > 0) await comment(report.comments)
  if (report.failure) fail(report.failure)
}

/** Log lines carry text from ECR and the user; long ones (a failure's advice) stay whole. */
const MAX_LOG_LINE = 4000

/** The step's one error line, plain like every other line that may carry ECR's text. */
function fail(failure: string): void {
  core.setFailed(plainLine(failure, MAX_LOG_LINE))
}

/** The runner's log for the scan, counting its warnings (GitHub shows 10 per step). */
function runnerLog(): Log & { warningsShown(): number } {
  let warnings = 0
  return {
    info: (message) => core.info(plainLine(message, MAX_LOG_LINE)),
    notice: (message) => core.notice(plainLine(message, MAX_LOG_LINE)),
    warning: (message) => {
      warnings += 1
      core.warning(plainLine(message, MAX_LOG_LINE))
    },
    debug: (message) => core.debug(message),
    startGroup: (title) => core.startGroup(plainLine(title, MAX_LOG_LINE)),
    endGroup: () => core.endGroup(),
    warningsShown: () => warnings,
  }
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside a runner (or with a broken summary file) the summary is lost, not the step.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(markdown, true).write()
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
