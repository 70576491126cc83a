// A GitHub REST API on loopback for the pull-request comment: it records each request and
// answers with what the test says (an object is sent as JSON, a string as text).
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the API received it. */
export interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: unknown
}

export type Answer = (request: Received) => { status: number; body: unknown }

export interface GitHubApi {
  /** A GHES-style base with a path, as the runner sets GITHUB_API_URL there: `http://127.0.0.1:PORT/api/v3`. */
  url: string
  received: Received[]
  answer: Answer
  close(): Promise<void>
}

export async function startGitHubApi(
  answer: Answer = () => ({ status: 200, body: [] }),
): Promise<GitHubApi> {
  const api: Omit<GitHubApi, 'url' | 'close'> = { received: [], answer }
  const server = createServer((incoming, outgoing) => {
    let text = ''
    incoming.on('data', (chunk: Buffer) => (text += chunk.toString()))
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      }
      api.received.push(request)
      const { status, body } = api.answer(request)
      const json = typeof body !== 'string'
      outgoing.writeHead(status, { 'content-type': json ? 'application/json' : 'text/plain' })
      outgoing.end(json ? JSON.stringify(body) : body)
    })
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  return Object.assign(api, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  })
}

/** Comments kept in memory, as GitHub keeps an issue's: list, create and update. */
export function commentStore(): { comments: { id: number; body: string }[]; answer: Answer } {
  const comments: { id: number; body: string }[] = []
  return {
    comments,
    answer: ({ method, url, body }) => {
      if (method === 'GET') return { status: 200, body: comments }
      const text = (body as { body: string }).body
      if (method === 'POST') {
        comments.push({ id: comments.length + 1, body: text })
        return { status: 201, body: { html_url: `https://ghe.example/c/${comments.length}` } }
      }
      const comment = comments.find(({ id }) => url.endsWith(`/comments/${id}`))
      if (!comment) return { status: 404, body: { message: 'Not Found' } }
      comment.body = text
      return { status: 200, body: {} }
    },
  }
}
