// Stacks in the debug log as src/*.ts lines. The bundle is minified into a few long lines, and
// Node maps positions through dist/index.js.map only under --enable-source-maps, which the
// runner does not pass; the map (src/ only, ~80 kB) is read here, when a stack is logged.

import { existsSync, readFileSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { fileURLToPath } from 'node:url'

/** A script's position in a stack frame: `file:///…/index.js:1:53321` or `/…/index.js:1:53321`. */
const POSITION = /((?:file:\/\/)?\/[^\s()]*?\.[cm]?js):(\d+):(\d+)/g

/**
 * `stack` with each position that a map of its script knows replaced by the source position,
 * e.g. `(file:///…/dist/index.js:1:53321)` → `(src/main.ts:60:5, index.js:1:53321)`. `mapOf`
 * gives a script's map, or undefined; positions it cannot map (bundled dependencies, which the
 * map leaves out) stay as they are.
 */
export function mapStack(stack: string, mapOf: (script: string) => SourceMap | undefined): string {
  return stack.replace(POSITION, (whole, script: string, line: string, column: string) => {
    const origin = mapOf(script.startsWith('file:') ? fileURLToPath(script) : script)?.findOrigin(
      Number(line),
      Number(column),
    )
    if (!origin || !('fileName' in origin)) return whole
    const source = origin.fileName.replace(/^(?:\.\.\/)+/, '')
    const name = script.slice(script.lastIndexOf('/') + 1)
    return `${source}:${origin.lineNumber}:${origin.columnNumber}, ${name}:${line}:${column}`
  })
}

/**
 * `stack` mapped through the `.map` file beside each script, where there is one (dist/index.js
 * has; the tests run src/ and have none). Never throws: a stack unmapped beats no stack.
 */
export function mappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>()
  const mapOf = (script: string): SourceMap | undefined => {
    if (!maps.has(script)) maps.set(script, readMap(`${script}.map`))
    return maps.get(script)
  }
  try {
    return mapStack(stack, mapOf)
  } catch {
    return stack
  }
}

function readMap(file: string): SourceMap | undefined {
  if (!existsSync(file)) return undefined
  return new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload)
}
