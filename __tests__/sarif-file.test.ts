// Writing the SARIF file: nothing when no image had findings read (an empty upload would close
// every open alert), folders created, and one image without findings does not stop the others.
import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { completedResult, finding } from '../__fixtures__/results.js'
import { writeSarifFile } from '../src/report/sarif-file.js'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-sarif-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const unread = completedResult([], { findings: undefined, scanStatus: 'IN_PROGRESS' })

describe('writeSarifFile', () => {
  it('writes nothing when no image had its findings read', () => {
    const path = join(tempDir(), 'ecr.sarif')
    expect(writeSarifFile([unread, unread], { path, env: {} })).toEqual({ written: false })
    expect(existsSync(path)).toBe(false)
  })

  it('writes the findings of the images that have them, creating the folders', () => {
    const path = join(tempDir(), 'reports', 'scan', 'ecr.sarif')
    const outcome = writeSarifFile([unread, completedResult([finding('CVE-1', 'HIGH')])], {
      path,
      env: {},
    })
    expect(outcome).toMatchObject({ written: true, path })
    const log = JSON.parse(readFileSync(path, 'utf8')) as { runs: { results: unknown[] }[] }
    expect(log.runs[0]?.results).toHaveLength(1)
  })
})
