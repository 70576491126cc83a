// The action's public names, spelled once: a renamed input is a one-line change and a typo a
// compile error. They must match action.yml (a test checks).

export const Inputs = {
  repository: 'repository',
  imageTag: 'image-tag',
  imageDigest: 'image-digest',
  image: 'image',
  registryId: 'registry-id',
  region: 'region',
  scanType: 'scan-type',
  onLimitExceeded: 'on-limit-exceeded',
  wait: 'wait',
  waitTimeout: 'wait-timeout',
  failOnSeverity: 'fail-on-severity',
  onScanFailure: 'on-scan-failure',
  platforms: 'platforms',
  concurrency: 'concurrency',
  requestsPerSecond: 'requests-per-second',
  // Findings people can act on.
  ignore: 'ignore',
  ignoreFile: 'ignore-file',
  onlyFixable: 'only-fixable',
  sarifFile: 'sarif-file',
  dockerfile: 'dockerfile',
  annotations: 'annotations',
  commentOnPr: 'comment-on-pr',
  githubToken: 'github-token',
  // Gate on what this push changes.
  compareTo: 'compare-to',
  onlyNew: 'only-new',
  failOnExploitable: 'fail-on-exploitable',
  // Gate on what attackers use: CISA KEV and EPSS.
  failOnKev: 'fail-on-kev',
  failOnEpss: 'fail-on-epss',
  exploitSources: 'exploit-sources',
  kevUrl: 'kev-url',
  epssUrl: 'epss-url',
  // Decisions others published about the image.
  vex: 'vex',
  // Watch what is deployed.
  pulledWithin: 'pulled-within',
} as const

export const Outputs = {
  // The step's verdict, for a later job to gate on.
  verdict: 'verdict',
  scanStatus: 'scan-status',
  scanStatusDescription: 'scan-status-description',
  scanStarted: 'scan-started',
  limitExceeded: 'limit-exceeded',
  scanType: 'scan-type',
  registryId: 'registry-id',
  repository: 'repository',
  imageTag: 'image-tag',
  imageDigest: 'image-digest',
  findingsTotal: 'findings-total',
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'informational',
  undefined: 'undefined',
  severityCounts: 'severity-counts',
  thresholdExceeded: 'threshold-exceeded',
  consoleUrl: 'console-url',
  results: 'results',
  resultsForm: 'results-form',
  // Findings people can act on.
  ignored: 'ignored',
  findingsFile: 'findings-file',
  sarifFile: 'sarif-file',
  // Gate on what this push changes.
  newFindings: 'new-findings',
  fixedFindings: 'fixed-findings',
  baselineDigest: 'baseline-digest',
  exploitable: 'exploitable',
  // Gate on what attackers use: CISA KEV and EPSS.
  kev: 'kev',
  epssMax: 'epss-max',
  vexSuppressed: 'vex-suppressed',
} as const

export type InputName = (typeof Inputs)[keyof typeof Inputs]
export type OutputName = (typeof Outputs)[keyof typeof Outputs]
