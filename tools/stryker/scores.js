// node tools/stryker/scores.js [REPORT.json] [--all]: the scores of a Stryker JSON report (the
// mutation-testing-report schema: files[*].mutants[*].status) as the Markdown tables
// CONTRIBUTING.md shows: the total, then each file below 95 % (every file with --all), and the
// survivors one per line. Works on a partial report too: a stopped run's incremental file holds
// only the mutants it reached, so the total counts those.
import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const all = args.includes('--all')
const reportFile = args.find((arg) => !arg.startsWith('--')) ?? 'reports/mutation/mutation.json'
const report = JSON.parse(readFileSync(reportFile, 'utf8'))

const STATUSES = [
  'Killed',
  'Timeout',
  'Survived',
  'NoCoverage',
  'CompileError',
  'RuntimeError',
  'Ignored',
  'Pending',
]

/** Counts by status, and Stryker's score: killed and timed out, of those and the survived and uncovered. */
function tally(mutants) {
  const count = Object.fromEntries(STATUSES.map((status) => [status, 0]))
  for (const mutant of mutants) count[mutant.status] = (count[mutant.status] ?? 0) + 1
  const detected = count.Killed + count.Timeout
  const valid = detected + count.Survived + count.NoCoverage
  return { count, detected, valid, score: valid === 0 ? undefined : (100 * detected) / valid }
}

const percent = (value) =>
  value === undefined ? 'n/a' : `${value === 100 ? 100 : value.toFixed(1)} %`
const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => ({ file: file.replace(/^src\//, ''), ...tally(mutants) }))
  .sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || a.file.localeCompare(b.file))

const total = tally(Object.values(report.files).flatMap(({ mutants }) => mutants))
const killedOnly = total.valid === 0 ? undefined : (100 * total.count.Killed) / total.valid
console.log(
  `${Object.keys(report.files).length} files; score ${percent(total.score)} ` +
    `(${total.count.Killed} killed, ${total.count.Timeout} timed out, ${total.count.Survived} survived, ` +
    `${total.count.NoCoverage} without coverage); ${percent(killedOnly)} counting only killed; ` +
    `${total.count.CompileError} did not type-check, ${total.count.Ignored} ignored (static), ` +
    `${total.count.RuntimeError} errored, ${total.count.Pending} pending`,
)
console.log()
console.log('| file | score | killed | timeout | survived | no coverage |')
console.log('| ---- | ----- | ------ | ------- | -------- | ----------- |')
for (const row of rows.filter((row) => all || (row.score !== undefined && row.score < 95))) {
  const { Killed, Timeout, Survived, NoCoverage } = row.count
  console.log(
    `| ${row.file} | ${percent(row.score)} | ${Killed} | ${Timeout} | ${Survived} | ${NoCoverage} |`,
  )
}
console.log()
for (const [file, { mutants, source }] of Object.entries(report.files)) {
  for (const mutant of mutants.filter(
    (m) => m.status === 'Survived' || m.status === 'NoCoverage',
  )) {
    const { line, column } = mutant.location.start
    const original = source?.split('\n')[line - 1]?.trim().slice(0, 90)
    console.log(
      `${mutant.status === 'Survived' ? 'survived' : 'uncovered'} ${file}:${line}:${column} ` +
        `${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? '').slice(0, 70)}   | ${original ?? ''}`,
    )
  }
}
