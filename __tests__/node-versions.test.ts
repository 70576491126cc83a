// The Node versions the project states are the true ones: the action runs on node24, development
// needs what every locked development tool declares (package.json's engines), .node-version names
// the runtime, and the npm scripts run on the Node 24 of the `node` development dependency.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseDocument } from 'yaml'

interface Range {
  test(version: string): boolean
}
// semver comes with the development tools (it is how npm itself reads engines); it has no types here.
const semver = createRequire(import.meta.url)('semver') as { Range: new (range: string) => Range }

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string }
  devDependencies: Record<string, string>
}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: Record<string, string> | string[] }>
}

/** Every Node version from 16.0.0 to 30.40.9, to compare ranges over. */
const VERSIONS = Array.from({ length: 15 }, (_, major) =>
  Array.from({ length: 41 }, (_, minor) =>
    Array.from({ length: 10 }, (_, patch) => `${major + 16}.${minor}.${patch}`),
  ),
).flat(2)

/** The distinct Node ranges the locked packages declare, with a package that declares each. */
function lockedRanges(): Map<string, string> {
  const ranges = new Map<string, string>()
  for (const [path, entry] of Object.entries(lock.packages)) {
    const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node
    if (path !== '' && node && !ranges.has(node)) ranges.set(node, path)
  }
  return ranges
}

describe('Node versions', () => {
  it("package.json's engines admits exactly the versions every locked package accepts", () => {
    const engines = new semver.Range(pkg.engines.node)
    const locked = [...lockedRanges()].map(([range, path]) => ({
      path,
      range: new semver.Range(range),
    }))
    expect(locked.length).toBeGreaterThan(10)
    const everyTool = (version: string) => locked.every(({ range }) => range.test(version))
    // Wider would promise a version some tool refuses; narrower, refuse one they all take.
    const disagree = VERSIONS.filter((version) => engines.test(version) !== everyTool(version))
    expect(disagree.slice(0, 5)).toEqual([])
    expect(engines.test('20.19.0')).toBe(false)
  })

  it('.node-version is the major version the action runs on and the npm scripts use', () => {
    const nodeVersion = readFileSync('.node-version', 'utf8').trim()
    const runsOn = (
      parseDocument(readFileSync('action.yml', 'utf8')).toJS() as {
        runs: { using: string }
      }
    ).runs.using
    expect(runsOn).toBe(`node${nodeVersion}`)
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^\\^${nodeVersion}\\.`))
    const installed = lock.packages['node_modules/node']?.version ?? ''
    expect(installed.split('.')[0]).toBe(nodeVersion)
    expect(new semver.Range(pkg.engines.node).test(installed)).toBe(true)
  })

  it('is what CI sets up, from .node-version', () => {
    const dir = '.github/workflows'
    const setups = readdirSync(dir).flatMap((file) => {
      const workflow = parseDocument(readFileSync(`${dir}/${file}`, 'utf8')).toJS() as {
        jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>
      }
      return Object.values(workflow.jobs)
        .flatMap((job) => job.steps ?? [])
        .filter((step) => step.uses?.startsWith('actions/setup-node@'))
        .map((step) => `${file}: ${JSON.stringify(step.with)}`)
    })
    expect(setups.length).toBeGreaterThan(0)
    expect(
      setups.filter(
        (setup) => !setup.endsWith('{"node-version-file":".node-version","cache":"npm"}'),
      ),
    ).toEqual([])
  })
})
