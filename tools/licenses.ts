// dist/licenses.txt must name every package whose code dist/ carries. ncc's --license covers the
// entry chunk only (with split chunks each chunk's list overwrites the file), so the build reads
// the source map of every .js it emitted and adds, in ncc's form, any package the file lacks.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** The package directory a bundled file came from (the innermost node_modules/NAME), if any. */
export function packageDir(source: string): string | undefined {
  return /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source.replace(/\\/g, '/'))?.[1]
}

interface BundledPackage {
  name: string
  dir: string
}

/** The packages behind absolute source paths, one per name, in the order first met. */
export function bundledPackages(sources: string[]): BundledPackage[] {
  const byName = new Map<string, BundledPackage>()
  for (const dir of new Set(sources.map(packageDir).filter((dir) => dir !== undefined))) {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }
    if (!byName.has(name)) byName.set(name, { name, dir })
  }
  return [...byName.values()]
}

/**
 * A package's entry as ncc writes them: name, license, then the text of its license file, or
 * nothing more when the package ships none (as some @aws-sdk packages do; ncc lists them so).
 */
export function licenseEntry({ name, dir }: BundledPackage): string {
  const { license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    license?: string
  }
  const file = readdirSync(dir).find((entry) => /^(?:licen[cs]e|copying)(?:[.-]|$)/i.test(entry))
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : ''
  return `${name}\n${license ?? 'UNKNOWN'}\n${text}\n`
}

/**
 * licenses.txt as ncc wrote it, with an entry added for each bundled package it does not name
 * (ncc starts each entry with the package name on a line of its own).
 */
export function completeLicenses(
  licenses: string,
  sources: string[],
): { text: string; added: string[] } {
  const lines = new Set(licenses.split('\n'))
  const missing = bundledPackages(sources).filter(({ name }) => !lines.has(name))
  const entries = missing.map(licenseEntry)
  const text =
    entries.length > 0
      ? `${[licenses, ...entries]
          .map((part) => part.trimEnd())
          .filter(Boolean)
          .join('\n\n')}\n`
      : licenses
  return { text, added: missing.map(({ name }) => name) }
}
