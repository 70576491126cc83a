// The pull-request comment: create, update in place (found by its hidden marker), and a token
// that may not comment, through a fake issues API; then the REST calls themselves against a
// GitHub API served on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { completedResult, DIGEST, finding, settingsWith } from '../__fixtures__/results.js'
import {
  commentOnPullRequest,
  pullRequestOf,
  restIssues,
  upsertComment,
  type ConnectIssues,
  type IssuesApi,
} from '../src/github/pr-comment.js'
import type { ScanResult } from '../src/model.js'
import { commentStore, startGitHubApi, type GitHubApi } from './helpers/github-api.js'
import { judge } from '../src/policy.js'
import type { Log } from '../src/log.js'
import {
  MAX_COMMENT_CHARACTERS,
  commentMarker,
  renderComment,
  runUrl,
} from '../src/report/comment.js'
import { ACTION_VERSION } from '../src/version.js'

const connect = jest.fn<ConnectIssues>()

interface Comment {
  id: number
  body: string
}

/** An issues API that keeps comments in memory, or fails with `status`. */
function fakeIssues(comments: Comment[], status?: number) {
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
  return issues
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
  GITHUB_API_URL: 'https://ghe.example.com/api/v3',
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
const marker = commentMarker('us-east-1/team/api')

describe('commentOnPullRequest', () => {
  beforeEach(() => {
    connect.mockReset()
  })

  it('creates one comment with a hidden marker when the pull request has none', async () => {
    const comments: Comment[] = [{ id: 1, body: 'LGTM' }]
    const issues = fakeIssues(comments)
    connect.mockReturnValue(issues)
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 'ghs_token', env, log, readFile, connect })
    expect(connect).toHaveBeenCalledWith('ghs_token', 'https://ghe.example.com/api/v3')
    expect(issues.createComment).toHaveBeenCalledWith({
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
      message: 'comment-on-pr: created the comment for us-east-1/team/api on pull request #7.',
    })
  })

  it('updates the comment that carries the marker, also on a later page', async () => {
    const comments: Comment[] = Array.from({ length: 130 }, (_, i) => ({ id: i + 1, body: 'x' }))
    comments[120]!.body = `${marker}\nold results`
    const issues = fakeIssues(comments)
    connect.mockReturnValue(issues)
    const { log } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile, connect })
    expect(issues.createComment).not.toHaveBeenCalled()
    expect(issues.updateComment).toHaveBeenCalledWith(expect.objectContaining({ comment_id: 121 }))
    expect(comments).toHaveLength(130)
    expect(comments[120]!.body).toContain('CVE-2024-1')
    expect(comments[120]!.body).not.toContain('old results')
  })

  it('skips with a notice when the token may not comment (403), without failing', async () => {
    connect.mockReturnValue(fakeIssues([], 403))
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile, connect })
    expect(lines).toEqual([
      {
        level: 'notice',
        message:
          'comment-on-pr: no comment on pull request #7: the token may not comment (HTTP 403: Resource not accessible by integration). Give the job "permissions: pull-requests: write" (Dependabot\'s pull requests get a read-only token, like forks\'). The results are in the job summary.',
      },
    ])
  })

  it('on a pull request from a fork, says the token is read-only and what to do instead', async () => {
    connect.mockReturnValue(fakeIssues([], 403))
    const { log, lines } = recordingLog()
    const fromFork = () =>
      JSON.stringify({
        pull_request: {
          number: 7,
          head: { repo: { full_name: 'contributor/app' } },
          base: { repo: { full_name: 'octo/app' } },
        },
      })
    const other = completedResult([], { target: { repositoryName: 'team/web', imageTag: 'v1' } })
    await expect(
      commentOnPullRequest([...reports, { result: other, verdict: judge(other, settingsWith()) }], {
        token: 't',
        env,
        log,
        readFile: fromFork,
        connect,
      }),
    ).resolves.toBeUndefined()
    // One notice for the step, not one per image; never a warning or a failure.
    expect(lines).toEqual([
      {
        level: 'notice',
        message:
          'comment-on-pr: no comment on pull request #7: it comes from the fork contributor/app, and GitHub gives the workflows of fork pull requests a read-only token (HTTP 403: Resource not accessible by integration). The results are in the job summary. To comment on fork pull requests, post the comment from a separate workflow started by workflow_run, which gets a token that may write.',
      },
    ])
    expect(pullRequestOf(env, fromFork)).toEqual({
      owner: 'octo',
      repo: 'app',
      number: 7,
      fork: 'contributor/app',
    })
  })

  it('warns, and does not blame permissions, on a 403 for a rate limit', async () => {
    const issues = fakeIssues([])
    issues.createComment.mockRejectedValue(
      Object.assign(new Error('You have exceeded a secondary rate limit.'), { status: 403 }),
    )
    connect.mockReturnValue(issues)
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile, connect })
    expect(lines.map((line) => line.level)).toEqual(['warning'])
    expect(lines[0]!.message).toContain('secondary rate limit')
  })

  it.each([
    [
      'the event has no pull request',
      { GITHUB_EVENT_NAME: 'push' },
      'the event is push, not pull_request',
    ],
    [
      "the runner did not say where GitHub's API is",
      { GITHUB_API_URL: '' },
      'GITHUB_API_URL is not set',
    ],
  ])('skips with a notice, without calling GitHub, when %s', async (_, changed, why) => {
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, {
      token: 't',
      env: { ...env, ...changed },
      log,
      readFile,
      connect,
    })
    expect(connect).not.toHaveBeenCalled()
    expect(lines).toEqual([
      { level: 'notice', message: `comment-on-pr: no comment written, because ${why}.` },
    ])
  })

  it('warns on other API errors instead of failing the step', async () => {
    connect.mockReturnValue(fakeIssues([], 500))
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile, connect })
    expect(lines.map((line) => line.level)).toEqual(['warning'])
  })

  it('keeps one comment per image and platform set across steps and runs', async () => {
    const comments: Comment[] = [{ id: 1, body: `> ${marker}\n> quoted by a reviewer` }]
    connect.mockReturnValue(fakeIssues(comments))
    const step = async (...results: ScanResult[]) =>
      commentOnPullRequest(
        results.map((r) => ({ result: r, verdict: judge(r, settingsWith()) })),
        { token: 't', env, log: recordingLog().log, readFile, connect },
      )
    const platform = (name: string, tag = 'v1') =>
      completedResult([finding(`CVE-${name}`, 'HIGH')], {
        target: { repositoryName: 'team/app', imageTag: tag },
        platform: name,
        indexDigest: DIGEST,
      })
    const web = completedResult([], { target: { repositoryName: 'team/web', imageTag: 'v1' } })
    const europe = completedResult([], { region: 'eu-west-1' })
    await step(result)
    await step(web) // another step, another image: its own comment
    await step(europe) // the same repository name in another region is another image
    await step(platform('linux/amd64'), platform('linux/arm64')) // both platforms, one comment
    await step(platform('linux/arm64')) // another step scanning one platform: its own
    expect(comments.map((c) => c.body.split('\n')[0])).toEqual([
      `> ${marker}`,
      marker,
      commentMarker('us-east-1/team/web'),
      commentMarker('eu-west-1/team/api'),
      commentMarker('us-east-1/team/app linux/amd64,linux/arm64'),
      commentMarker('us-east-1/team/app linux/arm64'),
    ])
    const both = comments[4]!.body
    expect(both).toContain('<code>team/app:v1 (linux/amd64)</code>')
    expect(both).toContain('<code>team/app:v1 (linux/arm64)</code>')
    // The next push, with a new tag, updates the comments instead of adding new ones.
    const rebuilt = completedResult([finding('CVE-NEW', 'LOW')], {
      target: { repositoryName: 'team/api', imageTag: 'v2' },
    })
    await step(rebuilt)
    await step(platform('linux/amd64', 'v2'), platform('linux/arm64', 'v2'))
    expect(comments).toHaveLength(6)
    expect(comments[1]!.body).toContain('CVE-NEW')
    expect(comments[4]!.body).toContain('team/app:v2 (linux/arm64)')
    expect(comments[0]!.body).toBe(`> ${marker}\n> quoted by a reviewer`)
  })

  it('writes one comment per image, grouping results of the same repository', async () => {
    const comments: Comment[] = []
    connect.mockReturnValue(fakeIssues(comments))
    const other = completedResult([], { target: { repositoryName: 'team/web', imageTag: 'v1' } })
    const otherReport = { result: other, verdict: judge(other, settingsWith()) }
    const { log } = recordingLog()
    await commentOnPullRequest([...reports, otherReport, ...reports], {
      token: 't',
      env,
      log,
      readFile,
      connect,
    })
    expect(comments).toHaveLength(2)
  })
})

describe('restIssues, against a GitHub API on loopback', () => {
  let api: GitHubApi
  const received = () => api.received

  beforeAll(async () => {
    api = await startGitHubApi()
  })

  afterAll(async () => {
    await api.close()
  })

  beforeEach(() => {
    api.received.length = 0
  })

  const where = { owner: 'octo', repo: 'app' }

  it('lists, creates and updates comments with the token, the API version and our user agent', async () => {
    const issues: IssuesApi = restIssues('ghs_secret', api.url)
    api.answer = ({ method }) =>
      method === 'GET'
        ? { status: 200, body: [{ id: 5, body: 'hello' }] }
        : { status: method === 'POST' ? 201 : 200, body: { html_url: 'https://ghe.example/c/5' } }
    await expect(
      issues.listComments({ ...where, issue_number: 7, per_page: 100, page: 2 }),
    ).resolves.toEqual({ data: [{ id: 5, body: 'hello' }] })
    await expect(issues.createComment({ ...where, issue_number: 7, body: 'new' })).resolves.toEqual(
      { data: { html_url: 'https://ghe.example/c/5' } },
    )
    await issues.updateComment({ ...where, comment_id: 5, body: 'changed' })
    expect(received().map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      {
        method: 'GET',
        url: '/api/v3/repos/octo/app/issues/7/comments?per_page=100&page=2',
        body: undefined,
      },
      { method: 'POST', url: '/api/v3/repos/octo/app/issues/7/comments', body: { body: 'new' } },
      {
        method: 'PATCH',
        url: '/api/v3/repos/octo/app/issues/comments/5',
        body: { body: 'changed' },
      },
    ])
    for (const { headers } of received()) {
      expect(headers).toMatchObject({
        authorization: 'Bearer ghs_secret',
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': `ecr-image-scan/${ACTION_VERSION}`,
      })
    }
  })

  it.each([
    [
      403,
      { message: 'Resource not accessible by integration' },
      'Resource not accessible by integration',
    ],
    [404, { message: 'Not Found' }, 'Not Found'],
    [500, 'upstream broke', 'upstream broke'],
    [502, '', 'Failed request: (502)'],
  ])(
    "turns HTTP %i into an error with that status and GitHub's message",
    async (status, body, message) => {
      api.answer = () => ({ status, body })
      const error = await restIssues('t', api.url)
        .createComment({ ...where, issue_number: 7, body: 'x' })
        .catch((thrown: unknown) => thrown)
      expect(error).toMatchObject({ name: 'GitHubApiError', status, message })
    },
  )

  it('writes the comment through the real calls, and a 403 is the notice about permissions', async () => {
    const store = commentStore()
    api.answer = store.answer
    const onApi = { ...env, GITHUB_API_URL: api.url }
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env: onApi, log, readFile })
    await commentOnPullRequest(reports, { token: 't', env: onApi, log, readFile })
    expect(store.comments).toHaveLength(1)
    expect(store.comments[0]!.body.startsWith(marker)).toBe(true)
    expect(lines.map((line) => line.message)).toEqual([
      'comment-on-pr: created the comment for us-east-1/team/api on pull request #7.',
      'comment-on-pr: updated the comment for us-east-1/team/api on pull request #7.',
    ])

    api.answer = ({ method }) =>
      method === 'GET'
        ? { status: 200, body: [] }
        : { status: 403, body: { message: 'Resource not accessible by integration' } }
    const denied = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env: onApi, log: denied.log, readFile })
    expect(denied.lines).toEqual([
      { level: 'notice', message: expect.stringContaining('the token may not comment (HTTP 403') },
    ])
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
    const issues = fakeIssues(comments)
    const pr = { owner: 'o', repo: 'r', number: 1 }
    expect(await upsertComment(issues, pr, marker, `${marker} a`)).toBe('created')
    expect(await upsertComment(issues, pr, marker, `${marker} b`)).toBe('updated')
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

  it('stays within the 65,536 characters GitHub takes, with text of any script', () => {
    expect(MAX_COMMENT_CHARACTERS).toBe(65_536)
    const wide = completedResult(
      Array.from({ length: 500 }, (_, i) =>
        finding(`CVE-${i}-${'脆弱性🐛'.repeat(20)}`, 'CRITICAL', {
          packageName: '包'.repeat(2000),
          fixedInVersion: 'é'.repeat(200),
        }),
      ),
    )
    const body = renderComment(
      'k',
      Array.from({ length: 40 }, (_, i) => {
        const one = { ...wide, target: { repositoryName: `team/${'ü'.repeat(100)}${i}` } }
        return { result: one, verdict: judge(one, settingsWith()) }
      }),
      env,
    )
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
    expect([...body].length).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
    expect(body.length).toBeGreaterThan(10_000)
    expect(body).toContain('This was cut here')
  })

  it('keeps the marker a closed HTML comment whatever the names hold', () => {
    const marker = commentMarker('us-east-1/team/api linux/x-->\n<script>')
    expect(marker).toMatch(/^<!-- ecr-image-scan:comment [^<>\n]* -->$/)
    expect(marker.slice(4, -3)).not.toContain('--')
  })
})
