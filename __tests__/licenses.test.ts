// The build's licenses check: every package whose code any emitted chunk carries gets an entry in
// dist/licenses.txt, taken from its own package.json and license file when ncc left it out.
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { completeLicenses, packageDir } from '../tools/licenses.ts'

/** node_modules with a, @scope/b, a's own copy of c, and d without a license file. */
function packages(): string {
  const root = mkdtempSync(join(tmpdir(), 'licenses-'))
  const add = (dir: string, name: string, files: Record<string, string>) => {
    mkdirSync(join(root, dir), { recursive: true })
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name, license: 'MIT' }))
    for (const [file, text] of Object.entries(files)) writeFileSync(join(root, dir, file), text)
  }
  add('node_modules/a', 'a', { LICENSE: 'a license\n' })
  add('node_modules/@scope/b', '@scope/b', { 'LICENSE.md': 'b license' })
  add('node_modules/a/node_modules/c', 'c', { COPYING: 'c license' })
  add('node_modules/d', 'd', { 'README.md': 'no license here' })
  return root
}

describe('packageDir', () => {
  it('is the innermost node_modules/NAME of a bundled file, scoped or not', () => {
    expect(packageDir('/r/node_modules/a/lib/x.js')).toBe('/r/node_modules/a')
    expect(packageDir('/r/node_modules/@s/b/dist/x.js')).toBe('/r/node_modules/@s/b')
    expect(packageDir('/r/node_modules/a/node_modules/c/x.js')).toBe(
      '/r/node_modules/a/node_modules/c',
    )
    expect(packageDir('/r/src/main.ts')).toBeUndefined()
    expect(packageDir('/r/external node-commonjs "fs"')).toBeUndefined()
  })
})

describe('completeLicenses', () => {
  it('adds, in ncc’s form, each bundled package that licenses.txt does not name', () => {
    const root = packages()
    const sources = [
      join(root, 'src/main.ts'),
      join(root, 'node_modules/a/index.js'),
      join(root, 'node_modules/a/lib/more.js'),
      join(root, 'node_modules/@scope/b/index.js'),
      join(root, 'node_modules/a/node_modules/c/index.js'),
    ]
    const listed = 'a\nMIT\na license\n'
    const { text, added } = completeLicenses(listed, sources)
    expect(added).toEqual(['@scope/b', 'c'])
    expect(text).toBe('a\nMIT\na license\n\n@scope/b\nMIT\nb license\n\nc\nMIT\nc license\n')
    expect(completeLicenses(text, sources)).toEqual({ text, added: [] })
  })

  it('names a bundled package without a license file with its license alone, as ncc does', () => {
    const root = packages()
    expect(completeLicenses('', [join(root, 'node_modules/d/index.js')])).toEqual({
      text: 'd\nMIT\n',
      added: ['d'],
    })
  })
})
