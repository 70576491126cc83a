// Runs one of the project's tools (tools/*.ts) on Node 24 as `npm run` would, with only PATH and
// the environment given: nothing of the test's own environment reaches it.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { node24, root } from '../../tools/runner.ts'

export interface ToolRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * `script` (relative to the project) with `args`, in the project's folder as npm runs scripts;
 * `env.INIT_CWD` is then the folder the user ran npm from.
 */
export function runTool(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(node24(), [join(root, script), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
