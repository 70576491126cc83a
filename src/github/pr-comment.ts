// The pull-request comment: the only code that talks to GitHub's API, and the only importer of
// @actions/github, loaded on demand so runs without comment-on-pr never pay for it.
// A comment is a courtesy: when it cannot be written the step says so and goes on.

import { readFileSync } from 'node:fs'
import { errorMessage } from '../kernel/errors.js'
import type { Log } from '../kernel/log.js'
import type { PullRequestComment } from '../report/step-report.js'

export interface PullRequest {
  owner: string
  repo: string
  number: number
  /** `owner/repo` of the head when it is another repository (a fork): its token is read-only. */
  fork?: string
}

interface Comment {
  id: number
  body?: string | null
}

/** The part of Octokit this module uses (octokit.rest.issues). */
export interface IssuesApi {
  listComments(params: {
    owner: string
    repo: string
    issue_number: number
    per_page: number
    page: number
  }): Promise<{ data: Comment[] }>
  createComment(params: {
    owner: string
    repo: string
    issue_number: number
    body: string
  }): Promise<{ data: { html_url?: string } }>
  updateComment(params: {
    owner: string
    repo: string
    comment_id: number
    body: string
  }): Promise<{ data: { html_url?: string } }>
}

export type GetOctokit = (token: string) => { rest: { issues: IssuesApi } }

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']
/** 100 per page: enough for any pull request a person still reads. */
const MAX_COMMENT_PAGES = 30

/** The pull request of this run's event, or why there is none. */
export function pullRequestOf(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): PullRequest | string {
  const event = env.GITHUB_EVENT_NAME ?? ''
  if (!PULL_REQUEST_EVENTS.includes(event)) {
    return `the event is ${event || 'unknown'}, not pull_request`
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  let pullRequest: PullRequestPayload | undefined
  try {
    pullRequest = (JSON.parse(readFile(env.GITHUB_EVENT_PATH ?? '')) as EventPayload).pull_request
  } catch (error) {
    return `the event payload could not be read (${errorMessage(error)})`
  }
  const number = pullRequest?.number
  if (!owner || !repo || typeof number !== 'number') return 'the event has no pull request'
  const head = pullRequest?.head?.repo?.full_name
  const fork = typeof head === 'string' && head !== `${owner}/${repo}` ? head : undefined
  return { owner, repo, number, ...(fork ? { fork } : {}) }
}

/** The part of a pull_request event's payload read here. */
interface PullRequestPayload {
  number?: unknown
  head?: { repo?: { full_name?: unknown } | null }
}

interface EventPayload {
  pull_request?: PullRequestPayload
}

/** Updates the comment that carries `marker`, or creates one; says which. */
export async function upsertComment(
  issues: IssuesApi,
  pr: PullRequest,
  marker: string,
  body: string,
): Promise<'created' | 'updated'> {
  const where = { owner: pr.owner, repo: pr.repo }
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = await issues.listComments({
      ...where,
      issue_number: pr.number,
      per_page: 100,
      page,
    })
    // Our bodies start with the marker; a reply quoting one does not.
    const mine = data.find((comment) => comment.body?.startsWith(marker))
    if (mine) {
      await issues.updateComment({ ...where, comment_id: mine.id, body })
      return 'updated'
    }
    if (data.length < 100) break
  }
  await issues.createComment({ ...where, issue_number: pr.number, body })
  return 'created'
}

export interface CommentDeps {
  token: string
  env: Record<string, string | undefined>
  log: Log
  readFile?: (path: string) => string
  /** Loads @actions/github; tests pass a fake Octokit. */
  loadGetOctokit?: () => Promise<GetOctokit>
}

/**
 * Each of `comments` (one per image and platform set, from the step report) created or updated on
 * this run's pull request. Never fails the step: without a pull request, a token or the right to comment, it
 * says why in a notice; other API errors are warnings.
 */
export async function commentOnPullRequest(
  comments: PullRequestComment[],
  { token, env, log, readFile, loadGetOctokit = loadActionsGithub }: CommentDeps,
): Promise<void> {
  const pr = pullRequestOf(env, readFile)
  if (typeof pr === 'string') {
    log.notice(`comment-on-pr: no comment written, because ${pr}.`)
    return
  }
  if (!token) {
    log.notice(
      'comment-on-pr: no comment written, because github-token is empty. Leave it at its default (github.token).',
    )
    return
  }
  let issues: IssuesApi
  try {
    issues = (await loadGetOctokit())(token).rest.issues
  } catch (error) {
    log.warning(`comment-on-pr: no comment written: ${errorMessage(error)}`)
    return
  }
  for (const { key, marker, body } of comments) {
    try {
      const done = await upsertComment(issues, pr, marker, body)
      log.info(`comment-on-pr: ${done} the comment for ${key} on pull request #${pr.number}.`)
    } catch (error) {
      if (mayNotComment(error)) {
        log.notice(notAllowed(pr, error))
        return
      }
      log.warning(
        `comment-on-pr: the comment for ${key} on pull request #${pr.number} could not be written: ${errorMessage(error)}`,
      )
    }
  }
}

/**
 * The token may not comment: 403 (GitHub's "Resource not accessible by integration") or 404 (no
 * access to the repository). A 403 for a rate limit is not one: that is worth a warning.
 */
function mayNotComment(error: unknown): boolean {
  const status = (error as { status?: unknown }).status
  if (status === 404) return true
  return status === 403 && !/rate limit/i.test(errorMessage(error))
}

/** Why no comment was written, and what to do about it. */
function notAllowed(pr: PullRequest, error: unknown): string {
  const status = (error as { status?: unknown }).status
  const answer = `HTTP ${status}: ${errorMessage(error)}`
  if (pr.fork) {
    return `comment-on-pr: no comment on pull request #${pr.number}: it comes from the fork ${pr.fork}, and GitHub gives the workflows of fork pull requests a read-only token (${answer}). The results are in the job summary. To comment on fork pull requests, post the comment from a separate workflow started by workflow_run, which gets a token that may write.`
  }
  return `comment-on-pr: no comment on pull request #${pr.number}: the token may not comment (${answer}). Give the job "permissions: pull-requests: write" (Dependabot's pull requests get a read-only token, like forks'). The results are in the job summary.`
}

async function loadActionsGithub(): Promise<GetOctokit> {
  // A chunk of its own (dist/*.index.js), read only when a comment is written: Node compiles all
  // of index.js at every start, and Octokit is a tenth of it.
  const github = await import('@actions/github')
  return (token) => github.getOctokit(token)
}
