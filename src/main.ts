// The action's one boundary with the runner: inputs in; outputs, summary, annotations and the
// exit status out. The steps in between are plain data (see scan-step.ts and policy.ts).

import * as core from '@actions/core'
import type { ECRClient } from '@aws-sdk/client-ecr'
import { systemClock, type Clock } from './clock.js'
import { createEcrClient } from './ecr/client.js'
import { RateLimiter, limitRequests } from './ecr/rate-limit.js'
import { describeFailure } from './errors.js'
import { imageLabel } from './image-ref.js'
import { SEVERITIES, type ScanResult } from './model.js'
import { stepFailure, type Verdict } from './policy.js'
import { stepOutputs } from './report/outputs.js'
import { renderFailureOnly, renderStepSummary } from './report/summary.js'
import type { Log } from './scan-image.js'
import { scanAll } from './scan-step.js'
import { getSettings } from './settings.js'

export interface RunOptions {
  clock?: Clock
  /** Aborted when the job is cancelled (index.ts connects SIGINT and SIGTERM). */
  signal?: AbortSignal
}

export async function run(options: RunOptions = {}): Promise<void> {
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
  const limiter = new RateLimiter(settings.requestsPerSecond, clock)
  const clients = new Map<string, ECRClient>()
  const client = (region: string): ECRClient => {
    let regional = clients.get(region)
    if (!regional) {
      regional = createEcrClient(region)
      limitRequests(regional, limiter)
      clients.set(region, regional)
    }
    return regional
  }
  const several = settings.images.length > 1
  try {
    const names = settings.images.map(
      ({ target, region }) => `${oneLine(imageLabel({ target }))} (${region})`,
    )
    core.info(`Scanning ${names.length > 3 ? `${names.length} images` : names.join(', ')}.`)
    const reports = await scanAll(settings, {
      client,
      clock,
      log: runnerLog,
      signal: options.signal,
      deadline: clock.now() + settings.waitTimeoutSeconds * 1000,
      registryScanTypes: new Map(),
    })
    for (const { result, verdict } of reports) {
      const label = several || result.platform ? `${imageLabel(result)}: ` : ''
      for (const warning of verdict.warnings) core.warning(`${label}${warning}`)
      for (const note of verdict.notes) core.info(oneLine(`${label}${note}`))
      core.info(oneLine(`${label}${resultLine(result, verdict)}`))
    }
    if (limiter.throttled > 0) {
      core.info(
        `ECR throttled ${limiter.throttled} requests; the action slowed down and retried them.`,
      )
    }
    for (const [name, value] of Object.entries(stepOutputs(reports))) core.setOutput(name, value)
    const failure = stepFailure(reports)
    await writeSummary(renderStepSummary(reports, failure))
    if (failure) core.setFailed(failure)
  } finally {
    for (const regional of clients.values()) regional.destroy()
  }
}

/** Lines from ECR or the user are logged on one line each, so none can start a workflow command. */
function oneLine(message: string): string {
  return message.replace(/[\r\n\u2028\u2029]+/g, ' ')
}

const runnerLog: Log = {
  info: (message) => core.info(oneLine(message)),
  notice: (message) => core.notice(message),
  warning: (message) => core.warning(message),
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
  return `Result: ${scanStatus ?? 'no scan status'}${quota}; ${counts}${exceeded}.`
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside a runner (or with a broken summary file) the summary is lost, not the step.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(markdown, true).write()
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
