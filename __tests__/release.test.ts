// scripts/release.sh in a throw-away repository: it refuses every unsafe release and, for a safe
// one, tags vX.Y.Z without ever moving a version tag; the major tag moves only when asked
// (--major, once the release is published), both also on the remote with --push.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const SCRIPT = resolve('scripts/release.sh')

let repo: string
let remote: string

function sh(command: string, args: string[], cwd = repo) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

const git = (...args: string[]) => sh('git', args)
const release = (...args: string[]) => sh('bash', ['scripts/release.sh', ...args])
const commitOf = (ref: string, cwd = repo) =>
  sh('git', ['rev-parse', `${ref}^{commit}`], cwd).output.trim()

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text)
}

/** package.json at `version` whose build writes dist/index.js from dist-source.txt. */
function project(version: string, changelog: string): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: 'x',
      version,
      scripts: {
        build: "node -e \"require('fs').copyFileSync('dist-source.txt','dist/index.js')\"",
      },
    }),
    'CHANGELOG.md': `# Changelog\n\n## [Unreleased]\n\n${changelog}`,
  }
}

function commit(message: string): void {
  git('add', '-A')
  git('commit', '-q', '-m', message)
}

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'release-'))
  repo = join(dir, 'repo')
  remote = join(dir, 'remote.git')
  mkdirSync(join(repo, 'dist'), { recursive: true })
  mkdirSync(join(repo, 'scripts'))
  sh('git', ['init', '-q', '--bare', remote], dir)
  git('init', '-q', '-b', 'main')
  git('remote', 'add', 'origin', remote)
  copyFileSync(SCRIPT, join(repo, 'scripts/release.sh'))
  write({
    ...project('1.0.0', '## [1.0.0] - 2026-11-27\n\n### Added\n\n- Everything.\n'),
    'dist-source.txt': 'one',
    'dist/index.js': 'one',
  })
  commit('1.0.0')
})

describe('scripts/release.sh', () => {
  it('tags vX.Y.Z, moves the major tag only with --major, and again on the next release', () => {
    expect(release('1.0.0')).toMatchObject({ status: 0 })
    expect(commitOf('v1.0.0')).toBe(commitOf('HEAD'))
    expect(git('tag', '--list').output).toBe('v1.0.0\n')
    expect(release('--major', '1.0.0')).toMatchObject({ status: 0 })
    expect(commitOf('v1')).toBe(commitOf('HEAD'))

    write({
      ...project('1.1.0', '## [1.1.0]\n\n- More.\n\n## [1.0.0]\n\n- Everything.\n'),
      'dist-source.txt': 'two',
      'dist/index.js': 'two',
    })
    commit('1.1.0')
    expect(release('1.1.0', '--push')).toMatchObject({ status: 0 })
    expect(commitOf('v1.1.0', remote)).toBe(commitOf('HEAD'))
    // Until the release is published, v1 stays where it was, here and on the remote.
    expect(commitOf('v1')).toBe(commitOf('HEAD~1'))
    expect(sh('git', ['tag', '--list', 'v1'], remote).output).toBe('')
    expect(release('--major', '1.1.0', '--push')).toMatchObject({ status: 0 })
    expect(commitOf('v1')).toBe(commitOf('HEAD'))
    expect(commitOf('v1.0.0')).toBe(commitOf('HEAD~1'))
    expect(commitOf('v1', remote)).toBe(commitOf('HEAD'))
  })

  it('makes the first release: v1.0.0 and, once asked, v1, both new on the remote', () => {
    expect(sh('git', ['ls-remote', '--tags', remote]).output).toBe('')
    expect(release('1.0.0', '--push')).toMatchObject({ status: 0 })
    expect(commitOf('v1.0.0', remote)).toBe(commitOf('HEAD'))
    expect(sh('git', ['tag', '--list', 'v1'], remote).output).toBe('')
    const major = release('--major', '1.0.0', '--push')
    expect(major).toMatchObject({ status: 0 })
    expect(major.output).toContain('release: v1 → v1.0.0')
    expect(commitOf('v1', remote)).toBe(commitOf('HEAD'))
    // Annotated, as users' `git ls-remote … 'refs/tags/v1.0.0^{}'` expects.
    expect(git('cat-file', '-t', 'v1.0.0').output.trim()).toBe('tag')
    expect(git('cat-file', '-t', 'v1').output.trim()).toBe('tag')
  })

  it('leaves v1 where it is when the next major version is released', () => {
    release('1.0.0')
    release('--major', '1.0.0')
    write({
      ...project('2.0.0', '## [2.0.0]\n\n- Breaking.\n\n## [1.0.0]\n\n- Everything.\n'),
      'dist-source.txt': 'two',
      'dist/index.js': 'two',
    })
    commit('2.0.0')
    expect(release('2.0.0')).toMatchObject({ status: 0 })
    expect(release('--major', '2.0.0')).toMatchObject({ status: 0 })
    expect(commitOf('v2')).toBe(commitOf('HEAD'))
    expect(commitOf('v1')).toBe(commitOf('HEAD~1'))
  })

  it("accepts the tag-push run's detached HEAD on a commit of main, and refuses one off main", () => {
    git('push', '-q', 'origin', 'main')
    git('fetch', '-q', 'origin')
    git('checkout', '-q', '--detach', 'HEAD')
    expect(release('1.0.0')).toMatchObject({ status: 0 })

    git('tag', '-d', 'v1.0.0')
    write({ 'dist-source.txt': 'elsewhere', 'dist/index.js': 'elsewhere' })
    commit('not on main')
    const result = release('1.0.0')
    expect(result).toMatchObject({ status: 1 })
    expect(result.output).toMatch(/HEAD is on 'HEAD', not main: release from main/)
    expect(git('tag', '--list').output).toBe('')
  })

  it('never moves a version tag on the remote', () => {
    expect(release('1.0.0', '--push')).toMatchObject({ status: 0 })
    // Someone else's v1.0.1 on the remote, on another commit, must stop a v1.0.1 from here.
    write({
      ...project('1.0.1', '## [1.0.1]\n\n- Fix.\n'),
      'dist-source.txt': 'b',
      'dist/index.js': 'b',
    })
    commit('1.0.1 here')
    const elsewhere = sh('git', ['commit-tree', '-m', 'elsewhere', `${commitOf('HEAD')}^{tree}`])
    git('push', '-q', 'origin', `${elsewhere.output.trim()}:refs/tags/v1.0.1`)
    const result = release('1.0.1', '--push')
    expect(result.status).not.toBe(0)
    expect(commitOf('v1.0.1', remote)).toBe(elsewhere.output.trim())
  })

  it('refuses --major for a version that is not tagged', () => {
    const result = release('--major', '1.0.0')
    expect(result).toMatchObject({ status: 1 })
    expect(result.output).toMatch(/v1\.0\.0 does not exist: release it first/)
    expect(git('tag', '--list').output).toBe('')
  })

  it('starts the release notes with the line that pins the release by its commit', () => {
    release('1.0.0')
    expect(release('--notes', '1.0.0', 'octo/ecr-image-scan').output).toBe(
      `Pin this release by its commit: \`uses: octo/ecr-image-scan@${commitOf('v1.0.0')} # v1.0.0\`\n\n### Added\n\n- Everything.\n`,
    )
  })

  it('prints the CHANGELOG section for the release notes', () => {
    expect(release('--notes', '1.0.0').output).toBe('### Added\n\n- Everything.\n')
  })

  it.each([
    ['a version that is not X.Y.Z', () => {}, ['v1.0.0'], /usage/],
    ['a dirty tree', () => write({ 'notes.txt': 'wip' }), ['1.0.0'], /not clean/],
    [
      'a branch other than main',
      () => git('checkout', '-q', '-b', 'feature'),
      ['1.0.0'],
      /not main/,
    ],
    ['a version package.json does not have', () => {}, ['1.0.1'], /package\.json says 1\.0\.0/],
    [
      'a version without CHANGELOG notes',
      () => {
        write(project('1.0.0', '- nothing released yet\n'))
        commit('no notes')
      },
      ['1.0.0'],
      /CHANGELOG\.md has no '## \[1\.0\.0\]'/,
    ],
    [
      'a stale dist/',
      () => {
        write({ 'dist-source.txt': 'changed' })
        commit('source changed, dist not rebuilt')
      },
      ['1.0.0'],
      /dist\/ is stale/,
    ],
  ])('refuses %s and tags nothing', (_, arrange, args, message) => {
    arrange()
    const result = release(...args)
    expect(result.status).toBe(1)
    expect(result.output).toMatch(message)
    expect(git('tag', '--list').output).toBe('')
  })

  it.each([[['1.0.0']], [['--major', '1.0.0']]])(
    'refuses to move the major tag back below a newer release (%j)',
    (args) => {
      git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0', 'HEAD')
      git('tag', '-a', 'v1.2.0', '-m', 'v1.2.0', 'HEAD')
      git('tag', '-a', 'v1', '-m', 'v1', 'v1.2.0^{commit}')
      const before = git('rev-parse', 'v1').output
      const result = release(...args)
      expect(result).toMatchObject({ status: 1 })
      expect(result.output).toMatch(/v1\.2\.0 is newer than v1\.0\.0/)
      expect(git('rev-parse', 'v1').output).toBe(before)
    },
  )

  it('accepts a tag that already points at HEAD (the tag-push workflow)', () => {
    git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0')
    expect(release('1.0.0')).toMatchObject({ status: 0 })
    expect(release('--major', '1.0.0')).toMatchObject({ status: 0 })
    expect(commitOf('v1')).toBe(commitOf('HEAD'))
  })

  it('refuses a tag that exists on another commit', () => {
    git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0')
    write({ 'dist-source.txt': 'two', 'dist/index.js': 'two' })
    commit('later')
    expect(release('1.0.0').output).toMatch(/v1\.0\.0 already exists on another commit/)
  })
})

// The repository itself: its version is one the script can release.
describe("this repository's version", () => {
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version

  it('has a dated CHANGELOG section, right under the Unreleased one', () => {
    const changelog = readFileSync('CHANGELOG.md', 'utf8')
    const headings = [...changelog.matchAll(/^## \[([^\]]+)\](.*)$/gm)].map(
      (m) => `${m[1] ?? ''}${m[2] ?? ''}`,
    )
    expect(headings[0]).toBe('Unreleased')
    expect(headings[1]).toMatch(
      new RegExp(`^${version.replace(/\./g, '\\.')} - \\d{4}-\\d{2}-\\d{2}$`),
    )
  })

  it('gives release notes: its CHANGELOG section, and no other', () => {
    const notes = sh('bash', [SCRIPT, '--notes', version], resolve('.')).output
    expect(notes).toMatch(/^### Added$/m)
    expect(notes).not.toMatch(/^## /m)
  })
})
