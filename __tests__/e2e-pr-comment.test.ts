// The bundle on a pull_request event with comment-on-pr: it writes its comment through GitHub's
// REST API (here on loopback, as GITHUB_API_URL names it on github.com and GHES alike), updates it
// on the next run, and a token that may not comment costs a notice, never the step.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commentStore, startGitHubApi, type GitHubApi } from './helpers/github-api.js'
import { emulatorEnv, emulatorWithImage, expectSettled } from './helpers/reliability.js'
import { runAction } from './helpers/run-action.js'

const TOKEN = 'ghs_e2eCommentToken0123456789'
const emulator = emulatorWithImage({ durationMs: 0 })
let api: GitHubApi
let eventPath: string

beforeAll(async () => {
  api = await startGitHubApi()
  eventPath = join(mkdtempSync(join(tmpdir(), 'pr-event-')), 'event.json')
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 12 } }))
})

afterAll(async () => {
  await api?.close()
})

beforeEach(() => {
  api.received.length = 0
})

const commentRun = () =>
  runAction(
    { repository: 'team/api', 'image-tag': 'v1', 'comment-on-pr': 'true', 'github-token': TOKEN },
    {
      env: emulatorEnv(emulator, {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_SERVER_URL: 'https://ghe.example.com',
        GITHUB_API_URL: api.url,
        GITHUB_RUN_ID: '99',
      }),
    },
  )

describe('comment-on-pr, through the bundle', () => {
  it('creates the comment, then updates it on the next run', async () => {
    const store = commentStore()
    api.answer = store.answer
    const first = await commentRun()
    expectSettled(first)
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain('comment-on-pr: created the comment for us-east-1/team/api')
    const second = await commentRun()
    expect(second.stdout).toContain('comment-on-pr: updated the comment for us-east-1/team/api')
    expect(store.comments).toHaveLength(1)
    expect(store.comments[0]?.body).toMatch(/^<!-- ecr-image-scan:comment us-east-1\/team\/api -->/)
    expect(store.comments[0]?.body).toContain('https://ghe.example.com/octo/app/actions/runs/99')
    expect(api.received.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /api/v3/repos/octo/app/issues/12/comments?per_page=100&page=1',
      'POST /api/v3/repos/octo/app/issues/12/comments',
      'GET /api/v3/repos/octo/app/issues/12/comments?per_page=100&page=1',
      'PATCH /api/v3/repos/octo/app/issues/comments/1',
    ])
    // Octokit sends the token as `token …`; GitHub takes that and `Bearer …` alike.
    expect(
      api.received.every(({ headers }) =>
        [`token ${TOKEN}`, `Bearer ${TOKEN}`].includes(`${headers.authorization}`),
      ),
    ).toBe(true)
    expect(first.stdout).not.toContain(TOKEN)
  })

  it('gives a notice and passes when the token may not comment', async () => {
    api.answer = ({ method }) =>
      method === 'GET'
        ? { status: 200, body: [] }
        : { status: 403, body: { message: 'Resource not accessible by integration' } }
    const run = await commentRun()
    expectSettled(run)
    expect(run.exitCode).toBe(0)
    expect(run.commands('notice').join('\n')).toContain(
      'no comment on pull request #12: the token may not comment (HTTP 403: Resource not accessible by integration)',
    )
    expect(run.commands('warning')).toEqual([])
  })
})
