// The pull-request comment: the only code that talks to GitHub's API, and the only importer of
// @actions/github, loaded on demand so runs without comment-on-pr never pay for it.
// A comment is a courtesy: when it cannot be written the step says so and goes on.

import { readFileSync } from 'node:fs'
import { errorMessage } from '../errors.js'
import type { Log } from '../scan-image.js'
import type { ImageReport } from '../policy.js'
import { commentKey, commentMarker, renderComment } from '../report/comment.js'

export interface PullRequest {
  owner: string
  repo: string
  number: number
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
  let number: unknown
  try {
    const payload = JSON.parse(readFile(env.GITHUB_EVENT_PATH ?? '')) as {
      pull_request?: { number?: unknown }
    }
    number = payload.pull_request?.number
  } catch (error) {
    return `the event payload could not be read (${errorMessage(error)})`
  }
  if (!owner || !repo || typeof number !== 'number') return 'the event has no pull request'
  return { owner, repo, number }
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
    const mine = data.find((comment) => comment.body?.includes(marker))
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

/** One comment per image (registry and repository) on this run's pull request. */
export async function commentOnPullRequest(
  reports: ImageReport[],
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
  const byImage = new Map<string, ImageReport[]>()
  for (const report of reports) {
    const key = commentKey(report.result)
    byImage.set(key, [...(byImage.get(key) ?? []), report])
  }
  for (const [key, group] of byImage) {
    try {
      const done = await upsertComment(
        issues,
        pr,
        commentMarker(key),
        renderComment(key, group, env),
      )
      log.info(`comment-on-pr: ${done} the comment for ${key} on pull request #${pr.number}.`)
    } catch (error) {
      const status = (error as { status?: unknown }).status
      if (status === 403 || status === 404) {
        // Fork pull requests get a read-only token; a job without pull-requests: write too.
        log.notice(
          `comment-on-pr: no comment written on pull request #${pr.number}, because the token may not comment (HTTP ${status}: ${errorMessage(error)}). Give the job "permissions: pull-requests: write"; pull requests from forks only get a read-only token.`,
        )
        return
      }
      log.warning(
        `comment-on-pr: the comment for ${key} on pull request #${pr.number} could not be written: ${errorMessage(error)}`,
      )
    }
  }
}

async function loadActionsGithub(): Promise<GetOctokit> {
  // Eager: in the main bundle (ncc's split chunks lose licenses.txt) but evaluated only here.
  const github = await import(/* webpackMode: "eager" */ '@actions/github')
  return (token) => github.getOctokit(token)
}
