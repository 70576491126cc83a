// A seed document from a file a person wrote: JSON, or YAML (which allows comments), checked for
// the slips a hand-written seed makes (a misspelt field, a tag YAML read as a number) so that the
// emulator does not start empty or half-seeded without a word.
import { readFileSync } from 'node:fs'
import type {
  PutImageIndexOptions,
  ScanProfile,
  SeedDocument,
  SeedImage,
  SeedRepository,
} from './types.ts'

// Every field of each shape, checked against its type so that a field added there is added here.
const DOCUMENT_FIELDS = {
  registryScanType: true,
  scanningRules: true,
  registries: true,
  defaultScanProfile: true,
  repositories: true,
  images: true,
  imageIndexes: true,
  faults: true,
  rateLimit: true,
} satisfies Record<keyof SeedDocument, true>

const IMAGE_FIELDS = {
  registryId: true,
  repositoryName: true,
  tag: true,
  manifest: true,
  mediaType: true,
  pushedAt: true,
  scannedAt: true,
  scannedMsAgo: true,
  archived: true,
  scanProfile: true,
  scanResponse: true,
} satisfies Record<keyof SeedImage, true>

const REPOSITORY_FIELDS = {
  registryId: true,
  repositoryName: true,
  scanOnPush: true,
  scanProfile: true,
} satisfies Record<keyof SeedRepository, true>

const INDEX_FIELDS = {
  registryId: true,
  repositoryName: true,
  tag: true,
  platforms: true,
  attestation: true,
  mediaType: true,
  pushedAt: true,
} satisfies Record<keyof PutImageIndexOptions, true>

const PROFILE_FIELDS = {
  durationMs: true,
  outcome: true,
  description: true,
  findings: true,
  enhancedFindings: true,
  lateFindings: true,
  imageScanFindings: true,
} satisfies Record<keyof ScanProfile, true>

type Fields = Record<string, true>

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The first problem with `value` as an object of `fields`, at `where`; undefined when none. */
function objectProblem(value: unknown, where: string, fields: Fields): string | undefined {
  if (!isObject(value)) return `${where} is not an object of fields`
  const unknown = Object.keys(value).find((name) => !(name in fields))
  if (unknown !== undefined) {
    return `${where} has '${unknown}', which is none of ${Object.keys(fields).join(', ')}`
  }
  return undefined
}

/** A repository and tag as the emulator needs them: strings (YAML reads `tag: 1.0` as a number). */
function namesProblem(item: Record<string, unknown>, where: string): string | undefined {
  if (typeof item.repositoryName !== 'string') return `${where}.repositoryName must be a string`
  return stringsProblem(item, where, ['tag'])
}

function listProblem(
  document: Record<string, unknown>,
  key: string,
  fields: Fields,
  check: (item: Record<string, unknown>, where: string) => string | undefined,
): string | undefined {
  const list = document[key]
  if (list === undefined) return undefined
  if (!Array.isArray(list)) return `'${key}' must be a list`
  for (const [index, item] of list.entries()) {
    const where = `${key}[${index}]`
    const problem =
      objectProblem(item, where, fields) ?? check(item as Record<string, unknown>, where)
    if (problem) return problem
  }
  return undefined
}

/** The first value at `paths` (dotted, `[]` for each item of a list) that is set but no string. */
function stringsProblem(item: unknown, where: string, paths: string[]): string | undefined {
  const at = (value: unknown, path: string[], shown: string): string | undefined => {
    if (value === undefined || value === null) return undefined
    const [step, ...rest] = path
    if (step === undefined) {
      return typeof value === 'string'
        ? undefined
        : `${shown} is ${JSON.stringify(value)}, not a string: quote it ('${String(value)}')`
    }
    if (step === '[]') {
      if (!Array.isArray(value)) return `${shown} must be a list`
      for (const [index, each] of value.entries()) {
        const problem = at(each, rest, `${shown}[${index}]`)
        if (problem) return problem
      }
      return undefined
    }
    return isObject(value) ? at(value[step], rest, `${shown}.${step}`) : undefined
  }
  for (const path of paths) {
    const problem = at(item, path.split('.'), where)
    if (problem) return problem
  }
  return undefined
}

// ECR sends these as strings, and the AWS SDK refuses an answer where one is not (YAML reads
// `value: 5.9` or `version: 1.2` as numbers).
const FINDING_STRINGS = [
  'findings.[].name',
  'findings.[].severity',
  'findings.[].uri',
  'findings.[].description',
  'findings.[].attributes.[].key',
  'findings.[].attributes.[].value',
  'enhancedFindings.[].severity',
  'enhancedFindings.[].title',
  'enhancedFindings.[].description',
  'enhancedFindings.[].fixAvailable',
  'enhancedFindings.[].exploitAvailable',
  'enhancedFindings.[].packageVulnerabilityDetails.vulnerabilityId',
  'enhancedFindings.[].packageVulnerabilityDetails.vulnerablePackages.[].name',
  'enhancedFindings.[].packageVulnerabilityDetails.vulnerablePackages.[].version',
  'enhancedFindings.[].packageVulnerabilityDetails.vulnerablePackages.[].fixedInVersion',
]

function profileProblem(profile: unknown, where: string): string | undefined {
  if (profile === undefined) return undefined
  return (
    objectProblem(profile, where, PROFILE_FIELDS) ??
    stringsProblem(profile, where, [
      'outcome',
      ...FINDING_STRINGS,
      ...FINDING_STRINGS.map((path) => `lateFindings.[].${path}`),
    ])
  )
}

/**
 * `value` as a seed document, or an Error that names the first field it cannot take (by its
 * path, e.g. `images[2].tag`). Checks field names, the names of images and the text of findings,
 * not every value: the emulator itself rejects values it cannot use when seeded.
 */
export function checkSeed(value: unknown): SeedDocument {
  const problem =
    objectProblem(value, 'the seed', DOCUMENT_FIELDS) ??
    profileProblem((value as Record<string, unknown>).defaultScanProfile, 'defaultScanProfile') ??
    listProblem(value as Record<string, unknown>, 'images', IMAGE_FIELDS, (image, where) => {
      return namesProblem(image, where) ?? profileProblem(image.scanProfile, `${where}.scanProfile`)
    }) ??
    listProblem(value as Record<string, unknown>, 'repositories', REPOSITORY_FIELDS, (item, at) => {
      return namesProblem(item, at) ?? profileProblem(item.scanProfile, `${at}.scanProfile`)
    }) ??
    listProblem(value as Record<string, unknown>, 'imageIndexes', INDEX_FIELDS, (index, where) => {
      return (
        namesProblem(index, where) ??
        (Array.isArray(index.platforms) ? undefined : `${where}.platforms must be a list`)
      )
    })
  if (problem) throw new Error(problem)
  return value as SeedDocument
}

/**
 * Reads and checks a seed file: JSON when its name ends in `.json`, else YAML. Throws an Error
 * that names the file and what is wrong with it.
 */
export async function readSeedFile(path: string): Promise<SeedDocument> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`the seed ${path} cannot be read: ${(error as Error).message}`, {
      cause: error,
    })
  }
  try {
    // Loaded only for YAML: the emulator itself needs nothing outside Node's standard library.
    const parsed: unknown = path.endsWith('.json')
      ? JSON.parse(text)
      : (await import('yaml')).parse(text)
    return checkSeed(parsed)
  } catch (error) {
    throw new Error(`the seed ${path} is not one the emulator takes: ${(error as Error).message}`, {
      cause: error,
    })
  }
}
