// The pull-request comment through a mocked Octokit (@actions/github): create, update in place
// (found by its hidden marker), and a token that may not comment.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import {
  BASELINE_DIGEST,
  comparedResult,
  completedResult,
  DIGEST,
  finding,
  reportOf,
  settingsWith,
} from '../__fixtures__/results.js'
import type { ImageReport, ScanResult } from '../src/kernel/model.js'
import type { Log } from '../src/kernel/log.js'

const getOctokit = jest.fn<(token: string) => ReturnType<typeof fakeOctokit>>()
jest.unstable_mockModule('@actions/github', () => ({ getOctokit }))
const {
  commentOnPullRequest: postComments,
  pullRequestOf,
  upsertComment,
} = await import('../src/github/pr-comment.js')
const { pullRequestComments } = await import('../src/report/step-report.js')

/** The step's comments on `reports`, posted as the step posts them. */
const commentOnPullRequest = (reports: ImageReport[], deps: Parameters<typeof postComments>[1]) =>
  postComments(pullRequestComments(reports, deps.env), deps)
const { MAX_COMMENT_CHARACTERS, commentMarker, renderComment, runUrl } =
  await import('../src/report/comment.js')

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
const reports = [reportOf(result, settingsWith())]
const marker = commentMarker('us-east-1/team/api')

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
      message: 'comment-on-pr: created the comment for us-east-1/team/api on pull request #7.',
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
        message:
          'comment-on-pr: no comment on pull request #7: the token may not comment (HTTP 403: Resource not accessible by integration). Give the job "permissions: pull-requests: write" (Dependabot\'s pull requests get a read-only token, like forks\'). The results are in the job summary.',
      },
    ])
  })

  it('on a pull request from a fork, says the token is read-only and what to do instead', async () => {
    getOctokit.mockReturnValue(fakeOctokit([], 403))
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
      commentOnPullRequest([...reports, reportOf(other, settingsWith())], {
        token: 't',
        env,
        log,
        readFile: fromFork,
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
    const octokit = fakeOctokit([])
    octokit.rest.issues.createComment.mockRejectedValue(
      Object.assign(new Error('You have exceeded a secondary rate limit.'), { status: 403 }),
    )
    getOctokit.mockReturnValue(octokit)
    const { log, lines } = recordingLog()
    await commentOnPullRequest(reports, { token: 't', env, log, readFile })
    expect(lines.map((line) => line.level)).toEqual(['warning'])
    expect(lines[0]!.message).toContain('secondary rate limit')
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

  it('keeps one comment per image and platform set across steps and runs', async () => {
    const comments: Comment[] = [{ id: 1, body: `> ${marker}\n> quoted by a reviewer` }]
    getOctokit.mockReturnValue(fakeOctokit(comments))
    const step = async (...results: ScanResult[]) =>
      commentOnPullRequest(
        results.map((r) => reportOf(r, settingsWith())),
        { token: 't', env, log: recordingLog().log, readFile },
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
    getOctokit.mockReturnValue(fakeOctokit(comments))
    const other = completedResult([], { target: { repositoryName: 'team/web', imageTag: 'v1' } })
    const otherReport = reportOf(other, settingsWith())
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
      Array.from({ length: 20 }, () => reportOf(many, settingsWith())),
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
        return reportOf(one, settingsWith())
      }),
      env,
    )
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
    expect([...body].length).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
    expect(body.length).toBeGreaterThan(10_000)
    expect(body).toContain('This was cut here')
  })

  describe('with compare-to', () => {
    const exploited = finding('CVE-NEW', 'CRITICAL', {
      packageName: 'openssl',
      exploitAvailable: 'YES',
    })
    const kept = finding('CVE-KEPT', 'HIGH', { packageName: 'glibc' })
    const gone = finding('CVE-GONE', 'HIGH', { packageName: 'libwebp' })
    const commentOf = (one: ScanResult) => renderComment('k', [reportOf(one, settingsWith())], env)

    it('leads with the new findings, then the fixed, then the unchanged collapsed', () => {
      const body = commentOf(comparedResult([kept, exploited], [kept, gone]))
      const order = [
        `Baseline <code>team/api:production</code> <code>${BASELINE_DIGEST}</code>: <b>1 new</b>, 1 fixed, 1 unchanged.`,
        'New since <code>team/api:production</code> (1):',
        '<td>CVE-NEW <b>⚠ exploit</b></td>',
        'Fixed (1):',
        'CVE-GONE',
        '<details><summary>Unchanged, in <code>team/api:production</code> too (1)</summary>',
        'CVE-KEPT',
        '</details>',
        '<th>Total</th>',
      ].map((part) => body.indexOf(part))
      expect(order.every((at) => at >= 0)).toBe(true)
      expect(order).toEqual([...order].sort((a, b) => a - b))
      expect(body.match(/⚠ exploit/g)).toHaveLength(1)
      expect(body).not.toContain('Findings:')
    })

    it('says when nothing is new, and leaves out empty lists', () => {
      const body = commentOf(comparedResult([kept], [kept]))
      expect(body).toContain('No new findings since <code>team/api:production</code>.')
      expect(body).not.toContain('Fixed (')
      expect(commentOf(comparedResult([exploited], []))).not.toContain('<details>')
    })

    it('says in one line why the baseline was not compared, and lists the findings as without it', () => {
      const body = commentOf(
        completedResult([kept], {
          baseline: {
            label: 'team/api:production',
            outcome: 'missing',
            reason: 'the image team/api:production does not exist',
          },
        }),
      )
      expect(
        body
          .split('\n')
          .filter((line) => line.includes('production'))
          .map((line) => line.trim()),
      ).toEqual([
        'Baseline <code>team/api:production</code>: not compared: the image team/api:production does not exist.',
      ])
      expect(body).toContain('Findings:')
    })

    it('lists the most severe of the new, the fixed and the unchanged when more than fit', () => {
      const lows = Array.from({ length: 12 }, (_, i) => finding(`CVE-LOW-${i}`, 'LOW'))
      const critical = finding('CVE-CRIT', 'CRITICAL')
      const list = [...lows, critical]
      for (const [body, title] of [
        [commentOf(comparedResult(list, [])), 'New since <code>team/api:production</code>'],
        [commentOf(comparedResult([], list)), 'Fixed'],
        [
          commentOf(comparedResult(list, list)),
          'Unchanged, in <code>team/api:production</code> too',
        ],
      ] as const) {
        expect(body).toContain(`${title} (the most severe 10 of 13)`)
        expect(body).toContain('<td>CVE-CRIT</td>')
      }
    })

    it('stays within the 65,536 characters GitHub takes', () => {
      const many = (prefix: string) =>
        Array.from({ length: 300 }, (_, i) =>
          finding(`${prefix}-${i}-${'脆弱性🐛'.repeat(20)}`, 'CRITICAL', {
            packageName: '包'.repeat(2000),
            exploitAvailable: 'YES',
          }),
        )
      const same = many('SAME')
      const wide = comparedResult([...many('NEW'), ...same], [...same, ...many('GONE')])
      const body = renderComment(
        'k',
        Array.from({ length: 40 }, () => reportOf(wide, settingsWith())),
        env,
      )
      expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
      expect(body).toContain(
        'New since <code>team/api:production</code> (the most severe 10 of 300):',
      )
      expect(body).toContain('This was cut here')
    })
  })

  it('keeps the marker a closed HTML comment whatever the names hold', () => {
    const marker = commentMarker('us-east-1/team/api linux/x-->\n<script>')
    expect(marker).toMatch(/^<!-- ecr-image-scan:comment [^<>\n]* -->$/)
    expect(marker.slice(4, -3)).not.toContain('--')
  })
})
