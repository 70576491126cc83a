// npm run build: bundles src/ into dist/ with ncc, completes licenses.txt (see licenses.ts),
// cuts the source map down to src/ (see source-map.ts), and records the hash of the sources the
// bundle came from (see dist-sources.ts).
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { SOURCES_HASH_FILE, sourcesHash } from './dist-sources.ts'
import { completeLicenses } from './licenses.ts'
import { minifyScript } from './minify.ts'
import { root } from './runner.ts'
import { trimSourceMap, type SourceMapJson } from './source-map.ts'

const dist = join(root, 'dist')

// ncc deletes only the .js files it replaces; a file dropped from the build must not linger.
rmSync(dist, { recursive: true, force: true })
const ncc = spawnSync(
  join(root, 'node_modules/.bin/ncc'),
  [
    'build',
    'src/index.ts',
    '-o',
    'dist',
    // minified below, with compression, which ncc's own --minify leaves off
    '--source-map',
    // The action maps its own stacks (src/kernel/stack.ts); source-map-support would add 41 kB.
    '--no-source-map-register',
    // @aws-sdk/core requires bowser only to parse a browser's user agent, in a function Node never
    // calls; left out, that require stays lazy and the bundle is 34 kB smaller.
    '--external',
    'bowser',
    '--license',
    'licenses.txt',
  ],
  { cwd: root, stdio: 'inherit' },
)
if (ncc.status !== 0) process.exit(ncc.status ?? 1)

// Every emitted .js (index.js and any chunk a dynamic import made), through its full map.
const sources = readdirSync(dist)
  .filter((file) => file.endsWith('.js'))
  .flatMap((file) => {
    const { sources } = JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8')) as SourceMapJson
    return sources.map((source) => resolve(dist, source))
  })
const licensesFile = join(dist, 'licenses.txt')
const licenses = completeLicenses(readFileSync(licensesFile, 'utf8'), sources)
writeFileSync(licensesFile, licenses.text)
if (licenses.added.length > 0) {
  console.log(`dist/licenses.txt: added ${licenses.added.join(', ')}, which ncc left out`)
}

// Every .js is minified and compressed (see minify.ts). index.js keeps its map, chained through
// terser and cut down to src/; a chunk's map is dropped, since it maps only dependencies.
for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
  const mapFile = join(dist, `${file}.map`)
  const keepMap = file === 'index.js'
  const minified = await minifyScript(
    readFileSync(join(dist, file), 'utf8'),
    file,
    keepMap ? readFileSync(mapFile, 'utf8') : undefined,
  )
  writeFileSync(join(dist, file), minified.code)
  if (minified.map !== undefined) {
    const map = JSON.parse(minified.map) as SourceMapJson
    const trimmed = trimSourceMap(map, (source) => source.startsWith('../src/'))
    writeFileSync(mapFile, JSON.stringify(trimmed))
  } else {
    rmSync(mapFile)
  }
  console.log(`dist/${file} minified${keepMap ? '; its map cut down to src/' : ''}`)
}

writeFileSync(join(root, SOURCES_HASH_FILE), `${sourcesHash(root)}\n`)
console.log(`${SOURCES_HASH_FILE} written`)
