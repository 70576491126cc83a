// VEX statements as plain data: what a document says about a vulnerability in a product, read
// from OpenVEX (every published form) or CycloneDX (1.4 and later) by vex/read.ts, matched
// against findings by facts/vex.ts.

/**
 * OpenVEX's four statuses; CycloneDX's `analysis.state` maps onto them (`not_affected` and
 * `false_positive` → not_affected, `resolved` and `resolved_with_pedigree` → fixed,
 * `exploitable` → affected, `in_triage` → under_investigation).
 */
export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const
export type VexStatus = (typeof VEX_STATUSES)[number]

/** A status whose statement takes the finding out of the verdict and the counts. */
export function suppresses(status: VexStatus): boolean {
  return status === 'not_affected' || status === 'fixed'
}

/** A package URL taken apart (by packageurl-js), every part decoded. */
export interface Purl {
  /** `oci`, `apk`, `deb`, `golang`, …, lower-case. */
  type: string
  namespace?: string
  name: string
  /** For `pkg:oci`, the image digest (`sha256:…`). */
  version?: string
  qualifiers: Record<string, string>
}

/**
 * What a statement names as a product or a subcomponent: a package URL when one was given
 * (`@id`, `identifiers.purl`, a CycloneDX component's `purl`), an image reference or digest
 * written as text otherwise (the early OpenVEX form), and its `sha-256` hashes.
 */
export interface VexProduct {
  /** As written, for messages. */
  text: string
  purl?: Purl
  /** `sha256:…` digests from `hashes` (or a bare digest written as the product). */
  digests: string[]
  /** Products only: the packages inside it the statement is about; empty means all of it. */
  subcomponents: VexProduct[]
}

/** One statement, normalised: one vulnerability, its products, its status. */
export interface VexStatement {
  /** The vulnerability's name (CVE-…, GHSA-…, GO-…, a vendor ID). */
  vulnerability: string
  /** Other IDs of the same vulnerability. */
  aliases: string[]
  /** Empty for a statement that names no product (the early form): it matches no image. */
  products: VexProduct[]
  status: VexStatus
  /** The justification word as written (OpenVEX's or CycloneDX's). */
  justification?: string
  impactStatement?: string
  actionStatement?: string
  /**
   * Milliseconds since the epoch: the statement's own timestamp, else its document's (OpenVEX's
   * inheritance); unset when neither has one, which ranks before any timestamp.
   */
  time?: number
  /** The document, as the user's pattern found it (relative to the workspace). */
  document: string
  /** Where in the document: `statements[2]`, `vulnerabilities[0]`. */
  place: string
  /** The statement's rank across every document, in the order read: a later one wins a tie. */
  order: number
}
