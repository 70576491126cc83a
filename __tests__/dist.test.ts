// The committed bundle stays small (it is checked out on every job that uses the action, and
// Node parses all of it at every start), names the license of what it bundles, and its source
// map covers the action's own code, so a stack in the debug log reads as src/ lines.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../dist', import.meta.url))

/** Line and column (1-based) of the first `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle)
  expect(at).toBeGreaterThanOrEqual(0)
  const before = text.slice(0, at)
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') }
}

/** Bytes of each file in dist/, by its path there. */
function distSizes(): Record<string, number> {
  return Object.fromEntries(
    readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name)
        return [path.slice(dist.length + 1), statSync(path).size]
      }),
  )
}

describe('dist/', () => {
  it('is at most 2 MB in all', () => {
    const sizes = distSizes()
    const total = Object.values(sizes).reduce((sum, size) => sum + size, 0)
    // On failure the sizes say which file grew.
    expect(total <= 2_000_000 ? 'at most 2 MB' : { total, sizes }).toBe('at most 2 MB')
  })

  it('holds at most 1.30 MB of JavaScript, index.js and any chunk together', () => {
    // Minified and compressed (tools/build.ts): 1.19 MB before the exploit sources, VEX and the
    // registry watch (1.25 MB was the limit then); they added about 0.08 MB, most of it in chunks
    // read only by steps that use them (packageurl-js, the VEX reader, the listing, SARIF).
    // Octokit (@actions/github, for the PR comment) is 0.12 MB. ncc's --minify alone made 1.32 MB.
    const js = Object.entries(distSizes()).filter(([file]) => file.endsWith('.js'))
    const total = js.reduce((sum, [, size]) => sum + size, 0)
    expect(total <= 1_300_000 ? 'at most 1.30 MB' : { total, js }).toBe('at most 1.30 MB')
  })

  it('compiles at most 1.11 MB at start: Octokit is a chunk of its own, and minified', () => {
    // Node compiles all of index.js at every start; a chunk only when the PR comment loads it.
    // 1.10 MB until the exploit sources, VEX and the registry watch: their code that every step
    // runs (facts, verdict, reports) is at start-up; the rest is in chunks. The cold start,
    // which this guards, is measured by `npm run bench -- --cold-start` (BENCHMARKS.md).
    expect(statSync(join(dist, 'index.js')).size).toBeLessThanOrEqual(1_110_000)
    const chunks = readdirSync(dist).filter((file) => /^\d+\.index\.js$/.test(file))
    const octokit = chunks.filter((chunk) =>
      readFileSync(join(dist, chunk), 'utf8').includes('octokit-core.js/'),
    )
    expect(octokit).toHaveLength(1)
    expect(readFileSync(join(dist, 'index.js'), 'utf8')).not.toContain('octokit-core.js/')
    // Minified as ncc minifies index.js: a few long lines, not webpack's commented modules.
    const lines = readFileSync(join(dist, String(octokit[0])), 'utf8').split('\n')
    expect(lines.length).toBeLessThan(50)
  })

  it('leaves out bowser, which only a browser would load', () => {
    // @aws-sdk/core requires it inside a browser-only function: the require stays, lazily.
    const code = readFileSync(join(dist, 'index.js'), 'utf8')
    expect(code).toContain('("bowser")')
    expect(code).not.toContain('Bowser')
  })

  it('names in licenses.txt every runtime dependency it bundles', () => {
    // The build adds what ncc leaves out (tools/licenses.ts); this checks the result.
    const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>
    }
    const lines = new Set(readFileSync(join(dist, 'licenses.txt'), 'utf8').split('\n'))
    expect(Object.keys(dependencies).filter((name) => !lines.has(name))).toEqual([])
  })

  it('maps the action’s own code to src/ and nothing else', () => {
    const map = JSON.parse(readFileSync(join(dist, 'index.js.map'), 'utf8')) as SourceMapPayload
    expect(map.sources.length).toBeGreaterThan(10)
    expect(map.sources.filter((source) => !source.startsWith('../src/'))).toEqual([])
    expect(map).not.toHaveProperty('sourcesContent')

    const code = readFileSync(join(dist, 'index.js'), 'utf8')
    const sourceMap = new SourceMap(map)
    // A string only src/ecr/client.ts has, and one only the SDK has.
    const own = positionOf(code, 'ecrImageScanOperationName')
    expect(sourceMap.findOrigin(own.line, own.column)).toMatchObject({
      fileName: '../src/ecr/client.ts',
    })
    const sdk = positionOf(code, 'amz-sdk-invocation-id')
    expect(sourceMap.findOrigin(sdk.line, sdk.column)).toEqual({})
  })

  it('loads no source-map-support (the action maps its stacks itself)', () => {
    const code = readFileSync(join(dist, 'index.js'), 'utf8')
    expect(code).not.toContain('sourcemap-register')
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true)
  })
})
