/**
 * Messages between the content script, the extension pages and the background,
 * and the verdict the background keeps for each tab.
 */
import type { VerifyProblem } from '../../src/trust/problems.js';

/** The five verdicts, each shown as the action title's exact prefix. */
export type VerdictState = 'genuine' | 'not-genuine' | 'revoked' | 'unknown' | 'error';

/** Exact title prefixes (tests and users read them). */
export const TITLE_PREFIX: Readonly<Record<VerdictState, string>> = {
  genuine: 'stele: genuine',
  'not-genuine': 'stele: NOT GENUINE',
  revoked: 'stele: revoked address',
  unknown: 'stele: unknown site',
  error: 'stele: could not check',
};

/** Title while a check runs (not a verdict). */
export const CHECKING_TITLE = 'stele: checking…';

/** A key a site offers on first visit, for the pin prompt. */
export interface PinCandidate {
  siteId: string;
  keyId: string;
  /** Text of the site's `stele.pub`. */
  publicKey: string;
}

/** What the background concluded about one page. */
export interface Verdict {
  state: VerdictState;
  /** The page that was checked. */
  url: string;
  /** One-line explanation after the title prefix. */
  summary: string;
  problems: VerifyProblem[];
  siteId?: string;
  version?: number;
  keyId?: string;
  expires?: string;
  /** The site root the manifest was found at. */
  root?: string;
  /** `official`, `mirror` (listed in the signed channels), or `unlisted` (a copy elsewhere). */
  address?: 'official' | 'unlisted';
  /** Set for an unknown stele site: the key it offers, to pin. */
  candidate?: PinCandidate;
  /** Number of files whose hash matched (the page and what it loaded). */
  checkedFiles?: number;
}

/** One same-origin resource the page loaded, hashed in the page's own context. */
export interface ResourceDigest {
  url: string;
  status: 'ok' | 'missing' | 'error';
  sha256?: string;
  size?: number;
  message?: string;
}

/** content → background at document_start. */
export interface StartMessage {
  type: 'start';
  url: string;
}

/** background → content: hide nothing more and check after load, or block (warning page follows). */
export interface StartReply {
  action: 'show' | 'block';
  /** True when the page belongs to a stele site and its resources should be hashed. */
  check: boolean;
}

/** content → background after load. */
export interface LoadedMessage {
  type: 'loaded';
  url: string;
  resources: ResourceDigest[];
}

/** Extension page → background. */
export type PageMessage =
  | { type: 'get-verdict'; tabId?: number }
  | { type: 'pin-candidate'; tabId: number }
  | { type: 'continue-anyway'; tabId?: number }
  | { type: 'list-trust' }
  | { type: 'import-key'; text: string; label?: string }
  | { type: 'forget-site'; siteId: string }
  | { type: 'remove-imported-key'; keyId: string };

/** Any message the background handles. */
export type AnyMessage = StartMessage | LoadedMessage | PageMessage;
