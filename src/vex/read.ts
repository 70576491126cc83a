// The `vex` input's documents read into plain statements (kernel/vex.ts): OpenVEX in every
// published form (the early one with plain-string vulnerabilities and products, v0.0.1, v0.2.0)
// and CycloneDX 1.4 and later. Loaded only when `vex` is set (main.ts imports it lazily), and
// run before any AWS call: a document that cannot be used fails the step with its file and place.

import { globSync, readFileSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { PackageURL } from 'packageurl-js'
import { InputError, errorMessage } from '../kernel/errors.js'
import { IMAGE_DIGEST } from '../kernel/image-ref.js'
import { Inputs } from '../kernel/names.js'
import { shown } from '../kernel/text.js'
import {
  VEX_STATUSES,
  type Purl,
  type VexProduct,
  type VexStatement,
  type VexStatus,
} from '../kernel/vex.js'

/** How the reader reaches the disk; tests pass their own. */
export interface VexFiles {
  /** Paths (relative to `cwd`) matching a glob pattern, in any order. */
  glob(pattern: string, cwd: string): string[]
  readFile(path: string): string
}

const diskFiles: VexFiles = {
  glob: (pattern, cwd) => globSync(pattern, { cwd }),
  readFile: (path) => readFileSync(path, 'utf8'),
}

const GLOB = /[*?[\]{}]/

/**
 * Every statement of the documents the patterns name (files or glob patterns relative to
 * `workspace`), in the order given, each document once. Throws an InputError naming `vex`, the
 * file and the place in it for: a pattern that matches no file, a file that cannot be read or is
 * not JSON, a document that is neither OpenVEX nor CycloneDX (1.4 or later), and a statement
 * that cannot be used (no vulnerability, an unknown status, `not_affected` without a
 * justification or impact statement).
 */
export function readVexDocuments(
  patterns: string[],
  workspace: string,
  files: VexFiles = diskFiles,
): VexStatement[] {
  const statements: VexStatement[] = []
  const seen = new Set<string>()
  for (const pattern of patterns) {
    const paths = GLOB.test(pattern)
      ? files.glob(pattern, workspace).sort()
      : [isAbsolute(pattern) ? relative(workspace, pattern) : pattern]
    if (paths.length === 0) {
      throw new InputError(
        Inputs.vex,
        `Input '${Inputs.vex}' has the pattern '${shown(pattern)}', which matches no file in the workspace. Check out the repository first, and give paths relative to its root.`,
      )
    }
    for (const path of paths) {
      if (seen.has(path)) continue
      seen.add(path)
      const text = readDocument(files, workspace, path)
      statements.push(...parseVexDocument(text, path, statements.length))
    }
  }
  return statements
}

function readDocument(files: VexFiles, workspace: string, path: string): string {
  try {
    return files.readFile(resolve(workspace, path))
  } catch (error) {
    throw new InputError(
      Inputs.vex,
      `VEX document ${shown(path)} (input '${Inputs.vex}') cannot be read: ${errorMessage(error)}. Give a path relative to the repository root, and check out the repository first.`,
    )
  }
}

/** A failure in one document, at one place in it. */
function invalid(document: string, place: string, problem: string): InputError {
  const where = place ? ` at ${place}` : ''
  return new InputError(
    Inputs.vex,
    `VEX document ${shown(document)} (input '${Inputs.vex}')${where}: ${problem}`,
  )
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

/**
 * The statements of one document's text (`document` names it in messages; `first` is the rank
 * of its first statement across every document). Throws as readVexDocuments says.
 */
export function parseVexDocument(source: string, document: string, first = 0): VexStatement[] {
  let json: unknown
  try {
    json = JSON.parse(source.replace(/^\uFEFF/, ''))
  } catch (error) {
    // Node quotes the text around the error; the place says where, shorter.
    const message = errorMessage(error).replace(/, (?:\.\.\.)?"[\s\S]*$/, '')
    throw invalid(
      document,
      jsonErrorPlace(source),
      `not JSON (${message}). Give an OpenVEX or CycloneDX VEX document.`,
    )
  }
  if (isObject(json) && isOpenVex(json)) return openVexStatements(json, document, first)
  if (isObject(json) && json.bomFormat === 'CycloneDX')
    return cycloneDxStatements(json, document, first)
  throw invalid(
    document,
    '',
    'neither an OpenVEX document (an "@context" of https://openvex.dev/ns…, with "statements") nor a CycloneDX BOM ("bomFormat": "CycloneDX", with "vulnerabilities").',
  )
}

/**
 * Where a text stops being JSON, as `line L column C`: the shortest prefix that no JSON text
 * begins with (a binary search: every longer prefix fails too), or its end when it is cut short.
 */
export function jsonErrorPlace(source: string): string {
  const isPrefix = (length: number): boolean => {
    try {
      JSON.parse(source.slice(0, length))
      return true
    } catch (error) {
      // Cut short: "Unexpected end of JSON input", or an error at the very end of the prefix.
      const message = errorMessage(error)
      return /end of JSON/i.test(message) || message.includes(`at position ${length} `)
    }
  }
  let [low, high] = [0, source.length]
  if (isPrefix(high)) return `its end (line ${source.split('\n').length})`
  // Invariant: the first `low` characters begin a JSON text, the first `high` do not.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (isPrefix(middle)) low = middle
    else high = middle
  }
  const before = source.slice(0, high).split('\n')
  return `line ${before.length} column ${before.at(-1)?.length ?? 0}`
}

function isOpenVex(json: Json): boolean {
  const context = text(json['@context'])
  return context !== undefined && context.startsWith('https://openvex.dev/ns')
}

/** The time of a timestamp in ms, or undefined when it is missing or not a date. */
function timeOf(value: unknown): number | undefined {
  const written = text(value)
  const time = written === undefined ? Number.NaN : Date.parse(written)
  return Number.isNaN(time) ? undefined : time
}

function openVexStatements(json: Json, document: string, first: number): VexStatement[] {
  const list = json.statements
  if (!Array.isArray(list)) {
    throw invalid(document, 'statements', 'an OpenVEX document needs a list of "statements".')
  }
  const documentTime = timeOf(json.timestamp)
  return list.map((entry: unknown, index) => {
    const place = `statements[${index}]`
    if (!isObject(entry)) throw invalid(document, place, 'a statement must be an object.')
    const { name, aliases } = vulnerabilityOf(entry.vulnerability, document, place)
    const status = statusOf(entry.status, document, place)
    const justification = text(entry.justification)
    const impactStatement = text(entry.impact_statement)
    if (status === 'not_affected' && !justification && !impactStatement) {
      throw invalid(
        document,
        place,
        `${name} is not_affected without a "justification" or an "impact_statement"; OpenVEX requires one. Add it, so the reason is on record.`,
      )
    }
    // The early form names subcomponents on the statement: they belong to each of its products.
    const shared = productsOf(entry.subcomponents)
    const products = productsOf(entry.products).map((product) => ({
      ...product,
      subcomponents: [...product.subcomponents, ...shared],
    }))
    return {
      vulnerability: name,
      aliases,
      products,
      status,
      justification,
      impactStatement,
      actionStatement: text(entry.action_statement),
      time: timeOf(entry.timestamp) ?? documentTime,
      document,
      place,
      order: first + index,
    }
  })
}

function vulnerabilityOf(
  value: unknown,
  document: string,
  place: string,
): { name: string; aliases: string[] } {
  // The early form writes the vulnerability as a plain string.
  const name = isObject(value) ? text(value.name) : text(value)
  if (!name) {
    throw invalid(
      document,
      `${place}.vulnerability`,
      'the statement names no vulnerability ("name").',
    )
  }
  const aliases = isObject(value) && Array.isArray(value.aliases) ? value.aliases : []
  return { name, aliases: aliases.map(text).filter((alias) => alias !== undefined) }
}

function statusOf(value: unknown, document: string, place: string): VexStatus {
  const status = VEX_STATUSES.find((known) => known === value)
  if (!status) {
    throw invalid(
      document,
      `${place}.status`,
      `the status '${shown(String(value ?? ''))}' is not one of ${VEX_STATUSES.join(', ')}.`,
    )
  }
  return status
}

/** Products or subcomponents, each a string or an object (`@id`, `identifiers`, `hashes`). */
function productsOf(value: unknown): VexProduct[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((entry: unknown): VexProduct[] => {
    if (typeof entry === 'string') return [productOf(entry, [])]
    if (!isObject(entry)) return []
    const identifiers = isObject(entry.identifiers) ? entry.identifiers : {}
    const written = text(identifiers.purl) ?? text(entry['@id']) ?? ''
    const hashes = isObject(entry.hashes) ? entry.hashes : {}
    const digest = text(hashes['sha-256'])
    const product = productOf(written, digest ? [`sha256:${digest.toLowerCase()}`] : [])
    return [{ ...product, subcomponents: productsOf(entry.subcomponents) }]
  })
}

/**
 * A product as written: a package URL, a digest, or (the early form) an image reference such
 * as `nginx` or `registry.k8s.io/kube-apiserver:v1.26.0`, read as a `pkg:oci` package URL. What
 * is none of these (a publisher's error text) is kept as text and matches nothing.
 */
export function productOf(written: string, digests: string[]): VexProduct {
  const product = { text: written, digests, subcomponents: [] }
  if (written.startsWith('pkg:')) {
    const purl = parsePurl(written)
    return purl ? { ...product, purl } : product
  }
  if (IMAGE_DIGEST.test(written)) return { ...product, digests: [...digests, written] }
  const image = IMAGE_REFERENCE.exec(written)?.groups
  if (!image?.path) return product
  const segments = image.path.split('/')
  const qualifiers: Record<string, string> = {}
  if (segments.length > 1) qualifiers.repository_url = image.path
  if (image.tag) qualifiers.tag = image.tag
  const name = segments.at(-1) ?? image.path
  return { ...product, purl: { type: 'oci', name, version: image.digest, qualifiers } }
}

// [host/]path[:tag][@sha256:…], the way image references are written.
const IMAGE_REFERENCE =
  /^(?<path>[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/

/** A package URL taken apart and decoded, or undefined when it is not one. */
export function parsePurl(written: string): Purl | undefined {
  try {
    const parsed = PackageURL.fromString(written)
    const qualifiers: Record<string, string> = {}
    for (const [key, value] of Object.entries(parsed.qualifiers ?? {})) {
      if (typeof value === 'string') qualifiers[key.toLowerCase()] = value
    }
    return {
      type: parsed.type.toLowerCase(),
      namespace: parsed.namespace ?? undefined,
      name: parsed.name,
      version: parsed.version ?? undefined,
      qualifiers,
    }
  } catch {
    return undefined
  }
}

/** CycloneDX's analysis states in OpenVEX's words (see VEX_STATUSES). */
const CYCLONEDX_STATES: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
}

function cycloneDxStatements(json: Json, document: string, first: number): VexStatement[] {
  const version = text(json.specVersion) ?? ''
  const [major = 0, minor = 0] = version.split('.').map(Number)
  if (!(major > 1 || (major === 1 && minor >= 4))) {
    throw invalid(
      document,
      'specVersion',
      `CycloneDX ${shown(version) || '(no specVersion)'} has no VEX analysis; give a document of CycloneDX 1.4 or later.`,
    )
  }
  const list = json.vulnerabilities
  if (!Array.isArray(list)) {
    throw invalid(
      document,
      'vulnerabilities',
      'a CycloneDX VEX document needs a list of "vulnerabilities".',
    )
  }
  const components = componentsByRef(json)
  const metadata = isObject(json.metadata) ? json.metadata : {}
  const documentTime = timeOf(metadata.timestamp)
  const statements: VexStatement[] = []
  list.forEach((entry: unknown, index) => {
    const place = `vulnerabilities[${index}]`
    if (!isObject(entry)) throw invalid(document, place, 'a vulnerability must be an object.')
    const name = text(entry.id)
    if (!name) throw invalid(document, `${place}.id`, 'the vulnerability has no "id".')
    // A vulnerability without an analysis is a finding of the BOM's own, not a VEX statement.
    const analysis = isObject(entry.analysis) ? entry.analysis : undefined
    if (!analysis?.state) return
    const state = String(analysis.state)
    const status = CYCLONEDX_STATES[state]
    if (!status) {
      throw invalid(
        document,
        `${place}.analysis.state`,
        `the state '${shown(state)}' is not one of ${Object.keys(CYCLONEDX_STATES).join(', ')}.`,
      )
    }
    const references = Array.isArray(entry.references) ? entry.references : []
    const affects = Array.isArray(entry.affects) ? entry.affects : []
    const detail = text(analysis.detail)
    statements.push({
      vulnerability: name,
      aliases: references
        .map((ref) => (isObject(ref) ? text(ref.id) : undefined))
        .filter((id) => id !== undefined),
      products: affects.map((affect) =>
        affectedProduct(isObject(affect) ? text(affect.ref) : undefined, components),
      ),
      status,
      justification: text(analysis.justification),
      impactStatement: status === 'not_affected' ? detail : undefined,
      actionStatement: status === 'not_affected' ? undefined : detail,
      time: timeOf(analysis.lastUpdated) ?? timeOf(analysis.firstIssued) ?? documentTime,
      document,
      place,
      order: first + index,
    })
  })
  return statements
}

/** The document's components by `bom-ref`: `metadata.component` and `components`, nested too. */
function componentsByRef(json: Json): Map<string, Json> {
  const byRef = new Map<string, Json>()
  const visit = (component: unknown): void => {
    if (!isObject(component)) return
    const ref = text(component['bom-ref'])
    if (ref) byRef.set(ref, component)
    if (Array.isArray(component.components)) component.components.forEach(visit)
  }
  if (isObject(json.metadata)) visit(json.metadata.component)
  if (Array.isArray(json.components)) json.components.forEach(visit)
  return byRef
}

/**
 * What an `affects[].ref` names: the component with that `bom-ref` (its `purl` and SHA-256
 * hash), the part after `#` of a BOM-Link, or the ref itself when it is a package URL.
 */
function affectedProduct(ref: string | undefined, components: Map<string, Json>): VexProduct {
  const local = ref?.startsWith('urn:cdx:') ? ref.slice(ref.indexOf('#') + 1) : (ref ?? '')
  const component = components.get(local) ?? components.get(ref ?? '')
  // A bom-ref is a name inside the document, never an image reference.
  const named = { text: ref ?? '', digests: [], subcomponents: [] }
  if (!component) return local.startsWith('pkg:') ? productOf(local, []) : named
  const hashes = Array.isArray(component.hashes) ? component.hashes : []
  const digests = hashes
    .filter((hash) => isObject(hash) && hash.alg === 'SHA-256' && text(hash.content))
    .map((hash) => `sha256:${String((hash as Json).content).toLowerCase()}`)
  const purl = text(component.purl)
  return purl ? productOf(purl, digests) : { ...named, digests }
}
