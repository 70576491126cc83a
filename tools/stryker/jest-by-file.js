// A Stryker test runner: Stryker's own jest runner, except that each mutant runs only the test
// files of the tests that cover it. Stryker's runner passes jest those tests' names and the
// mutated file with --findRelatedTests, so jest loads every test file that imports the file,
// however indirectly (for src/kernel/model.ts nearly all of them), to run a few tests: here that was
// about 6 s a mutant. The files come from the dry run, which reports each test's file, and are
// run one at a time, most covering tests first, until one kills the mutant.
import { URL } from 'node:url'
import { commonTokens, declareFactoryPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin'

const { jestTestRunnerFactory } = await import(
  new URL('jest-test-runner.js', import.meta.resolve('@stryker-mutator/jest-runner')).href
)

jestByFileFactory.inject = tokens(commonTokens.injector)
function jestByFileFactory(injector) {
  const runner = injector.injectFunction(jestTestRunnerFactory)
  /** Test id (jest's full name) → the files with a test of that name. */
  const filesOf = new Map()
  /** The test files for the mutant being run; undefined: Stryker's own choice. */
  let testFiles
  const run = runner.run.bind(runner)
  runner.run = (settings) => run(testFiles ? { ...settings, testFiles } : settings)
  return {
    init: () => runner.init(),
    capabilities: () => runner.capabilities(),
    dispose: () => runner.dispose?.(),
    async dryRun(options) {
      const result = await runner.dryRun(options)
      for (const test of result.tests ?? []) {
        if (!test.fileName) continue
        if (!filesOf.has(test.id)) filesOf.set(test.id, new Set())
        filesOf.get(test.id).add(test.fileName)
      }
      return result
    },
    async mutantRun(options) {
      // Files by how many of the covering tests they hold, most first: the likeliest to kill.
      const counts = new Map()
      for (const id of options.testFilter ?? []) {
        for (const file of filesOf.get(id) ?? []) counts.set(file, (counts.get(file) ?? 0) + 1)
      }
      const files = [...counts].sort((a, b) => b[1] - a[1]).map(([file]) => file)
      if (!options.testFilter || files.length === 0) return runner.mutantRun(options)
      // Jest cannot bail programmatically; file by file, the first kill ends the run.
      const groups = options.disableBail ? [files] : files.map((file) => [file])
      let survived = 0
      let result
      try {
        for (const group of groups) {
          testFiles = group
          result = await runner.mutantRun(options)
          if (result.status !== 'survived') return result
          survived += result.nrOfTests
        }
      } finally {
        testFiles = undefined
      }
      return { ...result, nrOfTests: survived }
    },
  }
}

export const strykerPlugins = [
  declareFactoryPlugin(PluginKind.TestRunner, 'jest-by-file', jestByFileFactory),
]
