// action.yml is the public contract: its names must match the code's, and every input says
// what it does and its default.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/kernel/names.js'
import { ACTION_VERSION } from '../src/kernel/version.js'

interface ActionYml {
  runs: { using: string; main: string }
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('describes every input and output', () => {
    const entries = [
      ...Object.entries(action.inputs).map(([name, entry]) => [`input ${name}`, entry] as const),
      ...Object.entries(action.outputs).map(([name, entry]) => [`output ${name}`, entry] as const),
    ]
    const undescribed = entries.filter(([, entry]) => !(entry.description?.length > 10))
    expect(undescribed.map(([name]) => name)).toEqual([])
  })

  it('runs the committed bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('keeps the version sent to AWS equal to package.json', () => {
    expect(ACTION_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version)
  })
})
