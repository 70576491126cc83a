// Writing the step's files: the findings file under RUNNER_TEMP always; the SARIF file only with
// sarif-file and never when no image had findings read (an empty upload would close every open
// alert), its folders created; a file that cannot be written is said, not thrown.
import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { completedResult, finding, reportsOf, settingsWith } from '../__fixtures__/results.js'
import { writeStepFiles } from '../src/report/files.js'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-files-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const unread = completedResult([], { findings: undefined, scanStatus: 'IN_PROGRESS' })
const read = completedResult([finding('CVE-1', 'HIGH')])
const report = (sarifFile?: string) => settingsWith({ sarifFile }).report

describe('writeStepFiles', () => {
  it('writes no SARIF file when no image had its findings read, and says so', async () => {
    const path = join(tempDir(), 'ecr.sarif')
    const env = { RUNNER_TEMP: tempDir() }
    const files = await writeStepFiles(reportsOf([unread, unread]), report(path), env)
    expect(files.sarif).toEqual({ noFindings: true })
    expect(existsSync(path)).toBe(false)
    expect('path' in files.findings && existsSync(files.findings.path)).toBe(true)
  })

  it('writes the findings of the images that have them, creating the folders', async () => {
    const path = join(tempDir(), 'reports', 'scan', 'ecr.sarif')
    const files = await writeStepFiles(reportsOf([unread, read]), report(path), {
      RUNNER_TEMP: tempDir(),
    })
    expect(files.sarif).toEqual({ path, note: '' })
    const log = JSON.parse(readFileSync(path, 'utf8')) as { runs: { results: unknown[] }[] }
    expect(log.runs[0]?.results).toHaveLength(1)
  })

  it('writes no SARIF file without sarif-file', async () => {
    expect(
      (await writeStepFiles(reportsOf([read]), report(), { RUNNER_TEMP: tempDir() })).sarif,
    ).toBe(undefined)
  })

  it('says why a file could not be written instead of throwing', async () => {
    const blocker = join(tempDir(), 'not-a-folder')
    writeFileSync(blocker, '')
    const files = await writeStepFiles(reportsOf([read]), report(join(blocker, 'ecr.sarif')), {
      RUNNER_TEMP: blocker,
    })
    expect(files.findings).toEqual({ error: expect.stringContaining('not-a-folder') })
    expect(files.sarif).toEqual({
      path: join(blocker, 'ecr.sarif'),
      error: expect.stringContaining('not-a-folder'),
    })
  })
})
