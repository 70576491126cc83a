// Action inputs → one typed, validated Settings object. No AWS here: every bad value fails
// before any request, with an InputError that names the input, the value and what is accepted.

import { readFileSync } from 'node:fs'
import { isAbsolute, normalize, resolve } from 'node:path'
import { InputError, errorMessage } from '../kernel/errors.js'
import { parseIgnoreFile, parseIgnoreInput } from './ignore-rules.js'
import { isRepositoryPattern, isValidPattern } from './pattern.js'
import { MAX_PULLED_WITHIN_DAYS, parsePulledWithin } from './pulled-within.js'
import { checkInputVariables, unknownInputsError } from './input-variables.js'
import {
  IMAGE_DIGEST,
  IMAGE_TAG,
  REGION,
  REGISTRY_ID,
  formatImage,
  isRepositoryName,
  parseImageUri,
} from '../kernel/image-ref.js'
import {
  SEVERITIES,
  type IgnoreRule,
  type ImageTarget,
  type Reaction,
  type ResolvedImage,
  type Severity,
} from '../kernel/model.js'
import { Inputs, type InputName } from '../kernel/names.js'
import { proxyEnvironment } from '../kernel/proxy.js'
import { DEFAULT_WAIT_TIMEOUT_SECONDS, MAX_WAIT_TIMEOUT_SECONDS } from '../kernel/wait-policy.js'
import { listOf, plainLine, shown } from '../kernel/text.js'

/**
 * The inputs, validated, grouped by the stage that reads them: each stage receives only its own
 * group (and `images`), so what the verdict can react to is what `verdict` holds.
 */
export interface Settings {
  /** The images to scan, each in its region; `registryId` undefined means the caller's own. */
  images: ImageRequest[]
  /**
   * INPUT_ variables that name no input and were left alone (no dash, no near-miss of an input:
   * most likely the job's own `env:`), for the debug log. See input-variables.ts.
   */
  strayInputVariables: string[]
  scan: ScanSettings
  facts: FactSettings
  verdict: VerdictSettings
  report: ReportSettings
  exploits: ExploitSettings
  /**
   * Set when `repository` is a pattern: `images` is then empty until the step lists the
   * matching repositories and picks their images (scan/discover.ts).
   */
  watch?: WatchSettings
}

/** Which deployed images to watch (scan/discover.ts): a repository pattern and how to pick. */
export interface WatchSettings {
  /** The `repository` input as written, with `*` (inputs/pattern.ts). */
  pattern: string
  /** The registry to list; undefined for the caller's own. */
  registryId?: string
  region: string
  /** pulled-within, in days: images whose lastRecordedPullTime is that recent. */
  pulledWithinDays?: number
  /** image-tag: the tags to take in each matched repository (else `imageDigests`, or by pull). */
  imageTags: string[]
  imageDigests: string[]
}

/** Which exploit sources to ask, and where (exploits/). */
export interface ExploitSettings {
  /** Ask CISA's Known Exploited Vulnerabilities catalog. */
  kev: boolean
  /** Ask FIRST's EPSS API. */
  epss: boolean
  /** The catalog's JSON feed (kev-url), an http(s) URL. */
  kevUrl: string
  /** The EPSS API's endpoint (epss-url), an http(s) URL; `?cve=…` is added to it. */
  epssUrl: string
}

/** CISA's public feed of the Known Exploited Vulnerabilities catalog (kev-url's default). */
export const DEFAULT_KEV_URL =
  'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json'
/** FIRST's public EPSS API (epss-url's default). */
export const DEFAULT_EPSS_URL = 'https://api.first.org/data/v1/epss'

/** How to scan and wait (scan/). */
export interface ScanSettings {
  /** Platforms of a multi-arch index to scan (`os/arch[/variant]`); undefined for all. */
  platforms?: string[]
  /** `auto` asks GetRegistryScanningConfiguration; the others skip that call. */
  scanType: 'auto' | 'BASIC' | 'ENHANCED'
  /** With `fail`, an image over its quota is not read further: the verdict fails on it anyway. */
  onLimitExceeded: Reaction
  wait: boolean
  waitTimeoutSeconds: number
  /** Images handled at once. */
  concurrency: number
  /** Requests per second to ECR, across all images (halved while ECR throttles). */
  requestsPerSecond: number
  /** The image to compare with (compare-to): read, never scanned; undefined compares nothing. */
  compareTo?: BaselineRef
  /**
   * Read an image's scan before starting one, and report a scan completed in the last 24 hours
   * instead of asking for another: set for repository patterns unless on-limit-exceeded is fail,
   * so a nightly run does not spend the quota of the images scanned the night before.
   */
  reuseRecentScans?: boolean
}

/** What is learned about the findings once read (facts/). */
export interface FactSettings {
  /** From `ignore` and `ignore-file`, validated; expired ones included (they warn). */
  ignore: IgnoreRule[]
  /** The verdict and annotations consider only findings the baseline does not have. */
  onlyNew: boolean
  /** The verdict and annotations consider only findings Inspector says have a fix. */
  onlyFixable: boolean
  /**
   * vex: the files or glob patterns as written, and the workspace they are relative to; main.ts
   * reads them (vex/read.ts) before any AWS call. Undefined when vex is not set.
   */
  vex?: { patterns: string[]; workspace: string }
}

/** Every reaction the user can configure (verdict/). */
export interface VerdictSettings {
  /** Fail when a considered finding is at or above this severity; undefined for `none`. */
  failOnSeverity?: Severity
  /** Fail when a considered finding has a known exploit (Inspector's exploitAvailable). */
  failOnExploitable: boolean
  /** Fail when a considered finding is in CISA's KEV catalog (fail-on-kev). */
  failOnKev: boolean
  /** Fail when a considered finding's EPSS score is at or above this (0 to 1); undefined for none. */
  failOnEpss?: number
  onLimitExceeded: Reaction
  onScanFailure: Reaction
  /** Named in the words of a wait that ran out. */
  waitTimeoutSeconds: number
  /** Named when a baseline could not be compared: only-new then considers every finding. */
  onlyNew: boolean
}

/** Where the results go besides the outputs and the job summary (report/, github/). */
export interface ReportSettings {
  /** Absolute path for the SARIF file; undefined writes none. */
  sarifFile?: string
  /** Repository-relative file the SARIF results point at; undefined picks a default. */
  dockerfile?: string
  annotations: boolean
  commentOnPr: boolean
  githubToken: string
}

/**
 * compare-to: a tag or digest in each scanned image's own repository, or one full image URI
 * (any repository, registry or region; only with one image).
 */
export type BaselineRef =
  | { kind: 'same-repository'; imageTag?: string; imageDigest?: string }
  | { kind: 'image'; target: ImageTarget; region: string }

export interface ImageRequest {
  target: ImageTarget
  region: string
  /** The image as a listing already described it: its DescribeImages is not sent again. */
  resolved?: ResolvedImage
}

/** Reads a file named by an input (the ignore-file); injectable for tests. */
export type FileReader = (path: string) => string

/** Reads one raw input; action inputs arrive as strings, '' when not given. */
export type InputReader = (name: InputName) => string

// One step is not the place for more; a matrix of jobs is.
const MAX_IMAGES = 1000
const REACTIONS = ['fail', 'warn', 'ignore'] as const
const SCAN_TYPES = ['auto', 'basic', 'enhanced'] as const
const THRESHOLDS = ['none', 'informational', 'low', 'medium', 'high', 'critical'] as const
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/

export function getSettings(
  read: InputReader,
  env: Record<string, string | undefined>,
  readFile: FileReader = (path) => readFileSync(path, 'utf8'),
): Settings {
  // A misspelled input would be a variable nobody reads: the step fails before anything else.
  const variables = checkInputVariables(env)
  const [unknown, ...more] = variables.unknown
  if (unknown) throw unknownInputsError([unknown, ...more])
  const input = (name: InputName): string => read(name).trim()
  const watching = isRepositoryPattern(input(Inputs.repository)) && !input(Inputs.image)
  const images = watching ? [] : readImages(input)
  if (!watching && input(Inputs.pulledWithin)) {
    throw new InputError(
      Inputs.pulledWithin,
      `Input '${Inputs.pulledWithin}' is set but '${Inputs.repository}' is not a pattern: it picks images among the repositories a pattern matches (e.g. repository: team/*). Give a pattern, or leave pulled-within out.`,
    )
  }
  const region = readRegion(input, images, env)
  const watch = watching ? readWatch(input, region) : undefined
  proxyEnvironment(env) // a proxy URL the AWS client cannot use fails here, before any request
  const scanType = oneOf(input, Inputs.scanType, SCAN_TYPES, 'auto')
  const wait = readBoolean(input, Inputs.wait, true)
  const threshold = oneOf(input, Inputs.failOnSeverity, THRESHOLDS, 'none')
  const failOnSeverity = threshold === 'none' ? undefined : toSeverity(threshold)
  if (failOnSeverity && !wait) {
    throw new InputError(
      Inputs.failOnSeverity,
      `Input '${Inputs.failOnSeverity}' is '${threshold}' but '${Inputs.wait}' is false: findings are only known after the scan completes. Set wait: true, or fail-on-severity: none.`,
    )
  }
  const failOnExploitable = readBoolean(input, Inputs.failOnExploitable, false)
  if (failOnExploitable && !wait) {
    throw new InputError(
      Inputs.failOnExploitable,
      `Input '${Inputs.failOnExploitable}' is true but '${Inputs.wait}' is false: findings are only known after the scan completes. Set wait: true, or fail-on-exploitable: false.`,
    )
  }
  const { exploits, failOnKev, failOnEpss } = readExploitSettings(input, wait)
  const compareTo = readCompareTo(input, watch ? 1 : images.length)
  if (watch && compareTo?.kind === 'image') {
    throw new InputError(
      Inputs.compareTo,
      `Input '${Inputs.compareTo}' is an image URI, but '${Inputs.repository}' is the pattern '${shown(watch.pattern)}': a URI names one baseline. Give a tag or digest (each image is compared with it in its own repository).`,
    )
  }
  if (compareTo && !wait) {
    throw new InputError(
      Inputs.compareTo,
      `Input '${Inputs.compareTo}' is set but '${Inputs.wait}' is false: the comparison needs this image's findings, known only after its scan completes. Set wait: true, or leave compare-to out.`,
    )
  }
  const onlyNew = readBoolean(input, Inputs.onlyNew, false)
  if (onlyNew && !compareTo) {
    throw new InputError(
      Inputs.onlyNew,
      `Input '${Inputs.onlyNew}' is true but '${Inputs.compareTo}' is not set: "new" means not in the baseline. Set compare-to (e.g. production), or only-new: false.`,
    )
  }
  // Read in this order, so the first bad input named is the same whatever the grouping.
  const platforms = readPlatforms(input)
  const onLimitExceeded = oneOf(input, Inputs.onLimitExceeded, REACTIONS, 'warn')
  const waitTimeoutSeconds = readWaitTimeout(input)
  const onScanFailure = oneOf(input, Inputs.onScanFailure, REACTIONS, 'fail')
  const concurrency = readNumber(input, Inputs.concurrency, {
    fallback: 50,
    min: 1,
    max: MAX_IMAGES,
    integer: true,
  })
  const requestsPerSecond = readNumber(input, Inputs.requestsPerSecond, {
    fallback: 5,
    min: 0.1,
    max: 100,
  })
  const { ignore, onlyFixable, report } = readFindingsSettings(input, env, readFile)
  const vexPatterns = listOf(input(Inputs.vex))
  const vex = vexPatterns.length
    ? { patterns: vexPatterns, workspace: env.GITHUB_WORKSPACE || process.cwd() }
    : undefined
  return {
    images: images.map(({ target, region: own }) => ({ target, region: own ?? region })),
    strayInputVariables: variables.stray,
    scan: {
      platforms,
      scanType: scanType === 'auto' ? 'auto' : scanType === 'basic' ? 'BASIC' : 'ENHANCED',
      onLimitExceeded,
      wait,
      waitTimeoutSeconds,
      concurrency,
      requestsPerSecond,
      compareTo,
      ...(watch && onLimitExceeded !== 'fail' ? { reuseRecentScans: true } : {}),
    },
    facts: { ignore, onlyNew, onlyFixable, ...(vex && { vex }) },
    verdict: {
      failOnSeverity,
      failOnExploitable,
      failOnKev,
      failOnEpss,
      onLimitExceeded,
      onScanFailure,
      waitTimeoutSeconds,
      onlyNew,
    },
    report,
    exploits,
    ...(watch ? { watch } : {}),
  }
}

const EXPLOIT_SOURCES = ['kev', 'epss'] as const

/**
 * exploit-sources (a list of `kev` and `epss`, or `none`), kev-url and epss-url, and the gates
 * that need them: fail-on-kev (true needs kev) and fail-on-epss (a probability from 0 to 1,
 * needs epss). A gate whose source is left out, or with wait: false, is an input error.
 */
function readExploitSettings(
  input: (name: InputName) => string,
  wait: boolean,
): { exploits: ExploitSettings; failOnKev: boolean; failOnEpss?: number } {
  const written = input(Inputs.exploitSources)
  const words = listOf(written || EXPLOIT_SOURCES.join(',')).map((word) => word.toLowerCase())
  const none = words.length === 1 && words[0] === 'none'
  const unknown = words.find((word) => !(EXPLOIT_SOURCES as readonly string[]).includes(word))
  if (!none && unknown !== undefined) {
    throw new InputError(
      Inputs.exploitSources,
      `Input '${Inputs.exploitSources}' is '${shown(written)}'; accepted values: kev, epss (both, comma-separated), or none.`,
    )
  }
  const kev = !none && words.includes('kev')
  const epss = !none && words.includes('epss')
  const failOnKev = readBoolean(input, Inputs.failOnKev, false)
  const failOnEpss = input(Inputs.failOnEpss)
    ? readNumber(input, Inputs.failOnEpss, { fallback: 0, min: 0, max: 1 })
    : undefined
  const gates: [InputName, boolean, string][] = [
    [Inputs.failOnKev, failOnKev, 'kev'],
    [Inputs.failOnEpss, failOnEpss !== undefined, 'epss'],
  ]
  for (const [name, on, source] of gates) {
    if (!on) continue
    if (!wait) {
      throw new InputError(
        name,
        `Input '${name}' is set but '${Inputs.wait}' is false: findings are only known after the scan completes. Set wait: true, or leave ${name} out.`,
      )
    }
    if (source === 'kev' ? !kev : !epss) {
      throw new InputError(
        name,
        `Input '${name}' is set but '${Inputs.exploitSources}' is '${shown(written)}', which leaves ${source} out: the gate would have nothing to read. Add ${source} to exploit-sources, or leave ${name} out.`,
      )
    }
  }
  return {
    exploits: {
      kev,
      epss,
      kevUrl: readUrl(input, Inputs.kevUrl, DEFAULT_KEV_URL),
      epssUrl: readUrl(input, Inputs.epssUrl, DEFAULT_EPSS_URL),
    },
    failOnKev,
    failOnEpss,
  }
}

/** An http:// or https:// URL input (a mirror, a proxy, a test's fake). */
function readUrl(input: (name: InputName) => string, name: InputName, fallback: string): string {
  const value = input(name)
  if (!value) return fallback
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError(
      name,
      `Input '${name}' is '${shown(value)}', which is not an http:// or https:// URL. Give the full URL of the mirror, or leave ${name} out for the public one.`,
    )
  }
  return value
}

/**
 * Every input as the action resolved it, keyed as in action.yml: defaults filled in, lists split,
 * the region chosen, paths made absolute. For the debug log, so a run can be understood without
 * re-running it. `github-token` shows only whether it is set; ignore reasons are left out.
 */
export function resolvedInputs(settings: Settings): Record<InputName, string> {
  const { scan, facts, verdict, report } = settings
  const each = (pick: (image: ImageRequest) => string | undefined, none = '(none)'): string =>
    [...new Set(settings.images.map(pick).filter((value) => value !== undefined))].join(', ') ||
    none
  const rules = (fromInput: boolean): string =>
    facts.ignore
      .filter((rule) => (rule.source === `input '${Inputs.ignore}'`) === fromInput)
      .map((rule) => [
        rule.id,
        rule.package && `in ${rule.package}`,
        rule.expires && `until ${rule.expires}`,
      ])
      .map((words) => words.filter(Boolean).join(' '))
      .join(', ') || '(none)'
  return {
    [Inputs.image]: each(({ target, region }) => imageWords(target, region)),
    [Inputs.repository]: each(({ target }) => target.repositoryName),
    [Inputs.imageTag]: each(({ target }) => target.imageTag),
    [Inputs.imageDigest]: each(({ target }) => target.imageDigest),
    [Inputs.registryId]: each(({ target }) => target.registryId, "(the caller's own)"),
    [Inputs.region]: each(({ region }) => region),
    [Inputs.scanType]: scan.scanType,
    [Inputs.onLimitExceeded]: scan.onLimitExceeded,
    [Inputs.wait]: String(scan.wait),
    [Inputs.waitTimeout]: `${scan.waitTimeoutSeconds} s`,
    [Inputs.failOnSeverity]: verdict.failOnSeverity ?? 'none',
    [Inputs.onScanFailure]: verdict.onScanFailure,
    [Inputs.platforms]: scan.platforms?.join(', ') ?? 'all',
    [Inputs.concurrency]: String(scan.concurrency),
    [Inputs.requestsPerSecond]: String(scan.requestsPerSecond),
    [Inputs.ignore]: rules(true),
    [Inputs.ignoreFile]: rules(false),
    [Inputs.onlyFixable]: String(facts.onlyFixable),
    [Inputs.sarifFile]: report.sarifFile ?? '(none)',
    [Inputs.dockerfile]: report.dockerfile ?? '(default)',
    [Inputs.annotations]: String(report.annotations),
    [Inputs.commentOnPr]: String(report.commentOnPr),
    [Inputs.githubToken]: report.githubToken ? '(set, not shown)' : '(not set)',
    [Inputs.compareTo]: baselineWords(scan.compareTo),
    [Inputs.onlyNew]: `${facts.onlyNew}`,
    [Inputs.failOnExploitable]: `${verdict.failOnExploitable}`,
    [Inputs.failOnKev]: `${verdict.failOnKev}`,
    [Inputs.failOnEpss]: verdict.failOnEpss === undefined ? 'none' : `${verdict.failOnEpss}`,
    [Inputs.exploitSources]:
      [settings.exploits.kev && 'kev', settings.exploits.epss && 'epss']
        .filter(Boolean)
        .join(', ') || 'none',
    [Inputs.kevUrl]: settings.exploits.kevUrl,
    [Inputs.epssUrl]: settings.exploits.epssUrl,
    [Inputs.vex]: facts.vex?.patterns.join(', ') ?? '(none)',
    [Inputs.pulledWithin]: '(none)',
    ...(settings.watch ? watchWords(settings.watch) : {}),
  }
}

/** A pattern step's inputs as the debug log shows them. */
function watchWords(watch: WatchSettings): Record<string, string> {
  return {
    [Inputs.repository]: `${watch.pattern} (a pattern)`,
    [Inputs.imageTag]: watch.imageTags.join(', ') || '(none)',
    [Inputs.imageDigest]: watch.imageDigests.join(', ') || '(none)',
    [Inputs.registryId]: watch.registryId ?? "(the caller's own)",
    [Inputs.region]: watch.region,
    [Inputs.pulledWithin]:
      watch.pulledWithinDays === undefined ? '(none)' : `${watch.pulledWithinDays} days`,
  }
}

/** `210987654321/team/api:v1 (eu-west-1)`: an image with its registry, when named, and region. */
function imageWords(target: ImageTarget, region: string): string {
  return `${target.registryId ? `${target.registryId}/` : ''}${formatImage(target)} (${region})`
}

/** compare-to as the log shows it. */
function baselineWords(ref: BaselineRef | undefined): string {
  if (!ref) return '(none)'
  if (ref.kind === 'image') return imageWords(ref.target, ref.region)
  return `${ref.imageDigest ?? ref.imageTag} in each image's repository`
}

/**
 * compare-to: a tag (`production`), a digest, or a full ECR image URI. A tag or digest applies to
 * each image's own repository; a URI names one image, so it takes one image to compare.
 */
function readCompareTo(
  input: (name: InputName) => string,
  imageCount: number,
): BaselineRef | undefined {
  const value = input(Inputs.compareTo)
  if (!value) return undefined
  if (IMAGE_DIGEST.test(value)) return { kind: 'same-repository', imageDigest: value }
  if (IMAGE_TAG.test(value)) return { kind: 'same-repository', imageTag: value }
  const parsed = parseImageUri(value)
  if ('error' in parsed) {
    throw new InputError(
      Inputs.compareTo,
      `Input '${Inputs.compareTo}' is '${shown(value)}', which is neither a tag, a digest (sha256:…) nor an ECR image URI: ${parsed.error}.`,
    )
  }
  if (imageCount > 1) {
    throw new InputError(
      Inputs.compareTo,
      `Input '${Inputs.compareTo}' is the image URI '${shown(value)}', but this step scans ${imageCount} images: a URI names one baseline. Give a tag or digest (each image is compared with it in its own repository), or scan one image.`,
    )
  }
  const { region: own, ...target } = parsed
  return { kind: 'image', target, region: own }
}

/**
 * The debug log's lines for the resolved settings: a heading, one line per input, then one line
 * per INPUT_ variable left alone (strayInputVariables).
 */
export function settingsDebugLines(settings: Settings): string[] {
  const lines = Object.entries(resolvedInputs(settings)).map(
    ([name, value]) => `  ${name}: ${plainLine(value, 2000)}`,
  )
  const stray = settings.strayInputVariables.map(
    (variable) =>
      `${plainLine(variable, 200)} is not an input of this action, nor close to one, and has no dash: left alone as a variable the job set.`,
  )
  return ['Resolved inputs:', ...lines, ...stray]
}

/** What to do with the findings: ignore rules (the file read and validated here), SARIF, annotations, PR comment. */
function readFindingsSettings(
  input: (name: InputName) => string,
  env: Record<string, string | undefined>,
  readFile: FileReader,
): { ignore: IgnoreRule[]; onlyFixable: boolean; report: ReportSettings } {
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const ignore = parseIgnoreInput(input(Inputs.ignore))
  const ignoreFile = input(Inputs.ignoreFile)
  if (ignoreFile) {
    let text: string
    try {
      text = readFile(resolve(workspace, ignoreFile))
    } catch (error) {
      throw new InputError(
        Inputs.ignoreFile,
        `Input '${Inputs.ignoreFile}' is '${shown(ignoreFile)}', which cannot be read (${errorMessage(error)}). Give a path relative to the repository root, and check out the repository first.`,
      )
    }
    ignore.push(...parseIgnoreFile(text, ignoreFile))
  }
  const sarifFile = input(Inputs.sarifFile)
  const dockerfile = input(Inputs.dockerfile)
  if (dockerfile && (isAbsolute(dockerfile) || normalize(dockerfile).startsWith('..'))) {
    throw new InputError(
      Inputs.dockerfile,
      `Input '${Inputs.dockerfile}' is '${shown(dockerfile)}'; give a path relative to the repository root, e.g. docker/api/Dockerfile (code scanning shows results on files in the repository).`,
    )
  }
  return {
    ignore,
    onlyFixable: readBoolean(input, Inputs.onlyFixable, false),
    report: {
      sarifFile: sarifFile ? resolve(workspace, sarifFile) : undefined,
      dockerfile: dockerfile ? normalize(dockerfile).replace(/\\/g, '/') : undefined,
      annotations: readBoolean(input, Inputs.annotations, true),
      commentOnPr: readBoolean(input, Inputs.commentOnPr, false),
      githubToken: input(Inputs.githubToken),
    },
  }
}

function readImages(
  input: (name: InputName) => string,
): { target: ImageTarget; region?: string }[] {
  const references = listOf(input(Inputs.image))
  const images: { target: ImageTarget; region?: string }[] =
    references.length > 0 ? readImageReferences(input, references) : readRepositoryImages(input)
  if (images.length > MAX_IMAGES) {
    const name = references.length > 0 ? Inputs.image : Inputs.imageTag
    throw new InputError(
      name,
      `Input '${name}' names ${images.length} images; one step scans at most ${MAX_IMAGES}. Split them over several steps or jobs.`,
    )
  }
  // The same image twice would only spend its daily scan on the second request.
  const seen = new Set<string>()
  return images.filter(({ target, region }) => {
    const key = `${region ?? ''} ${target.registryId ?? ''} ${formatImage(target)}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
}

/**
 * `repository` as a pattern: the pattern checked against ECR's name grammar, and how to pick
 * images in the repositories it matches: image-tag or image-digest in each, or pulled-within,
 * exactly one of the two.
 */
function readWatch(input: (name: InputName) => string, region: string): WatchSettings {
  const pattern = input(Inputs.repository)
  if (!isValidPattern(pattern)) {
    throw new InputError(
      Inputs.repository,
      `Input '${Inputs.repository}' is '${shown(pattern)}', which is not a repository pattern: an ECR repository name (lower-case letters, digits, . _ - separators, / between namespaces) where * stands for any characters, e.g. team/*, */api or *.`,
    )
  }
  const pulled = input(Inputs.pulledWithin)
  const pulledWithinDays = pulled ? parsePulledWithin(pulled) : undefined
  if (pulled && pulledWithinDays === undefined) {
    throw new InputError(
      Inputs.pulledWithin,
      `Input '${Inputs.pulledWithin}' is '${shown(pulled)}'; expected a whole number of days from 1 to ${MAX_PULLED_WITHIN_DAYS}, e.g. 7 or 7d.`,
    )
  }
  const named = readTagsAndDigests(input)
  const picked = named.tags.length > 0 || named.digests.length > 0
  if (pulledWithinDays !== undefined && picked) {
    throw new InputError(
      Inputs.pulledWithin,
      `Give '${Inputs.pulledWithin}' or '${Inputs.imageTag}' / '${Inputs.imageDigest}', not both: with the pattern '${shown(pattern)}', one says which images of each repository to scan.`,
    )
  }
  if (pulledWithinDays === undefined && !picked) {
    throw new InputError(
      Inputs.pulledWithin,
      `Input '${Inputs.repository}' is the pattern '${shown(pattern)}': give '${Inputs.pulledWithin}' (e.g. 7d: the images pulled in the last 7 days) or '${Inputs.imageTag}' (e.g. production: that tag in each repository).`,
    )
  }
  return {
    pattern,
    registryId: readRegistryId(input),
    region,
    pulledWithinDays,
    imageTags: named.tags,
    imageDigests: named.digests,
  }
}

function readImageReferences(
  input: (name: InputName) => string,
  references: string[],
): { target: ImageTarget; region: string }[] {
  const conflicting = [Inputs.repository, Inputs.imageTag, Inputs.imageDigest, Inputs.registryId]
    .filter((name) => input(name) !== '')
    .map((name) => `'${name}'`)
  if (conflicting.length > 0) {
    throw new InputError(
      Inputs.image,
      `Input '${Inputs.image}' cannot be combined with ${conflicting.join(', ')}: the image reference already names the registry, repository, tag and digest. Give one or the other.`,
    )
  }
  return references.map((uri) => {
    const parsed = parseImageUri(uri)
    if ('error' in parsed) {
      throw new InputError(
        Inputs.image,
        `Input '${Inputs.image}' has '${shown(uri)}', which is not an ECR image reference: ${parsed.error}. Expected ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY[:TAG][@sha256:DIGEST], one per line.`,
      )
    }
    const { region, ...target } = parsed
    return { target, region }
  })
}

function readRepositoryImages(input: (name: InputName) => string): { target: ImageTarget }[] {
  const repositoryName = input(Inputs.repository)
  if (!repositoryName) {
    throw new InputError(
      Inputs.repository,
      `Input '${Inputs.repository}' is required (or give '${Inputs.image}' with a full image reference).`,
    )
  }
  if (!isRepositoryName(repositoryName)) {
    throw new InputError(
      Inputs.repository,
      `Input '${Inputs.repository}' is '${shown(repositoryName)}', which is not a valid ECR repository name: 2 to 256 lower-case letters, digits and . _ - separators, with / between namespaces (e.g. team/api).`,
    )
  }
  const { tags, digests } = readTagsAndDigests(input)
  if (tags.length === 0 && digests.length === 0) {
    throw new InputError(
      Inputs.imageTag,
      `Give '${Inputs.imageTag}' or '${Inputs.imageDigest}' (or both) to say which image in '${repositoryName}' to scan.`,
    )
  }
  if (tags.length > 0 && digests.length > 0 && (tags.length > 1 || digests.length > 1)) {
    throw new InputError(
      Inputs.imageDigest,
      `Give several tags or several digests, not both: with '${Inputs.imageTag}' and '${Inputs.imageDigest}' together, each names one image (the tag must point to the digest).`,
    )
  }
  const registryId = readRegistryId(input)
  if (tags.length > 0 && digests.length > 0) {
    return [{ target: { registryId, repositoryName, imageTag: tags[0], imageDigest: digests[0] } }]
  }
  return [
    ...tags.map((imageTag) => ({ target: { registryId, repositoryName, imageTag } })),
    ...digests.map((imageDigest) => ({ target: { registryId, repositoryName, imageDigest } })),
  ]
}

/** image-tag and image-digest, each a list, every entry checked. */
function readTagsAndDigests(input: (name: InputName) => string): {
  tags: string[]
  digests: string[]
} {
  const tags = listOf(input(Inputs.imageTag))
  for (const imageTag of tags) {
    if (!IMAGE_TAG.test(imageTag)) {
      throw new InputError(
        Inputs.imageTag,
        `Input '${Inputs.imageTag}' has '${shown(imageTag)}', which is not a valid image tag: up to 300 letters, digits, _ . and -, not starting with . or -.`,
      )
    }
  }
  const digests = listOf(input(Inputs.imageDigest))
  for (const imageDigest of digests) {
    if (!IMAGE_DIGEST.test(imageDigest)) {
      throw new InputError(
        Inputs.imageDigest,
        `Input '${Inputs.imageDigest}' has '${shown(imageDigest)}', which is not an image digest: expected sha256: followed by 64 lower-case hex digits.`,
      )
    }
  }
  return { tags, digests }
}

function readRegistryId(input: (name: InputName) => string): string | undefined {
  const registryId = input(Inputs.registryId) || undefined
  if (registryId !== undefined && !REGISTRY_ID.test(registryId)) {
    throw new InputError(
      Inputs.registryId,
      `Input '${Inputs.registryId}' is '${shown(registryId)}', which is not an AWS account ID: expected 12 digits.`,
    )
  }
  return registryId
}

function readPlatforms(input: (name: InputName) => string): string[] | undefined {
  const value = input(Inputs.platforms)
  if (!value || value.toLowerCase() === 'all') return undefined
  const platforms = listOf(value.toLowerCase())
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new InputError(
        Inputs.platforms,
        `Input '${Inputs.platforms}' has '${shown(platform)}', which is not a platform: expected all, or os/architecture[/variant] such as linux/amd64 or linux/arm64/v8, comma separated.`,
      )
    }
  }
  return platforms
}

function readRegion(
  input: (name: InputName) => string,
  images: { region?: string }[],
  env: Record<string, string | undefined>,
): string {
  const given = input(Inputs.region)
  const fromImage = images.find((image) => image.region)?.region
  const disagreeing = images.find((image) => image.region && image.region !== given)
  if (given && disagreeing?.region) {
    throw new InputError(
      Inputs.region,
      `Input '${Inputs.region}' is '${shown(given)}' but an image reference is in '${disagreeing.region}'. Remove '${Inputs.region}' or make them agree.`,
    )
  }
  const sources: [string, string | undefined][] = [
    [`input '${Inputs.region}'`, given],
    [`input '${Inputs.image}'`, fromImage],
    ['AWS_REGION', env.AWS_REGION?.trim()],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION?.trim()],
  ]
  const [source, region] = sources.find(([, value]) => value) ?? ['', '']
  if (!region) {
    throw new InputError(
      Inputs.region,
      `No AWS region: set input '${Inputs.region}', give a full '${Inputs.image}' reference, or set AWS_REGION (aws-actions/configure-aws-credentials does).`,
    )
  }
  if (!REGION.test(region)) {
    throw new InputError(
      Inputs.region,
      `Region '${shown(region)}' (from ${source}) is not an AWS region name, e.g. us-east-1.`,
    )
  }
  return region
}

function oneOf<T extends string>(
  input: (name: InputName) => string,
  name: InputName,
  accepted: readonly T[],
  fallback: T,
): T {
  const value = input(name)
  if (!value) return fallback
  const lower = value.toLowerCase()
  const match = accepted.find((candidate) => candidate === lower)
  if (match === undefined) {
    throw new InputError(
      name,
      `Input '${name}' is '${shown(value)}'; accepted values: ${accepted.join(', ')}.`,
    )
  }
  return match
}

function readBoolean(
  input: (name: InputName) => string,
  name: InputName,
  fallback: boolean,
): boolean {
  const value = oneOf(input, name, ['true', 'false'] as const, fallback ? 'true' : 'false')
  return value === 'true'
}

function readWaitTimeout(input: (name: InputName) => string): number {
  return readNumber(input, Inputs.waitTimeout, {
    fallback: DEFAULT_WAIT_TIMEOUT_SECONDS,
    min: 0,
    exclusiveMin: true,
    max: MAX_WAIT_TIMEOUT_SECONDS,
    unit: 'seconds',
  })
}

function readNumber(
  input: (name: InputName) => string,
  name: InputName,
  rule: {
    fallback: number
    min: number
    max: number
    exclusiveMin?: boolean
    integer?: boolean
    unit?: string
  },
): number {
  const value = input(name)
  if (!value) return rule.fallback
  const pattern = rule.integer ? /^[0-9]+$/ : /^[0-9]+(?:\.[0-9]+)?$/
  const number = pattern.test(value) ? Number(value) : Number.NaN
  const aboveMin = rule.exclusiveMin ? number > rule.min : number >= rule.min
  if (!(aboveMin && number <= rule.max)) {
    const kind = `${rule.integer ? 'a whole number' : 'a number'}${rule.unit ? ` of ${rule.unit}` : ''}`
    const bound = rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`
    throw new InputError(
      name,
      `Input '${name}' is '${shown(value)}'; expected ${kind} ${bound} and at most ${rule.max}.`,
    )
  }
  return number
}

function toSeverity(threshold: Exclude<(typeof THRESHOLDS)[number], 'none'>): Severity {
  return SEVERITIES.find((severity) => severity.toLowerCase() === threshold) ?? 'UNDEFINED'
}
