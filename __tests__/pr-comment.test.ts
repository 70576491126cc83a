// The pull-request comment through a mocked Octokit (@actions/github): create, update in place
// (found by its hidden marker), and a token that may not comment.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { completedResult, finding, settingsWith } from '../__fixtures__/results.js'
import { judge } from '../src/policy.js'
import type { Log } from '../src/scan-image.js'

const getOctokit = jest.fn<(token: string) => ReturnType<typeof fakeOctokit>>()
jest.unstable_mockModule('@actions/github', () => ({ getOctokit }))
const { commentOnPullRequest, pullRequestOf, upsertComment } =
  await import('../src/github/pr-comment.js')
const { commentMarker, renderComment, runUrl } = await import('../src/report/comment.js')

interface Comment {
  id: number
  body: string
}

/** An Octokit whose issues API keeps comments in memory, or fails with `status`. */
function fakeOctokit(comments: Comment[], status?: number) {
  const fail = () =>
    Promise.reject(Object.assign(new Error('Resource not accessible by integration'), { status }))
  const issues = {
    listComments: jest.fn(async ({ page, per_page }: { page: number; per_page: number }) => ({
      data: comments.slice((page - 1) * per_page, page * per_page),
    })),
    createComment: jest.fn(async ({ body }: { body: string; [key: string]: unknown }) => {
      if (status) return fail()
      comments.push({ id: comments.length + 1, body })
      return { data: { html_url: 'https://github.example/c' } }
    }),
    updateComment: jest.fn(async ({ comment_id, body }: { comment_id: number; body: string }) => {
      if (status) return fail()
      const comment = comments.find((c) => c.id === comment_id)
      if (comment) comment.body = body
      return { data: {} }
    }),
  }
  return { rest: { issues } }
}

function recordingLog() {
  const lines: { level: keyof Log; message: string }[] = []
  const log = Object.fromEntries(
    (['info', 'notice', 'warning', 'debug'] as const).map((level) => [
      level,
      (message: string) => lines.push({ level, message }),
    ]),
  ) as unknown as Log
  return { log, lines }
}

const EVENT_PATH = '/runner/event.json'
const env = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: EVENT_PATH,
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_SERVER_URL: 'https://ghe.example.com',
  GITHUB_RUN_ID: '42',
}
const readFile = (path: string) => {
  if (path !== EVENT_PATH) throw new Error(`ENOENT ${path}`)
  return JSON.stringify({ pull_request: { number: 7 } })
}

const result = completedResult([
  finding('CVE-2024-1', 'CRITICAL', { packageName: 'openssl', fixedInVersion: '3.0.2' }),
])
const reports = [{ result, verdict: judge(result, settingsWith()) }]
const marker = commentMarker('123456789012/team/api')

describe('commentOnPullRequest', () => {
  beforeEach(() => {
    getOctokit.mockReset()
  })

  it('creates one comment with a hidden marker when the pull request has none', async () => {
    const comments: Comment[] = [{ id: 1, body: 'LGTM' }]
    const octokit = fakeOctokit(comments)
    getOctokit.mockReturnValue(octokit)
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 'ghs_token', env, log, readFile })
    expect(getOctokit).toHaveBeenCalledWith('ghs_token')
    expect(octokit.rest.issues.createComment).toHaveBeenCalledWith({
      owner: 'octo',
      repo: 'app',
      issue_number: 7,
      body: expect.stringContaining(marker),
    })
    expect(comments).toHaveLength(2)
    expect(comments[1]!.body).toContain('CVE-2024-1')
    expect(comments[1]!.body).toContain('https://ghe.example.com/octo/app/actions/runs/42')
    expect(lines).toContainEqual({
      level: 'info',
      message: 'comment-on-pr: created the comment for 123456789012/team/api on pull request #7.',
    })
  })

  it('updates the comment that carries the marker, also on a later page', async () => {
    const comments: Comment[] = Array.from({ length: 130 }, (_, i) => ({ id: i + 1, body: 'x' }))
    comments[120]!.body = `${marker}\nold results`
    const octokit = fakeOctokit(comments)
    getOctokit.mockReturnValue(octokit)
    const { log } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile })
    expect(octokit.rest.issues.createComment).not.toHaveBeenCalled()
    expect(octokit.rest.issues.updateComment).toHaveBeenCalledWith(
      expect.objectContaining({ comment_id: 121 }),
    )
    expect(comments).toHaveLength(130)
    expect(comments[120]!.body).toContain('CVE-2024-1')
    expect(comments[120]!.body).not.toContain('old results')
  })

  it('skips with a notice when the token may not comment (403), without failing', async () => {
    getOctokit.mockReturnValue(fakeOctokit([], 403))
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile })
    expect(lines).toEqual([
      {
        level: 'notice',
        message: expect.stringContaining(
          'no comment written on pull request #7, because the token may not comment (HTTP 403',
        ),
      },
    ])
    expect(lines[0]!.message).toContain('pull-requests: write')
  })

  it('skips with a notice, without loading @actions/github, when the event has no pull request', async () => {
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, {
      token: 't',
      env: { ...env, GITHUB_EVENT_NAME: 'push' },
      log,
      readFile,
    })
    expect(getOctokit).not.toHaveBeenCalled()
    expect(lines).toEqual([
      {
        level: 'notice',
        message: 'comment-on-pr: no comment written, because the event is push, not pull_request.',
      },
    ])
  })

  it('warns on other API errors instead of failing the step', async () => {
    getOctokit.mockReturnValue(fakeOctokit([], 500))
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile })
    expect(lines.map((line) => line.level)).toEqual(['warning'])
  })

  it('writes one comment per image, grouping results of the same repository', async () => {
    const comments: Comment[] = []
    getOctokit.mockReturnValue(fakeOctokit(comments))
    const other = completedResult([], { target: { repositoryName: 'team/web', imageTag: 'v1' } })
    const otherReport = { result: other, verdict: judge(other, settingsWith()) }
    const { log } = recordingLog()
    await commentOnPullRequest([...reports, otherReport, ...reports], {
      token: 't',
      env,
      log,
      readFile,
    })
    expect(comments).toHaveLength(2)
  })
})

describe('pullRequestOf', () => {
  it('reads the pull request number of pull_request and pull_request_target events', () => {
    expect(pullRequestOf(env, readFile)).toEqual({ owner: 'octo', repo: 'app', number: 7 })
    expect(pullRequestOf({ ...env, GITHUB_EVENT_NAME: 'pull_request_target' }, readFile)).toEqual({
      owner: 'octo',
      repo: 'app',
      number: 7,
    })
    expect(pullRequestOf({ ...env, GITHUB_EVENT_PATH: '/nope' }, readFile)).toMatch(
      /^the event payload could not be read/,
    )
  })
})

describe('upsertComment', () => {
  it('returns what it did', async () => {
    const comments: Comment[] = []
    const { rest } = fakeOctokit(comments)
    const pr = { owner: 'o', repo: 'r', number: 1 }
    expect(await upsertComment(rest.issues, pr, marker, `${marker} a`)).toBe('created')
    expect(await upsertComment(rest.issues, pr, marker, `${marker} b`)).toBe('updated')
    expect(comments).toEqual([{ id: 1, body: `${marker} b` }])
  })
})

describe('renderComment', () => {
  it('links to the run on GITHUB_SERVER_URL and stays under the comment size limit', () => {
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'https://ghe.example.com/octo/app/actions/runs/42/attempts/2',
    )
    const many = completedResult(
      Array.from({ length: 5000 }, (_, i) =>
        finding(`CVE-${i}`, 'HIGH', { packageName: 'p'.repeat(5000) }),
      ),
    )
    const body = renderComment(
      'k',
      Array.from({ length: 20 }, () => ({ result: many, verdict: judge(many, settingsWith()) })),
      env,
    )
    expect(body.startsWith(commentMarker('k'))).toBe(true)
    expect(Buffer.byteLength(body)).toBeLessThan(65_536)
    expect(body).not.toContain('github.com')
  })
})
