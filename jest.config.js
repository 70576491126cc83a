// ESM TypeScript through ts-jest; relative imports are written with `.js` (NodeNext) and mapped back.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Stops a run that would test a dist/ older than src/ (tools/dist-sources.ts).
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.js',
  // Stryker's sandbox (npm run mutate) is a copy of the project: not part of it.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  // The bundle tests mostly wait (on scans, polls and timeouts in real time): on the 2-core
  // machines the suite used 29 % of the CPU with two workers, and four halve its wall time.
  maxWorkers: 4,
  testTimeout: 30000,
}
