// VEX statements applied to one image's findings: which statement speaks of each finding (its
// vulnerability and the image or the package), the latest of them, and what it decides. Pure;
// the statements come read and normalised from vex/read.ts.

import { parseImageUri } from '../kernel/image-ref.js'
import {
  SEVERITIES,
  emptyCounts,
  type Finding,
  type ScanResult,
  type VexDecision,
  type VexFacts,
} from '../kernel/model.js'
import { suppresses, type Purl, type VexProduct, type VexStatement } from '../kernel/vex.js'

/** The statements by lower-case vulnerability name and alias, each list in the order read. */
export type VexIndex = Map<string, VexStatement[]>

/** Indexes statements once per step, so each finding looks up only those about its ID. */
export function indexStatements(statements: VexStatement[]): VexIndex {
  const index: VexIndex = new Map()
  for (const statement of statements) {
    const ids = new Set(
      [statement.vulnerability, ...statement.aliases].map((id) => id.toLowerCase()),
    )
    for (const id of ids) {
      const same = index.get(id)
      if (same) same.push(statement)
      else index.set(id, [statement])
    }
  }
  return index
}

/** What identifies the scanned image to a VEX product. */
export interface ImageIdentity {
  registryId?: string
  region: string
  repositoryName: string
  /** The image's digest, the digest the user named, and the index's for one platform of it. */
  digests: Set<string>
  tags: Set<string>
}

/** The scanned image's identity: its registry, region, repository, digests and tags. */
export function identityOf(result: ScanResult): ImageIdentity {
  const { target, image } = result
  const present = (values: (string | undefined)[]): Set<string> =>
    new Set(values.filter((value): value is string => value !== undefined))
  return {
    registryId: image?.registryId ?? target.registryId,
    region: result.region,
    repositoryName: image?.repositoryName ?? target.repositoryName,
    digests: present([image?.imageDigest, target.imageDigest, result.indexDigest]),
    tags: present([image?.imageTag, target.imageTag]),
  }
}

/**
 * Whether a `pkg:oci` product names this image: its digest (the version, or a `sha-256` hash)
 * is the image's or its index's; its `repository_url` is the image's registry and repository
 * (any ECR host form); without one, its name is the repository's last part; its `tag`, when
 * given, is the image's tag. What the product leaves out matches any value.
 */
function namesImage(product: VexProduct, purl: Purl | undefined, image: ImageIdentity): boolean {
  const digests = [...product.digests, ...(purl?.version ? [purl.version] : [])]
  if (digests.length > 0 && !digests.some((digest) => image.digests.has(digest.toLowerCase()))) {
    return false
  }
  if (!purl) return digests.length > 0
  const { repository_url: repositoryUrl, tag } = purl.qualifiers
  if (tag !== undefined && !image.tags.has(tag)) return false
  if (repositoryUrl !== undefined) {
    // parseImageUri reads an image, which needs a tag: any valid one stands in for "every image".
    const named = parseImageUri(`${repositoryUrl.replace(/^[a-z]+:\/\//i, '')}:latest`)
    return (
      !('error' in named) &&
      named.repositoryName === image.repositoryName &&
      named.region === image.region &&
      (image.registryId === undefined || named.registryId === image.registryId)
    )
  }
  return purl.name.toLowerCase() === image.repositoryName.split('/').at(-1)
}

/**
 * The names a package URL's package may have in a finding, lower case: its name, and with its
 * namespace as Go modules (`golang.org/x/net`) and Maven artifacts (`group:artifact`) are named.
 * ECR's findings do not say a package's ecosystem, so the package URL's type is not compared.
 */
function packageKeys(purl: Purl | undefined): string[] {
  if (!purl) return []
  const keys = [purl.name]
  if (purl.namespace) keys.push(`${purl.namespace}/${purl.name}`, `${purl.namespace}:${purl.name}`)
  return keys.map((key) => key.toLowerCase())
}

/** An enhanced finding's packages or versions, joined by ', ' (ecr/findings.ts), lower case. */
function listed(value: string | undefined): string[] {
  return (value ?? '').split(', ').map((part) => part.trim().toLowerCase())
}

const isImage = (product: VexProduct): boolean =>
  product.purl === undefined ? product.digests.length > 0 : product.purl.type === 'oci'

/** A statement that applies to findings in a package, with the version it names, if any. */
interface PackageRoute {
  statement: VexStatement
  /** Lower case; undefined for every version. */
  version?: string
}

/** For one vulnerability ID, what applies to this image's findings of it. */
interface Routes {
  /** Statements about the whole image: they apply to every finding of the ID. */
  whole: VexStatement[]
  /** The latest of `whole`, worked out once: the one that counts among them for every finding. */
  wholeLatest?: VexStatement
  /** Statements about a package, by package name (packageKeys). */
  byPackage: Map<string, PackageRoute[]>
}

/**
 * Where each statement of the step applies in this image, by lower-case vulnerability ID: a
 * product that names the image applies to the whole image, or, with subcomponents, to findings
 * in those packages; a product that is a package (`pkg:apk`, `pkg:deb`, …) applies to findings
 * in it, in any image, or, with subcomponents, in those: ECR does not say which program a module
 * (Trivy's Go modules) was found in, so a program's statement covers the module wherever it is.
 * Built once per image, so each finding meets only the statements about its ID and packages.
 */
function routesFor(index: VexIndex, image: ImageIdentity): Map<string, Routes> {
  const namesThisImage = new Map<VexProduct, boolean>()
  const routing = new Map<string, Routes>()
  for (const [id, statements] of index) {
    const routes: Routes = { whole: [], byPackage: new Map() }
    const add = (statement: VexStatement, purl: Purl | undefined): void => {
      const route = { statement, version: purl?.version?.toLowerCase() }
      for (const key of packageKeys(purl)) {
        const same = routes.byPackage.get(key)
        if (same) same.push(route)
        else routes.byPackage.set(key, [route])
      }
    }
    for (const statement of statements) {
      for (const product of statement.products) {
        const packages = product.subcomponents
        if (isImage(product)) {
          let named = namesThisImage.get(product)
          if (named === undefined) {
            named = namesImage(product, product.purl, image)
            namesThisImage.set(product, named)
          }
          if (!named) continue
          if (packages.length === 0) routes.whole.push(statement)
          else for (const sub of packages) add(statement, sub.purl)
        } else if (packages.length > 0) {
          for (const sub of packages) add(statement, sub.purl)
        } else {
          add(statement, product.purl)
        }
      }
    }
    routes.wholeLatest = routes.whole.reduce<VexStatement | undefined>(
      (latest, statement) => (latest ? later(latest, statement) : statement),
      undefined,
    )
    if (routes.whole.length > 0 || routes.byPackage.size > 0) routing.set(id, routes)
  }
  return routing
}

/**
 * The statements that decide about `finding`: the latest of those about the whole image, and
 * those about one of its packages whose version, when they name one, is one of its versions.
 */
function applicable(routes: Routes, finding: Finding): VexStatement[] {
  const versions = listed(finding.packageVersion)
  const found = routes.wholeLatest ? [routes.wholeLatest] : []
  for (const name of new Set(listed(finding.packageName))) {
    for (const route of routes.byPackage.get(name) ?? []) {
      if (route.version === undefined || versions.includes(route.version)) {
        found.push(route.statement)
      }
    }
  }
  return found
}

/** The later of two statements: by time (OpenVEX: the latest wins), then by the order read. */
function later(a: VexStatement, b: VexStatement): VexStatement {
  const timeA = a.time ?? Number.NEGATIVE_INFINITY
  const timeB = b.time ?? Number.NEGATIVE_INFINITY
  if (timeA !== timeB) return timeA > timeB ? a : b
  return a.order > b.order ? a : b
}

/**
 * The result with the findings that VEX statements suppress moved out of `findings.list` and
 * out of its counts, and the decisions as facts. For each finding the statements about its ID
 * (or an alias) that apply to this image are found; the latest decides: not_affected and fixed
 * suppress, affected and under_investigation keep (and are shown). Findings ignored already are
 * left alone, so a finding both ignored and suppressed counts once, as ignored.
 */
export function applyVex(
  result: ScanResult,
  index: VexIndex,
): { result: ScanResult; vex: VexFacts } {
  const vex: VexFacts = { suppressed: [], kept: [], matched: [] }
  const findings = result.findings
  if (!findings || index.size === 0) return { result, vex }
  const routing = routesFor(index, identityOf(result))
  const matched = new Set<VexStatement>()
  const list: Finding[] = []
  for (const finding of findings.list) {
    const routes = routing.get(finding.id.toLowerCase())
    // Statements about the whole image match every finding of their ID: marked once.
    if (routes && routes.whole.length > 0 && !matched.has(routes.whole[0] as VexStatement)) {
      for (const statement of routes.whole) matched.add(statement)
    }
    let latest: VexStatement | undefined
    for (const statement of routes ? applicable(routes, finding) : []) {
      matched.add(statement)
      latest = latest ? later(latest, statement) : statement
    }
    const decision: VexDecision | undefined = latest && { finding, statement: latest }
    if (decision && suppresses(decision.statement.status)) vex.suppressed.push(decision)
    else {
      if (decision) vex.kept.push(decision)
      list.push(finding)
    }
  }
  vex.matched = [...matched]
  if (vex.suppressed.length === 0) return { result, vex }
  const severityCounts = emptyCounts()
  const removed = emptyCounts()
  for (const { finding } of vex.suppressed) removed[finding.severity] += 1
  for (const severity of SEVERITIES) {
    severityCounts[severity] = Math.max(0, findings.severityCounts[severity] - removed[severity])
  }
  return { result: { ...result, findings: { ...findings, list, severityCounts } }, vex }
}

/** Statements that applied to no finding of any image whose findings were read. */
export function unmatchedStatements(
  statements: VexStatement[],
  facts: { vex?: VexFacts }[],
): VexStatement[] {
  const used = new Set(facts.flatMap((fact) => fact.vex?.matched ?? []))
  return statements.filter((statement) => !used.has(statement))
}

/** Findings suppressed by VEX statements, over every image. */
export function suppressedCount(facts: { vex?: VexFacts }[]): number {
  return facts.reduce((sum, fact) => sum + (fact.vex?.suppressed.length ?? 0), 0)
}
