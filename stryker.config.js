// Mutation testing (`npm run mutate`): how many deliberate bugs in src/ the unit tests catch.
// A measurement, not a gate: CI does not run it. See "Mutation testing" in CONTRIBUTING.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // index.ts only calls run().
  mutate: ['src/**/*.ts', '!src/index.ts'],
  // Stryker's jest runner, running only the test files that cover each mutant (see the file).
  testRunner: 'jest-by-file',
  appendPlugins: ['./tools/stryker/jest-by-file.js'],
  jest: { configFile: 'jest.unit.config.js', enableFindRelatedTests: true },
  // ts-jest in ESM mode, as `npm test` runs it
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  coverageAnalysis: 'perTest',
  // Mutants that do not type-check are dropped before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  // A static mutant (module-level code, run once at import) needs every related test file run
  // without coverage filtering: on 2 cores that is half of the whole run for a tenth of the
  // mutants. `npm run mutate -- --ignoreStatic false` includes them.
  ignoreStatic: true,
  // Reuse the previous results where neither the code nor the tests covering it changed;
  // `npm run mutate -- --force` runs everything again.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The machine is shared: one test runner at a time.
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // The JSON report names the tests that ran for each mutant; the console lists only survivors.
  clearTextReporter: { reportScoreTable: true, allowEmojis: false, logTests: false },
  ignorePatterns: ['dist', 'coverage', 'demo-output', 'reports'],
  tempDirName: '.stryker-tmp',
}
