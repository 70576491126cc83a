// The action's one boundary with the runner: inputs in; outputs, summary, annotations and the
// exit status out. The steps in between are plain data (see scan-image.ts and policy.ts).

import * as core from '@actions/core'
import { systemClock, type Clock } from './clock.js'
import { createEcrClient } from './ecr/client.js'
import { describeFailure } from './errors.js'
import { formatImage } from './image-ref.js'
import { SEVERITIES, type ScanResult } from './model.js'
import { judge, type Verdict } from './policy.js'
import { outputsOf } from './report/outputs.js'
import { renderFailureOnly, renderSummary } from './report/summary.js'
import { scanImage, type Log } from './scan-image.js'
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

  const client = createEcrClient(settings.region)
  try {
    core.info(`Scanning ${oneLine(formatImage(settings.image))} in ${settings.region}.`)
    const { result, error } = await scanImage(settings.image, settings, {
      client,
      clock: options.clock ?? systemClock,
      log: runnerLog,
      signal: options.signal,
    })
    const verdict = judge(result, settings, error)
    for (const warning of verdict.warnings) core.warning(warning)
    for (const note of verdict.notes) core.info(oneLine(note))
    for (const [name, value] of Object.entries(outputsOf(result, verdict)))
      core.setOutput(name, value)
    core.info(resultLine(result, verdict))
    await writeSummary(renderSummary(result, verdict))
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
  return oneLine(`Result: ${scanStatus ?? 'no scan status'}${quota}; ${counts}${exceeded}.`)
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
