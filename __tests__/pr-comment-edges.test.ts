// The pull-request comment around its edges: an event without the data it needs, no token, a
// long conversation to search for the comment, and the answers that mean "may not comment".
import { describe, expect, it, jest } from '@jest/globals'
import { completedResult, reportOf, settingsWith } from '../__fixtures__/results.js'
import {
  commentOnPullRequest as postComments,
  pullRequestOf,
  upsertComment,
  type IssuesApi,
} from '../src/github/pr-comment.js'
import { pullRequestComments } from '../src/report/step-report.js'
import type { Log } from '../src/kernel/log.js'
import type { ImageReport } from '../src/kernel/model.js'

/** The step's comments on `reports`, posted as the step posts them. */
const commentOnPullRequest = (reports: ImageReport[], deps: Parameters<typeof postComments>[1]) =>
  postComments(pullRequestComments(reports, deps.env), deps)

const env = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: '/runner/event.json',
  GITHUB_REPOSITORY: 'octo/app',
}
const payload = (pullRequest: unknown) => () => JSON.stringify({ pull_request: pullRequest })
const result = completedResult()
const reports = [reportOf(result, settingsWith())]
const pr = { owner: 'octo', repo: 'app', number: 7 }

function recordingLog() {
  const lines: string[] = []
  const log = Object.fromEntries(
    (['info', 'notice', 'warning', 'debug'] as const).map((level) => [
      level,
      (message: string) => lines.push(`${level}: ${message}`),
    ]),
  ) as unknown as Log
  return { log, lines }
}

/** An issues API over `total` comments, the one at `markerAt` (0-based) carrying the marker. */
function conversation(total: number, markerAt?: number) {
  const listComments = jest.fn(async ({ page, per_page }: { page: number; per_page: number }) => ({
    data: Array.from(
      { length: Math.max(0, Math.min(per_page, total - (page - 1) * per_page)) },
      (_, i) => {
        const id = (page - 1) * per_page + i
        return { id, body: id === markerAt ? '<!-- marker --> old' : 'a reply' }
      },
    ),
  }))
  const createComment = jest.fn(async (_params: unknown): Promise<{ data: object }> => ({
    data: {},
  }))
  const updateComment = jest.fn(async (_params: unknown): Promise<{ data: object }> => ({
    data: {},
  }))
  const issues = { listComments, createComment, updateComment } as unknown as IssuesApi
  return { issues, listComments, createComment, updateComment }
}

describe('pullRequestOf', () => {
  it('says the event is unknown when the runner names none', () => {
    expect(pullRequestOf({})).toBe('the event is unknown, not pull_request')
  })

  it('says the event has no pull request when its payload lacks one', () => {
    expect(pullRequestOf(env, () => JSON.stringify({ action: 'opened' }))).toBe(
      'the event has no pull request',
    )
  })

  it('says the event has no pull request when the runner names no repository', () => {
    const withoutRepository = { ...env, GITHUB_REPOSITORY: undefined }
    expect(pullRequestOf(withoutRepository, payload({ number: 7 }))).toBe(
      'the event has no pull request',
    )
  })

  it('sees no fork in a pull request from a branch of the same repository', () => {
    expect(
      pullRequestOf(env, payload({ number: 7, head: { repo: { full_name: 'octo/app' } } })),
    ).toEqual(pr)
  })
})

describe('upsertComment', () => {
  it('reads one page of a short conversation', async () => {
    const api = conversation(3)
    expect(await upsertComment(api.issues, pr, '<!-- marker -->', 'new')).toBe('created')
    expect(api.listComments).toHaveBeenCalledTimes(1)
  })

  it('finds its comment on the 30th page of a long conversation', async () => {
    const api = conversation(3000, 2950)
    expect(await upsertComment(api.issues, pr, '<!-- marker -->', 'new')).toBe('updated')
    expect(api.updateComment).toHaveBeenCalledWith(expect.objectContaining({ comment_id: 2950 }))
  })
})

describe('commentOnPullRequest', () => {
  it('says github-token is empty, and calls no API', async () => {
    const { log, lines } = recordingLog()
    const loadGetOctokit = jest.fn(async () => () => ({ rest: { issues: conversation(0).issues } }))
    await commentOnPullRequest(reports, {
      token: '',
      env,
      log,
      readFile: payload({ number: 7 }),
      loadGetOctokit,
    })
    expect(lines).toEqual([
      'notice: comment-on-pr: no comment written, because github-token is empty. Leave it at its default (github.token).',
    ])
    expect(loadGetOctokit).not.toHaveBeenCalled()
  })

  it('warns when the GitHub client cannot be loaded', async () => {
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, {
      token: 't',
      env,
      log,
      readFile: payload({ number: 7 }),
      loadGetOctokit: async () => {
        throw new Error('Cannot find module')
      },
    })
    expect(lines).toEqual(['warning: comment-on-pr: no comment written: Cannot find module'])
  })

  it('takes a 404 as a token that may not comment: a notice, not a warning', async () => {
    const { log, lines } = recordingLog()
    const api = conversation(0)
    api.createComment.mockRejectedValue(Object.assign(new Error('Not Found'), { status: 404 }))
    await commentOnPullRequest(reports, {
      token: 't',
      env,
      log,
      readFile: payload({ number: 7 }),
      loadGetOctokit: async () => () => ({ rest: { issues: api.issues } }),
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^notice: comment-on-pr: no comment on pull request #7: the token may not comment \(HTTP 404: Not Found\)/,
    )
  })
})
