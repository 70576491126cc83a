// A forward proxy on loopback, as HTTPS_PROXY / HTTP_PROXY would name on a corporate runner. It
// records what clients asked it for: absolute-form requests (http:// targets, with the ECR
// operation from x-amz-target) and CONNECT tunnels (https:// targets, host:port only, since the
// tunnel is encrypted end to end).
import { createServer, request as httpRequest, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface ForwardProxy {
  url: string
  /** `GET http://host:port/ StartImageScan` or `CONNECT host:443`, in arrival order. */
  requests: string[]
  /** Connections clients opened to the proxy, since the start or the last clear(). */
  connections(): number
  clear(): void
  close(): Promise<void>
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: string[] = []
  let connections = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((incoming, outgoing) => {
    const target = `${incoming.headers['x-amz-target'] ?? ''}`.split('.').pop()
    requests.push(`${incoming.method} ${incoming.url}${target ? ` ${target}` : ''}`)
    let url: URL
    try {
      url = new URL(incoming.url ?? '')
    } catch {
      outgoing.writeHead(400).end('a proxy expects absolute-form requests')
      return
    }
    const forward = httpRequest(
      url,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      },
    )
    forward.on('error', () => outgoing.writeHead(502).end())
    incoming.pipe(forward)
  })
  server.on('connect', (incoming, client: Socket) => {
    requests.push(`CONNECT ${incoming.url}`)
    sockets.add(client)
    const [host = '', port = '443'] = (incoming.url ?? '').split(/:(?=\d+$)/)
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client).pipe(upstream)
    })
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))
    client.on('error', () => upstream.destroy())
    client.on('close', () => sockets.delete(client))
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    connections: () => connections,
    clear: () => {
      requests.splice(0)
      connections = 0
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
