// src/ is laid out in stages (CONTRIBUTING.md, "Where things are"): facts flow one way, read →
// enrich → judge → report, so a module may import only from its own stage or an earlier one, and
// no import may close a circle.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'

/** Each folder of src/ and the stages it may import from besides its own. */
const STAGES: Record<string, string[]> = {
  kernel: [],
  inputs: ['kernel'],
  vex: ['kernel'],
  ecr: ['kernel'],
  scan: ['kernel', 'inputs', 'ecr'],
  exploits: ['kernel'],
  facts: ['kernel', 'inputs'],
  verdict: ['kernel', 'inputs', 'facts'],
  report: ['kernel', 'inputs', 'facts'],
  github: ['kernel', 'report'],
  '.': [
    'kernel',
    'inputs',
    'vex',
    'ecr',
    'scan',
    'exploits',
    'facts',
    'verdict',
    'report',
    'github',
  ],
}

const SRC = 'src'
const files = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(SRC, file))

/** The src/ files `file` imports (static, type-only and dynamic imports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)]
  return specifiers.map(([, specifier]) => normalize(join(dirname(file), `${specifier}.ts`)))
}

/** The stage of a file: its folder under src/, or '.' for src/ itself. */
const stageOf = (file: string): string => relative(SRC, file).split('/').slice(0, -1)[0] ?? '.'

describe('the layout of src/', () => {
  it('has a stage for every folder', () => {
    expect([...new Set(files.map(stageOf))].sort()).toEqual(Object.keys(STAGES).sort())
  })

  it('imports only from its own stage or an earlier one', () => {
    const backwards = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => {
          const from = stageOf(file)
          const to = stageOf(target)
          return to !== from && !STAGES[from]?.includes(to)
        })
        .map((target) => `${file} → ${target}`),
    )
    expect(backwards).toEqual([])
  })

  it('has no circle of imports', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]))
    const circles: string[] = []
    const done = new Set<string>()
    const visit = (file: string, path: string[]): void => {
      if (path.includes(file)) {
        circles.push([...path.slice(path.indexOf(file)), file].join(' → '))
        return
      }
      if (done.has(file)) return
      for (const target of graph.get(file) ?? []) visit(target, [...path, file])
      done.add(file)
    }
    for (const file of files) visit(file, [])
    expect(circles).toEqual([])
  })

  it('sees through the import forms src/ uses', () => {
    expect(importsOf('src/main.ts')).toContain('src/kernel/model.ts')
    expect(importsOf('src/github/pr-comment.ts')).toContain('src/report/step-report.ts')
  })
})
