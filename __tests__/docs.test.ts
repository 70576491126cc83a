// README's inputs and outputs tables are generated from action.yml (npm run docs); this fails
// when someone edits one without the other.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { format, resolveConfig } from 'prettier'
import { withTables } from '../tools/docs.ts'

describe('README.md', () => {
  it('has the inputs and outputs tables of action.yml', async () => {
    const readme = readFileSync('README.md', 'utf8')
    const options = { ...(await resolveConfig('README.md')), parser: 'markdown' }
    const expected = await format(withTables(readme, readFileSync('action.yml', 'utf8')), options)
    expect(readme).toBe(expected)
  })

  it('documents the Quick start commands', () => {
    const readme = readFileSync('README.md', 'utf8')
    expect(readme).toMatch(/npm ci/)
    expect(readme).toMatch(/npm test/)
    expect(readme).toMatch(/npm run demo/)
    expect(readme).toMatch(/npm run local -- repository=/)
  })
})
