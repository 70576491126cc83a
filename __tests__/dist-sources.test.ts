// The record of what dist/ was built from, and the check before a test run that uses dist/.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  SOURCES_HASH_FILE,
  bundleTestFiles,
  bundleTestsSelected,
  checkDistBeforeTests as checkDist,
  sourcesHash,
  staleDist,
} from '../tools/dist-sources.ts'

let root: string

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

/** What `npm run build` records, for the sources as they are now. */
function recordBuild(): void {
  write({ [SOURCES_HASH_FILE]: `${sourcesHash(root)}\n` })
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ecr-image-scan-dist-'))
  write({
    'src/index.ts': "import './main.js'\n",
    'src/ecr/client.ts': 'export const client = 1\n',
    'package-lock.json': '{}\n',
    'tsconfig.json': '{}\n',
    '__tests__/unit.test.ts': "import { x } from '../src/index.js'\n",
    '__tests__/bundle.test.ts': "import { runAction } from './helpers/run-action.js'\n",
    'README.md': 'words\n',
  })
})

afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('sourcesHash', () => {
  it.each([
    ['a file of src/ changes', { 'src/ecr/client.ts': 'export const client = 2\n' }],
    ['a file is added to src/', { 'src/new.ts': '' }],
    ['package-lock.json changes', { 'package-lock.json': '{"lockfileVersion":3}\n' }],
    ['tsconfig.json changes', { 'tsconfig.json': '{"strict":true}\n' }],
    ['the build script changes', { 'tools/build.ts': '// another build\n' }],
  ])('changes when %s', (_what, files) => {
    const before = sourcesHash(root)
    write(files)
    expect(sourcesHash(root)).not.toBe(before)
  })

  it.each([
    ['a test changes', { '__tests__/unit.test.ts': '// other\n' }],
    ['the README changes', { 'README.md': 'other words\n' }],
    ['dist/ changes', { 'dist/index.js': 'bundle\n', [SOURCES_HASH_FILE]: 'x\n' }],
    ['line endings are CRLF', { 'src/index.ts': "import './main.js'\r\n" }],
  ])('stays when %s', (_what, files) => {
    const before = sourcesHash(root)
    write(files)
    expect(sourcesHash(root)).toBe(before)
  })

  it('tells a file moved from one place to another apart', () => {
    const before = sourcesHash(root)
    rmSync(join(root, 'src/ecr/client.ts'))
    write({ 'src/client.ts': 'export const client = 1\n' })
    expect(sourcesHash(root)).not.toBe(before)
  })
})

describe('staleDist', () => {
  it('passes a dist/ built from the sources as they are', () => {
    recordBuild()
    expect(staleDist(root)).toBeUndefined()
  })

  it('names the command when src/ changed after the build', () => {
    recordBuild()
    write({ 'src/ecr/client.ts': 'export const client = 2\n' })
    expect(staleDist(root)).toMatch(/^dist\/ is older than src\/: run npm run build/)
  })

  it('names the command when dist/ has no record of its sources', () => {
    expect(staleDist(root)).toMatch(/run npm run build/)
  })
})

describe('the check before the tests', () => {
  const selecting = (...patterns: string[]) => ({
    rootDir: root,
    testPathPatterns: {
      toExecutor: () => ({
        isMatch: (path: string) =>
          patterns.length === 0 || patterns.some((pattern) => new RegExp(pattern).test(path)),
      }),
    },
  })

  it('knows the tests that run dist/ by what they import', () => {
    expect(bundleTestsSelected(root, (path) => path.endsWith('bundle.test.ts'))).toBe(true)
    expect(bundleTestsSelected(root, (path) => path.endsWith('unit.test.ts'))).toBe(false)
  })

  it('stops a run of every test when dist/ is stale, with the command to run', () => {
    recordBuild()
    write({ 'src/index.ts': "import './other.js'\n" })
    expect(() => checkDist(selecting())).toThrow('dist/ is older than src/: run npm run build')
    expect(() => checkDist(selecting('__tests__/bundle'))).toThrow(/npm run build/)
  })

  it('lets a run through when dist/ is current, or when none of its tests runs dist/', () => {
    recordBuild()
    expect(() => checkDist(selecting())).not.toThrow()
    write({ 'src/index.ts': "import './other.js'\n" })
    expect(() => checkDist(selecting('__tests__/unit'))).not.toThrow()
  })
})

describe("this project's own tests", () => {
  const project = fileURLToPath(new URL('..', import.meta.url))
  const bundleTests = bundleTestFiles(project).map((file) => basename(file))

  it('count the tests that run dist/, and not a unit test that reads action.yml', () => {
    expect(bundleTests).toEqual(
      expect.arrayContaining(['demo.test.ts', 'e2e-local.test.ts', 'e2e-moto.test.ts']),
    )
    // run() tested on src/ with action.yml's defaults: a stale dist/ must not stop it.
    expect(bundleTests).not.toContain('main-run.test.ts')
  })
})
