// Stacks in the debug log read as src/ lines: positions in the minified bundle go through the
// map beside it; positions the map does not cover stay as they were.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { mapStack, mappedStack } from '../src/kernel/stack.js'
import { encodeMappings, trimSourceMap } from '../tools/source-map.ts'

// Line 1 of the bundle: src/main.ts 60:4 from column 100, dependency code from 200; cut down
// as the build cuts dist/index.js.map.
const PAYLOAD = trimSourceMap(
  {
    version: 3,
    file: 'index.js',
    sources: ['../src/main.ts', '../node_modules/sdk/index.js'],
    names: [],
    mappings: encodeMappings([
      [
        [100, 0, 59, 4],
        [200, 1, 9, 0],
      ],
    ]),
  },
  (source) => source.startsWith('../src/'),
) as SourceMapPayload

const dir = mkdtempSync(join(tmpdir(), 'ecr-image-scan-stack-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function stackIn(script: string): string {
  const url = pathToFileURL(script).href
  return [
    'TypeError: boom',
    `    at scanStep (${url}:1:101)`,
    `    at ${url}:1:250`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
  ].join('\n')
}

describe('mapStack', () => {
  it('gives a position in src/ its file and line, and keeps the bundle position', () => {
    const script = join(dir, 'index.js')
    const mapped = mapStack(stackIn(script), () => new SourceMap(PAYLOAD)).split('\n')
    expect(mapped[0]).toBe('TypeError: boom')
    expect(mapped[1]).toBe('    at scanStep (src/main.ts:60:5, index.js:1:101)')
    expect(mapped[2]).toBe(`    at ${pathToFileURL(script).href}:1:250`)
    expect(mapped[3]).toContain('node:internal')
  })
})

describe('mapStack, other forms', () => {
  it('maps a plain path as well as a file URL', () => {
    const script = join(dir, 'index.js')
    const seen: string[] = []
    const stack = `Error: x\n    at run (${script}:1:101)`
    const mapped = mapStack(stack, (path) => {
      seen.push(path)
      return new SourceMap(PAYLOAD)
    })
    expect(seen).toEqual([script])
    expect(mapped).toBe('Error: x\n    at run (src/main.ts:60:5, index.js:1:101)')
  })

  it('drops every leading ../ of a source', () => {
    const deeper = new SourceMap({
      ...PAYLOAD,
      sources: ['../../src/main.ts'],
    } as SourceMapPayload)
    const script = join(dir, 'index.js')
    expect(mapStack(stackIn(script), () => deeper)).toContain('(src/main.ts:60:5, index.js:1:101)')
  })

  it('keeps a ../ that does not lead a source path', () => {
    const inside = new SourceMap({
      ...PAYLOAD,
      sources: ['src/ecr/../main.ts'],
    } as SourceMapPayload)
    const script = join(dir, 'index.js')
    expect(mapStack(stackIn(script), () => inside)).toContain(
      '(src/ecr/../main.ts:60:5, index.js:1:101)',
    )
  })
})

describe('mappedStack', () => {
  it('reads the .map file beside the script', () => {
    const script = join(dir, 'index.js')
    writeFileSync(`${script}.map`, JSON.stringify(PAYLOAD))
    expect(mappedStack(stackIn(script))).toContain('(src/main.ts:60:5, index.js:1:101)')
  })

  it('maps the frames of a script with a map when another script in the stack has none', () => {
    const script = join(dir, 'index.js')
    writeFileSync(`${script}.map`, JSON.stringify(PAYLOAD))
    const other = pathToFileURL(join(dir, 'nomap.js')).href
    const stack = `${stackIn(script)}\n    at load (${other}:3:7)`
    const mapped = mappedStack(stack)
    expect(mapped).toContain('(src/main.ts:60:5, index.js:1:101)')
    expect(mapped).toContain(`    at load (${other}:3:7)`)
  })

  it('leaves a stack as it is where there is no map, or a broken one', () => {
    const none = stackIn(join(dir, 'nomap.js'))
    expect(mappedStack(none)).toBe(none)
    writeFileSync(join(dir, 'broken.js.map'), '{ not json')
    const broken = stackIn(join(dir, 'broken.js'))
    expect(mappedStack(broken)).toBe(broken)
  })
})
