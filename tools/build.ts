// npm run build: bundles src/ into dist/ with ncc, completes licenses.txt (see licenses.ts),
// cuts the source map down to src/ (see source-map.ts), and records the hash of the sources the
// bundle came from (see dist-sources.ts).
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { minify } from 'terser'
import { SOURCES_HASH_FILE, sourcesHash } from './dist-sources.ts'
import { completeLicenses } from './licenses.ts'
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
    '--minify',
    '--source-map',
    // The action maps its own stacks (src/stack.ts); source-map-support would add 41 kB.
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

// ncc minifies index.js only; a chunk (the code behind a dynamic import) is minified here the way
// ncc minifies index.js. Its map is dropped: it maps only dependencies, which the trimmed map of
// index.js leaves out too.
for (const chunk of readdirSync(dist).filter((file) => /^\d+\.index\.js$/.test(file))) {
  const { code } = await minify(readFileSync(join(dist, chunk), 'utf8'), {
    module: true,
    compress: false,
    mangle: { keep_classnames: true, keep_fnames: true },
  })
  if (code === undefined) throw new Error(`terser returned no code for dist/${chunk}`)
  writeFileSync(join(dist, chunk), code)
  rmSync(join(dist, `${chunk}.map`))
  console.log(`dist/${chunk} minified`)
}

const mapFile = join(dist, 'index.js.map')
const map = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapJson
writeFileSync(mapFile, JSON.stringify(trimSourceMap(map, (source) => source.startsWith('../src/'))))
writeFileSync(join(root, SOURCES_HASH_FILE), `${sourcesHash(root)}\n`)
console.log(`dist/index.js.map cut down to src/; ${SOURCES_HASH_FILE} written`)
