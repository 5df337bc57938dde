// Reads a document's kind, apiVersion, metadata.name and metadata.namespace from its text without building
// it, so that documents of kinds the analysis does not model (Service, ConfigMap, CRDs, ...: much of a real
// repository) are listed as skipped without paying for a YAML parse. The reader is also a validator of
// plain block YAML: it accepts a document only when every line is of a form it is sure js-yaml reads without
// error (block mappings and sequences with consistent indentation and no repeated key, plain or simply quoted
// scalars, one-line flow collections of plain items, block scalars). Anything else (anchors, tags, escapes,
// multi-line plain scalars, unclosed brackets, bad indentation...) gives undefined and the document is
// parsed in full, so its errors are reported as before. A kind that might be modelled is never sniffed.
import yaml from 'js-yaml';
import { WORKLOAD_KINDS } from './podTemplate.js';
import { MANIFEST_SCHEMA } from './yamlSchema.js';

/**
 * Kinds that are always parsed in full: those buildCluster models, plus those it is about to model
 * (policy tiers of the network-policy-api). Any kind ending in `List` is parsed in full too (its items may
 * be anything). Keep this a superset of what buildCluster reads: a kind missing here would be skipped.
 */
export const MODELLED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  ...Object.keys(WORKLOAD_KINDS),
]);

/** Whether documents of `kind` must be parsed in full. */
export function isModelledKind(kind: string): boolean {
  return MODELLED_KINDS.has(kind) || kind.endsWith('List');
}

/** What buildCluster reads of an object it does not model. */
export interface SniffedHeader {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A kind on a column-0 line of its own: the cheap pre-check before reading every line. */
const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?$/m;
const BLOCK_HEADER = /^[|>][-+]?$/;
const FLOW = /^(?:\[\]|\{\}|\[[ ]*[\w.\/-]+(?:[ ]*,[ ]*[\w.\/-]+)*[ ]*\])$/;

/**
 * What this reader refuses in a document: white space JavaScript trims but YAML does not (U+00A0 and the
 * like: text to js-yaml), a CR that ends no CRLF (a line break to js-yaml), and the characters js-yaml
 * rejects (controls, lone surrogates, U+FFFE/U+FFFF). A text with none of UNSUPPORTED_OR_REPLACEMENT_CHARS
 * (parseFile checks each file) has none of these.
 */
// eslint-disable-next-line no-control-regex
const REFUSED_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\xA0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\uD800-\uDFFF\uFFFE\uFFFF\u0085]|\r(?!\n)/;

/** The header field a key holds. */
const NONE = 0;
const KIND = 1;
const API_VERSION = 2;
const NAME = 3;
const NAMESPACE = 4;

/** The path of anything below a root key other than metadata (no key can spell it: keys match ENTRY). */
const DEEP = '\u0000';

interface Level {
  readonly indent: number;
  readonly seq: boolean;
  /** The keys seen at this level (see addKey); undefined before the first. */
  keys: string[] | Set<string> | undefined;
  /** Where the level is, for the header: '' the root, 'metadata', DEEP anywhere else. */
  readonly path: string;
}

/**
 * The header of a document of an unmodelled kind; undefined when its kind is modelled, or when the text is
 * not plain block YAML this reader is sure about.
 */
export function sniffUnmodelled(docText: string, charsChecked = false): SniffedHeader | undefined {
  // charsChecked: the caller found none of UNSUPPORTED_OR_REPLACEMENT_CHARS in a text holding this one.
  const k = KIND_LINE.exec(docText);
  if (!k || isModelledKind(k[1]!)) return undefined;
  if (!charsChecked && REFUSED_CHARS.test(docText)) return undefined;

  const header: { apiVersion?: string; kind?: string; name?: string; namespace?: string } = {};
  const stack: Level[] = [];
  /** A line opened a block (`key:` or `-` with nothing after it): its indent and what opened it. */
  let pending: { indent: number; byKey: boolean; path: string } | undefined;
  /** Inside a block scalar: the indent of its key, and that of its content once seen. */
  let block: { parent: number; content: number } | undefined;

  let start = 0;
  let end = -1;
  let first = true;
  while (end < docText.length) {
    start = end + 1;
    end = docText.indexOf('\n', start);
    if (end < 0) end = docText.length;
    // The indent: spaces (the common case, without cutting the line twice), else any white space trimStart
    // takes (a tab in it is refused below).
    let p = start;
    // Bounded: reading past the end (the empty line after a final LF) made the optimised code bail out.
    while (p < end && docText.charCodeAt(p) === 0x20) p++;
    let text: string;
    let tabbed = false;
    if (p < end && isSpace(docText.charCodeAt(p))) {
      const line = docText.slice(start, end);
      text = line.trimStart();
      p = start + line.length - text.length;
      tabbed = line.slice(0, p - start).includes('\t');
    } else text = docText.slice(p, end);
    const indent = p - start;
    if (block) {
      if (text === '' || indent > block.parent) {
        if (text === '') continue;
        if (block.content < 0) block.content = indent;
        else if (indent < block.content) return undefined;
        continue;
      }
      block = undefined;
    }
    if (text === '' || text.charCodeAt(0) === 35 /* # */) continue;
    if (tabbed) return undefined;
    if (first) {
      first = false;
      if (text.startsWith('---')) {
        if (indent !== 0 || !/^---[ \t]*(?:#.*)?$/.test(text)) return undefined;
        continue;
      }
    }
    if (stack.length === 0) {
      if (indent !== 0) return undefined;
      stack.push({ indent: 0, seq: false, keys: undefined, path: '' });
    }

    // Where does this line belong?
    let body = stripComment(text);
    if (body === undefined) return undefined;
    const isItem = body === '-' || body.startsWith('- ');
    if (pending) {
      const p = pending;
      pending = undefined;
      if (indent > p.indent) {
        stack.push({ indent, seq: isItem, keys: undefined, path: p.path });
      } else if (indent === p.indent && p.byKey && isItem && !stack[stack.length - 1]!.seq) {
        stack.push({ indent, seq: true, keys: undefined, path: p.path }); // `key:` then `- item` at its indent
      }
    }
    while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.indent !== indent) return undefined; // bad indentation, or a multi-line scalar
    if (top.seq && !isItem) {
      // An indentless sequence ends: the entry belongs to the mapping at the same indent.
      stack.pop();
      top = stack[stack.length - 1];
      if (!top || top.indent !== indent || top.seq) return undefined;
    }
    if (!top.seq && isItem) return undefined;

    let at = indent;
    let level = top;
    if (isItem) {
      if (body === '-') {
        pending = { indent, byKey: false, path: DEEP };
        continue;
      }
      body = body.slice(2);
      const lead = body.length - body.trimStart().length;
      body = body.trimStart();
      at = indent + 2 + lead;
      if (body.startsWith('- ')) return undefined; // nested compact sequences: rare, let the parser read them
      if (!entry(body)) {
        if (!value(body)) return undefined;
        if (BLOCK_HEADER.test(body)) block = { parent: indent, content: -1 };
        continue;
      }
      // `- key: value`: a mapping whose keys sit at `at`.
      level = { indent: at, seq: false, keys: undefined, path: DEEP };
      stack.push(level);
    }
    if (!isItem && !entry(body)) return undefined;
    const key = entryKey;
    if (!addKey(level, key)) return undefined; // a duplicate key: let the parser report it
    const rest = entryRest;
    // Only root keys and metadata's can be header fields: deeper paths are not spelt out. Keys are compared
    // one by one: a root key `metadata.name` (dots are plain) is no metadata's name.
    const field =
      level.path === ''
        ? key === 'kind' ? KIND : key === 'apiVersion' ? API_VERSION : NONE
        : level.path === 'metadata'
          ? key === 'name' ? NAME : key === 'namespace' ? NAMESPACE : NONE
          : NONE;
    const path = level.path === '' && key === 'metadata' ? 'metadata' : DEEP;
    if (rest === '') {
      pending = { indent: at, byKey: true, path };
      continue;
    }
    if (!value(rest)) return undefined;
    if (BLOCK_HEADER.test(rest)) {
      block = { parent: at, content: -1 };
      continue;
    }
    if (field !== NONE) {
      const v = stringValue(rest);
      if (v === undefined) return undefined;
      if (field === KIND) header.kind = v;
      else if (field === API_VERSION) header.apiVersion = v;
      else if (field === NAME) header.name = v;
      else header.namespace = v;
    }
  }
  const { apiVersion, kind, name, namespace } = header;
  if (kind === undefined || apiVersion === undefined || name === undefined || name === '') return undefined;
  if (isModelledKind(kind)) return undefined;
  return { apiVersion, kind, name, ...(namespace !== undefined && namespace !== '' ? { namespace } : {}) };
}

/** Set by entry: the key, and the rest of the line after `: ` ('' when none). */
let entryKey = '';
let entryRest = '';

/** Key characters: `[A-Za-z0-9_]` (2) may start a key, `.`, `/` and `-` (1) only follow. */
const KEY_CHAR = new Uint8Array(128).map((_, i) =>
  /[A-Za-z0-9_]/.test(String.fromCharCode(i)) ? 2 : './-'.includes(String.fromCharCode(i)) ? 1 : 0,
);

/**
 * Whether `body` is `key:` or `key: rest`, the key plain and simple (`/^([A-Za-z0-9_][\w.\/-]*):(?:$|[ ]+(.*)$)/`),
 * with entryKey and entryRest set (exported for tests). A hand-written match: the regex (and its match array) were much of the
 * sniffing's cost.
 */
export function entry(body: string): boolean {
  const n = body.length;
  if (n === 0 || KEY_CHAR[body.charCodeAt(0)] !== 2) return false;
  let i = 1;
  while (i < n && KEY_CHAR[body.charCodeAt(i)]) i++;
  if (i === n || body.charCodeAt(i) !== 0x3a /* : */) return false;
  let j = i + 1;
  if (j < n) {
    if (body.charCodeAt(j) !== 0x20) return false;
    while (j < n && body.charCodeAt(j) === 0x20) j++;
    // `.` matches no line terminator: the line holds no LF, but may hold the others.
    for (let k = j; k < n; k++) {
      const c = body.charCodeAt(k);
      if (c === 0x0d || c === 0x2028 || c === 0x2029) return false;
    }
  }
  entryKey = body.slice(0, i);
  entryRest = body.slice(j);
  return true;
}

/** entry's last key and rest, for tests. */
export function entryKeyRest(): [string, string] {
  return [entryKey, entryRest];
}

/**
 * Adds `key` to the keys of `level`; false when it is there already. A level's first keys are kept in a
 * list (most levels have a few keys, and a Set for each cost more than the lookups), many in a Set.
 */
function addKey(level: Level, key: string): boolean {
  const keys = level.keys;
  if (keys === undefined) {
    level.keys = [key];
    return true;
  }
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return false;
    if (keys.length < 16) keys.push(key);
    else level.keys = new Set(keys).add(key);
    return true;
  }
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}

/** JavaScript's `\s`. */
function isSpace(c: number): boolean {
  return c <= 0x20
    ? c === 0x20 || (c >= 0x09 && c <= 0x0d)
    : c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Characters a plain scalar may not start with (besides `\s`; `-` only before a space). */
const NOT_PLAIN_START = new Uint8Array(128).map((_, i) => ('-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(i)) ? 1 : 0));

/**
 * A plain scalar that cannot start or hold anything YAML gives a meaning to: what
 * `/^(?:[^-?:,\[\]{}#&*!|>'"%@`\s]|-[^\s])(?:[^:#\t]|:(?=\S)|(?<=\S)#)*$/` matches, hand-written.
 */
export function plain(v: string): boolean {
  const n = v.length;
  if (n === 0) return false;
  const c0 = v.charCodeAt(0);
  let i = 1;
  if (c0 === 0x2d /* - */) {
    if (n < 2 || isSpace(v.charCodeAt(1))) return false;
    i = 2;
  } else if ((c0 < 128 && NOT_PLAIN_START[c0]) || isSpace(c0)) return false;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x09) return false;
    if (c === 0x3a /* : */) {
      if (i + 1 === n || isSpace(v.charCodeAt(i + 1))) return false;
    } else if (c === 0x23 /* # */) {
      if (isSpace(v.charCodeAt(i - 1))) return false;
    }
  }
  return true;
}

/** The line without its comment; undefined when a quote or bracket makes that unclear. */
function stripComment(text: string): string | undefined {
  const hash = text.indexOf('#');
  if (hash < 0) return text.trimEnd();
  // A comment starts at a `#` after whitespace, outside quotes.
  const quote = text.search(/["']/);
  const comment = text.search(/[ \t]#/);
  if (comment < 0) return text.trimEnd();
  if (quote >= 0 && quote < comment) return closedQuote(text, quote) ? text.trimEnd() : undefined;
  return text.slice(0, comment).trimEnd();
}

/** A quote at `at` that is closed and followed by nothing but a comment. */
function closedQuote(text: string, at: number): boolean {
  return /^(?:"[^"\\]*"|'[^']*')[ \t]*(?:#.*)?$/.test(text.slice(at));
}

/** A value this reader is sure about: plain, simply quoted, a one-line flow of plain items, a block header. */
function value(v: string): boolean {
  const c = v.charAt(0);
  if (c === '"' || c === "'") return closedQuote(v, 0);
  if (c === '[' || c === '{') return FLOW.test(v);
  if (c === '|' || c === '>') return BLOCK_HEADER.test(v);
  return plain(v) && !v.endsWith(':');
}

/** A scalar that is surely a string with this value, as the YAML core schema reads it. */
function stringValue(v: string): string | undefined {
  const c = v.charAt(0);
  if (c === '"' || c === "'") {
    const m = /^(?:"([^"\\]*)"|'([^']*)')/.exec(v);
    return m ? (m[1] ?? m[2]) : undefined;
  }
  if (!/^[A-Za-z0-9][\w.\/-]*$/.test(v)) return undefined;
  if (/^[A-Za-z]/.test(v) && !/^(?:true|false|null|yes|no|on|off|y|n)$/i.test(v)) return v;
  // Starts with a digit, or looks like a boolean/null: let the schema say what it is.
  try {
    return typeof yaml.load(v, { schema: MANIFEST_SCHEMA }) === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
