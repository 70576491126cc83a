// Writes the inputs and outputs tables of docs/inputs-and-outputs.md from action.yml, so the two
// never disagree (__tests__/docs.test.ts fails when they do). Run: npm run docs
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

/** The page that holds the generated tables, relative to the repository root. */
export const TABLES_PAGE = 'docs/inputs-and-outputs.md'

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

export function tables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionYml
  const inputs = [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(
      ([name, input]) =>
        `| \`${name}\` | ${input.default === undefined ? '' : `\`${input.default}\``} | ${cell(input.description)} |`,
    ),
  ].join('\n')
  const outputs = [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
    ),
  ].join('\n')
  return { inputs, outputs }
}

/** `page` with the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced. */
export function withTables(page: string, actionYml: string): string {
  let text = page
  for (const [name, table] of Object.entries(tables(actionYml))) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`${TABLES_PAGE} lacks the ${start} … ${end} markers`)
    text = `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`
  }
  return text
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const page = readFileSync(TABLES_PAGE, 'utf8')
  writeFileSync(TABLES_PAGE, withTables(page, readFileSync('action.yml', 'utf8')))
  console.log(`${TABLES_PAGE}: tables written from action.yml`)
}
