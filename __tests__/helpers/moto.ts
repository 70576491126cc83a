// Starts moto's ECR emulator (`python3 -m moto.server`) on a free loopback port for one test file.
// Where moto is missing, tests that need it skip with a printed notice, except under CI=true,
// where a missing moto is a failure: CI must never pass by skipping.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { describe } from '@jest/globals'

export interface Moto {
  url: string
  /** Empties every backend, so each test starts from a clean registry. */
  reset(): Promise<void>
  stop(): Promise<void>
}

let available: boolean | undefined

/** Whether `python3 -m moto.server` can run here; throws under CI=true when it cannot. */
export function motoAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' })
    available = probe.status === 0
    if (!available) {
      if (process.env.CI === 'true') {
        throw new Error(
          'moto is not installed but CI=true: install it (pip install "moto[server]")',
        )
      }
      console.warn(
        'NOTICE: moto is not installed (python3 -m moto.server); its integration tests are skipped. ' +
          'Install it with: pip install "moto[server]"',
      )
    }
  }
  return available
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      )
    })
  })
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    'python3',
    ['-m', 'moto.server', '-H', '127.0.0.1', '-p', `${port}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited early: ${stderr}`)
    try {
      const response = await fetch(`${url}/moto-api/`)
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`moto did not start within 20 s: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' })
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`)
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** `describe` that runs only where moto is available (and always under CI). */
export const describeWithMoto = motoAvailable() ? describe : describe.skip
