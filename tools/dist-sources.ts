// What dist/ was built from: `npm run build` writes a hash of the sources into dist/, and the test
// run compares it with the sources as they are now, so nobody tests a stale bundle unknowingly.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The file in dist/ that records the hash of the sources it was built from. */
export const SOURCES_HASH_FILE = 'dist/sources.sha256'

/** What shapes the bundle: the code, the locked dependencies, the compiler and build settings. */
export const BUILD_INPUTS = [
  'src',
  'package-lock.json',
  'tsconfig.json',
  'tools/build.ts',
  'tools/licenses.ts',
  'tools/source-map.ts',
]

/**
 * SHA-256 over the path and text of every file of BUILD_INPUTS under `root`, in a fixed order.
 * Line endings count as LF, so a checkout that converts them does not look changed.
 */
export function sourcesHash(root: string): string {
  const hash = createHash('sha256')
  for (const file of inputFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8').replace(/\r\n/g, '\n')
    hash.update(`${file}\0${text.length}\0${text}\0`)
  }
  return hash.digest('hex')
}

function inputFiles(root: string): string[] {
  const files: string[] = []
  for (const input of BUILD_INPUTS) {
    const path = join(root, input)
    if (!existsSync(path)) continue
    if (!statSync(path).isDirectory()) {
      files.push(input)
      continue
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      files.push(relative(root, join(entry.parentPath, entry.name)).replace(/\\/g, '/'))
    }
  }
  return files.sort()
}

/**
 * Why dist/ under `root` does not match its sources, with the command that fixes it; undefined
 * when it matches.
 */
export function staleDist(root: string): string | undefined {
  const hashFile = join(root, SOURCES_HASH_FILE)
  if (!existsSync(hashFile)) {
    return `dist/ has no record of its sources (${SOURCES_HASH_FILE}): run npm run build`
  }
  const built = readFileSync(hashFile, 'utf8').trim()
  if (built !== sourcesHash(root)) {
    return 'dist/ is older than src/: run npm run build (the bundle tests run dist/index.js)'
  }
  return undefined
}

/** An import of the runner emulation (tools/runner.ts), directly or through a tool that uses it. */
const RUNS_DIST =
  /^import [^'"]*?from '[^']*(?:helpers\/run-(?:action|tool)|tools\/(?:runner|demo|local))(?:\.[jt]s)?'/m

/** Test files that run dist/: those that import the runner emulation. */
export function bundleTestFiles(root: string): string[] {
  const dir = join(root, '__tests__')
  return readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(dir, name))
    .filter((file) => RUNS_DIST.test(readFileSync(file, 'utf8')))
}

/** Whether the tests `selected` picks (a jest path filter; all when none was given) include a bundle test. */
export function bundleTestsSelected(root: string, selected: (path: string) => boolean): boolean {
  return bundleTestFiles(root).some(selected)
}

/** What jest's global setup receives, as far as the check reads it. */
export interface TestRunConfig {
  rootDir: string
  testPathPatterns?: {
    toExecutor(options: { rootDir: string }): { isMatch(path: string): boolean }
  }
}

/**
 * Jest's global setup: throws the reason and the command to run when the run includes a test
 * of dist/ and dist/ is stale. A run of unit tests alone goes on: they never load dist/.
 */
export function checkDistBeforeTests(config: TestRunConfig): void {
  const matches = config.testPathPatterns?.toExecutor({ rootDir: config.rootDir })
  if (!bundleTestsSelected(config.rootDir, (path) => matches?.isMatch(path) ?? true)) return
  const stale = staleDist(config.rootDir)
  if (stale) {
    const error = new Error(stale)
    error.stack = stale // where it was thrown is of no use to the reader
    throw error
  }
}
