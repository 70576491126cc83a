// The unit tests alone: those that import src/ and run in this process. Mutation testing uses
// them, since a test that runs the bundled dist/ or starts the emulator cannot see a mutant of
// src/. A new test file is a unit test unless its name matches one of these.
import base from './jest.config.js'

export default {
  ...base,
  // The stale-dist check is for the bundle tests; unit tests never load dist/ (and Stryker's
  // sandbox has none).
  globalSetup: undefined,
  testPathIgnorePatterns: [
    '/node_modules/',
    // run dist/index.js as a child process, against moto or the emulator
    '/__tests__/e2e-',
    '/__tests__/reliability-',
    '/__tests__/demo\\.test\\.ts$',
    // test the emulator in tools/, not src/
    '/__tests__/emulator',
    // check files and scripts, not code: workflows, README, docs, release script, src/ as text
    '/__tests__/workflows\\.test\\.ts$',
    '/__tests__/readme-examples\\.test\\.ts$',
    '/__tests__/docs\\.test\\.ts$',
    '/__tests__/release\\.test\\.ts$',
    '/__tests__/node-versions\\.test\\.ts$',
    '/__tests__/github-server\\.test\\.ts$',
  ],
}
