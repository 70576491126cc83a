// The inputs and outputs tables are generated from action.yml (npm run docs) into their page in
// docs/; this fails when someone edits one without the other, or the README stops leading to them.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { format, resolveConfig } from 'prettier'
import { TABLES_PAGE, withTables } from '../tools/docs.ts'

describe(TABLES_PAGE, () => {
  it('has the inputs and outputs tables of action.yml', async () => {
    const page = readFileSync(TABLES_PAGE, 'utf8')
    const options = { ...(await resolveConfig(TABLES_PAGE)), parser: 'markdown' }
    const expected = await format(withTables(page, readFileSync('action.yml', 'utf8')), options)
    expect(page).toBe(expected)
  })

  it('is where the README sends a reader for every input and output', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`](${TABLES_PAGE})`)
  })
})

describe('withTables', () => {
  it('names the page when the markers are missing', () => {
    expect(() => withTables('# no tables\n', 'inputs: {}\noutputs: {}\n')).toThrow(
      `${TABLES_PAGE} lacks the <!-- inputs:start --> … <!-- inputs:end --> markers`,
    )
  })
})

describe('README.md', () => {
  it('documents the commands to try the action', () => {
    const readme = readFileSync('README.md', 'utf8')
    expect(readme).toMatch(/npm ci/)
    expect(readme).toMatch(/npm test/)
    expect(readme).toMatch(/npm run demo/)
    expect(readme).toMatch(/npm run local -- repository=/)
  })
})
