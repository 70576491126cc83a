// GitHub Enterprise Server: the action runs against any GitHub host, so no GitHub URL may be
// written into the code; links are built from GITHUB_SERVER_URL (and the API from GITHUB_API_URL),
// which the runner sets on github.com and GHES alike.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

describe('src/', () => {
  const files = sourceFiles('src')

  it('builds links to the run from GITHUB_SERVER_URL', () => {
    const readers = files.filter((file) => readFileSync(file, 'utf8').includes('GITHUB_SERVER_URL'))
    expect(readers).toContain(join('src', 'report', 'comment.ts'))
  })

  it('names no GitHub host (github.com, api.github.com, githubusercontent.com)', () => {
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ file, line: index + 1, text: line }))
        .filter(({ text }) => /github\.com|githubusercontent\.com/i.test(text)),
    )
    expect(offenders).toEqual([])
  })
})
