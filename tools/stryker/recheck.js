// node tools/stryker/recheck.js REPORT.json [DIR]: applies each surviving mutant of a Stryker
// report by hand, one at a time, in the checkout DIR (default: this one; use a clean worktree,
// since src/ is rewritten while it runs), and runs the test files of the tests that cover it in
// a fresh jest process. Prints each mutant that a test then kills: Stryker's run reported some
// mutants as survivors that the tests do kill when the change is made by hand.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

const [reportFile, dirArg = '.'] = process.argv.slice(2)
const dir = resolve(dirArg)
const report = JSON.parse(readFileSync(reportFile, 'utf8'))
const testFileOf = new Map()
for (const [file, { tests }] of Object.entries(report.testFiles ?? {})) {
  for (const test of tests) testFileOf.set(test.id, basename(file))
}

/** The text with [start, end) (Stryker's 1-based lines, 1-based columns) replaced. */
function mutate(text, { start, end }, replacement) {
  const lines = text.split('\n')
  const offset = (at) =>
    lines.slice(0, at.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + at.column - 1
  return text.slice(0, offset(start)) + replacement + text.slice(offset(end))
}

const results = []
for (const [file, { mutants }] of Object.entries(report.files)) {
  const path = join(dir, file)
  const original = readFileSync(path, 'utf8')
  for (const mutant of mutants.filter((m) => m.status === 'Survived')) {
    const files = [...new Set((mutant.coveredBy ?? []).map((id) => testFileOf.get(id)))]
      .filter(Boolean)
      .map((name) => `__tests__/${name}`)
    if (files.length === 0) continue
    writeFileSync(path, mutate(original, mutant.location, mutant.replacement))
    try {
      const jest = spawnSync(
        join(dir, 'node_modules/.bin/jest'),
        ['-c', 'jest.unit.config.js', '--silent', ...files],
        {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
          },
        },
      )
      const killed = jest.status !== 0
      results.push({ id: mutant.id, file, line: mutant.location.start.line, killed })
      console.log(
        `${killed ? 'KILLED  ' : 'survives'} #${mutant.id} ${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement).slice(0, 60)} (${files.join(' ')})`,
      )
    } finally {
      writeFileSync(path, original)
    }
  }
}
const killed = results.filter((r) => r.killed).length
console.log(`${killed} of ${results.length} reported survivors are killed when applied by hand`)
