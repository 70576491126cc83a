// A loopback HTTP proxy in front of an ECR server (moto or the emulator) that records each
// request's operation, so a test can assert exactly which AWS calls a run made.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordingProxy {
  url: string
  /** Operation names (StartImageScan, …) in the order they arrived. */
  operations: string[]
  count(operation: string): number
  clear(): void
  close(): Promise<void>
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const operations: string[] = []
  const upstream = new URL(target)
  const server: Server = createServer((incoming, outgoing) => {
    const targetHeader = `${incoming.headers['x-amz-target'] ?? ''}`
    operations.push(targetHeader.split('.').pop() || `${incoming.method} ${incoming.url}`)
    const forward = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      },
    )
    forward.on('error', () => outgoing.destroy())
    incoming.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations,
    count: (operation) => operations.filter((name) => name === operation).length,
    clear: () => operations.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
