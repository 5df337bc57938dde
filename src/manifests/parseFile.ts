// Parses one manifest file into raw documents. js-yaml is the fast path for every document; the `yaml`
// package (about 10x slower) is only a fallback for the rare YAML js-yaml rejects but kubectl accepts.
// Two shortcuts keep the bulk load near (or under) the cost of a bare js-yaml parse:
// - results are cached by content (parseCache.ts): a file identical at both refs is parsed once;
// - documents of kinds the analysis does not model are sniffed (sniffKind.ts), not parsed: they come out
//   as a stub `{apiVersion, kind, metadata: {name, namespace}}`, so buildCluster still lists them as
//   skipped. Their YAML is then not checked beyond that header.
import yaml from 'js-yaml';
import { yamlModule } from './lazyYaml.js';
import type { Diagnostic, ManifestFile } from './model.js';
import { splitDocuments, normaliseText } from './splitDocuments.js';
import { MANIFEST_SCHEMA } from './yamlSchema.js';
import { findJsonDuplicateKey } from './jsonDuplicateKey.js';
import { contentKey, ParseCache } from './parseCache.js';
import { sniffUnmodelled } from './sniffKind.js';
import { fastLoad, own, UNSUPPORTED_OR_REPLACEMENT_CHARS } from './fastYaml.js';
import { rememberSplit } from './locate.js';

/** One parsed document: its 0-based index in the file, 1-based first line, and plain JS value. */
export interface RawDocument {
  readonly doc: number;
  readonly line: number;
  readonly value: unknown;
  /** true when the document was not parsed, only sniffed: `value` is then just its header. */
  readonly sniffed?: true;
}

export interface ParsedFile {
  readonly documents: RawDocument[];
  readonly diagnostics: Diagnostic[];
  /** Non-empty documents seen, including those that failed to parse. */
  readonly documentCount: number;
}

/**
 * js-yaml expands aliases by reference, so `&a [*a, *a, ...]` nested a few levels is a tiny text but a
 * huge (or cyclic) tree for any walk done later. Documents that use aliases are walked once here, counting
 * every visit, and dropped past this many nodes.
 */
export const MAX_NODES_WITH_ALIASES = 1_000_000;

export const HELM_MESSAGE = 'Helm template, not rendered: run `helm template` and analyse its output; file skipped';

export interface ParseOptions {
  /** Where parsed files are cached by content; null: no cache. Default: the process-wide cache. */
  readonly cache?: ParseCache<CachedParse> | null;
  /** Sniff, rather than parse, documents of kinds that are not modelled. Default true. */
  readonly sniff?: boolean;
  /**
   * Remember results by file object, not in `cache` by content: no text is hashed. For a process where every
   * text that can repeat comes as the same file object, so a content key finds nothing the object does not:
   * `netpol diff --base DIR --head DIR`, whose sides share the objects of their equal files (see TwinFiles), in
   * a fresh process. Each file's split into documents is then kept too, for the lines of later diagnostics
   * (see rememberSplit in locate.ts). Default false.
   */
  readonly byFile?: boolean;
}

/** A cache entry: the result, and the path it was parsed under (diagnostics name it). */
export interface CachedParse {
  readonly path: string;
  readonly result: ParsedFile;
}

/**
 * Parsed YAML takes a few times the memory of its text (measured: 3.8 bytes of heap per character over
 * the medium bench tier, sniffed documents included); the cache bound is on this estimate.
 */
const COST_PER_CHAR = 4;

/**
 * Big enough to hold every file of one ref of a 200 MB repository: a diff reads the base, then the head in
 * the same order, so a cache smaller than one ref would evict each file just before the head asks for it.
 */
const DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024;

let defaults: { cache: ParseCache<CachedParse> | null; sniff: boolean; byFile: boolean } = {
  cache: new ParseCache<CachedParse>(DEFAULT_CACHE_BYTES),
  sniff: true,
  byFile: false,
};

/**
 * The defaults every parseFile call uses unless told otherwise (buildCluster calls parseFile without
 * options). Returns the previous defaults, so a test or a benchmark can restore them.
 */
export function configureParsing(opts: ParseOptions): ParseOptions {
  const previous = { ...defaults };
  defaults = {
    cache: opts.cache === undefined ? defaults.cache : opts.cache,
    sniff: opts.sniff ?? defaults.sniff,
    byFile: opts.byFile ?? defaults.byFile,
  };
  return previous;
}

/** The process-wide parse cache (e.g. to read its hit counters or clear it), or null when disabled. */
export function defaultParseCache(): ParseCache<CachedParse> | null {
  return defaults.cache;
}

/** The cache key of a file: its content, and what of its path changes how it is read. */
export function parseKey(file: ManifestFile, sniff = defaults.sniff): string {
  const memo = contentKeyMemo(file);
  // Asked for every file at every build: kept with the content key, for the path it was made for.
  if (memo.path === file.path) {
    const hit = sniff ? memo.sniffKey : memo.fullKey;
    if (hit !== undefined) return hit;
  } else {
    memo.path = file.path;
    memo.sniffKey = memo.fullKey = undefined;
  }
  const mode = `${/\.json$/i.test(file.path) ? 'j' : 'y'}${/(^|\/)templates\//.test(file.path) ? 't' : ''}${sniff ? 's' : ''}`;
  const key = `${mode}:${memo.key}`;
  if (sniff) memo.sniffKey = key;
  else memo.fullKey = key;
  return key;
}

/**
 * Content keys by file object: hashing is most of the cost of a parse cache hit (19 MB per side at the
 * medium bench tier), and callers hand the same file objects to the parse and to every later build.
 */
const contentKeys = new WeakMap<ManifestFile, ContentKeyMemo>();

interface ContentKeyMemo {
  readonly text: string;
  readonly key: string;
  /** parseKey's keys (with and without sniffing) for the file at `path`. */
  path?: string;
  sniffKey?: string;
  fullKey?: string;
}

/**
 * The file's content key if it was worked out already (a parse, or parseKey), else undefined: never hashes.
 * buildCluster compares the files of two builds with it when their texts are not the same string.
 */
export function knownContentKey(file: ManifestFile): string | undefined {
  const hit = contentKeys.get(file);
  return hit !== undefined && hit.text === file.text ? hit.key : undefined;
}

/** Whether parseFile sniffs unmodelled documents by default: part of what a build's result depends on. */
export function sniffsByDefault(): boolean {
  return defaults.sniff;
}

function contentKeyMemo(file: ManifestFile): ContentKeyMemo {
  const hit = contentKeys.get(file);
  if (hit !== undefined && hit.text === file.text) return hit;
  const memo: ContentKeyMemo = { text: file.text, key: contentKey(file.text) };
  contentKeys.set(file, memo);
  return memo;
}

export function parseFile(file: ManifestFile, opts: ParseOptions = {}): ParsedFile {
  const sniff = opts.sniff ?? defaults.sniff;
  if (opts.byFile ?? defaults.byFile) return parseByFile(file, sniff);
  const cache = opts.cache === undefined ? defaults.cache : opts.cache;
  if (!cache) return parseText(file, sniff);
  const key = parseKey(file, sniff);
  const hit = cache.get(key);
  if (hit) return hit.path === file.path ? hit.result : restamp(hit.result, file.path);
  const result = parseText(file, sniff);
  cache.set(key, { path: file.path, result }, file.text.length * COST_PER_CHAR);
  return result;
}

/** Results by file object (ParseOptions.byFile), with what they were parsed from (a file object is read-only: checked anyway). */
const byFileResults = new WeakMap<ManifestFile, { readonly text: string; readonly path: string; readonly sniff: boolean; readonly result: ParsedFile }>();

function parseByFile(file: ManifestFile, sniff: boolean): ParsedFile {
  const hit = byFileResults.get(file);
  if (hit !== undefined && hit.text === file.text && hit.path === file.path && hit.sniff === sniff) return hit.result;
  const result = parseText(file, sniff, true);
  byFileResults.set(file, { text: file.text, path: file.path, sniff, result });
  return result;
}

/** The same result for a file with the same content at another path: only diagnostics name the file. */
function restamp(result: ParsedFile, path: string): ParsedFile {
  if (result.diagnostics.length === 0) return result;
  return { ...result, diagnostics: result.diagnostics.map((d) => ({ ...d, file: path })) };
}

function parseText(file: ManifestFile, sniff: boolean, keepSplit = false): ParsedFile {
  const { path } = file;
  const text = normaliseText(file.text);
  const diag = (line: number, severity: Diagnostic['severity'], message: string): Diagnostic => ({
    file: path,
    line,
    severity,
    message,
  });

  // One scan for both checks in nearly every file: one without any character fastLoad does not read has
  // neither a NUL nor a U+FFFD.
  const charsChecked = !UNSUPPORTED_OR_REPLACEMENT_CHARS.test(text);
  const bad = charsChecked ? -1 : text.search(/[\u0000\uFFFD]/);
  if (bad >= 0) {
    return {
      documents: [],
      documentCount: 0,
      diagnostics: [diag(lineAt(text, bad), 'error', 'binary or non-UTF-8 content (NUL or invalid bytes); file skipped')],
    };
  }
  const hasTemplate = text.includes('{{');
  if (hasTemplate && /(^|\/)templates\//.test(path)) {
    return { documents: [], documentCount: 0, diagnostics: [diag(firstTemplateLine(text), 'warning', HELM_MESSAGE)] };
  }

  const diagnostics: Diagnostic[] = [];
  if (/\.json$/i.test(path)) {
    const json = parseJson(text);
    if (json.ok) {
      if (json.value === undefined) return { documents: [], diagnostics, documentCount: 0 };
      const dup = findJsonDuplicateKey(text);
      if (dup) {
        return { documents: [], documentCount: 1, diagnostics: [diag(dup.line, 'error', duplicateMessage(dup.key))] };
      }
      return { documents: [{ doc: 0, line: json.line, value: json.value }], diagnostics, documentCount: 1 };
    }
    // kubectl decodes JSON with a YAML parser, so e.g. a trailing comma still loads.
    diagnostics.push(
      diag(json.errorLine, 'warning', `not valid JSON (${json.message}); read as YAML, as kubectl does`),
    );
  }

  const documents: RawDocument[] = [];
  const parts = splitDocuments(text);
  // Where a diagnostic's line is looked for later (named-port warnings): the documents, found without a scan.
  // Only by file (a command reading one tree or two, whose texts it keeps to the end anyway): elsewhere (an app
  // parsing repository after repository) the splits would mostly be kept a while, then dropped unused.
  if (keepSplit) rememberSplit(path, file.text, parts);
  for (const part of parts) {
    // A file with `{{` may be a template that only a full parse can tell: never sniff it.
    const header = sniff && !hasTemplate ? sniffUnmodelled(part.text, charsChecked) : undefined;
    if (header) {
      const name = own(header.name);
      const metadata = header.namespace !== undefined ? { name, namespace: shared(header.namespace) } : { name };
      const value = { apiVersion: shared(header.apiVersion), kind: shared(header.kind), metadata };
      documents.push({ doc: part.index, line: part.line, value, sniffed: true });
      continue;
    }
    const result = loadDocument(part.text, charsChecked);
    if (result.ok) {
      if (result.value === null || result.value === undefined) continue;
      const aliases = part.text.includes('*');
      if (aliases && countNodes(result.value, MAX_NODES_WITH_ALIASES) > MAX_NODES_WITH_ALIASES) {
        diagnostics.push(
          diag(part.line, 'error', `document expands to more than ${MAX_NODES_WITH_ALIASES} nodes through YAML aliases; document skipped`),
        );
        continue;
      }
      // A document with aliases may share (and so would copy) subtrees many times: kept as it is. fastLoad's
      // values are compact already.
      const value = result.compact || aliases ? result.value : compact(result.value);
      documents.push({ doc: part.index, line: part.line, value });
      continue;
    }
    if (hasTemplate) {
      // A file with `{{` that does not parse is a template (Helm, or Go templates generally).
      return { documents: [], documentCount: parts.length, diagnostics: [diag(firstTemplateLine(text), 'warning', HELM_MESSAGE)] };
    }
    // js-yaml reports an unexpected end of stream on the line after the last one: clamp to the document.
    const line = part.textLine + Math.min(result.line, part.text.trimEnd().split('\n').length - 1);
    diagnostics.push(
      result.duplicateKey !== undefined
        ? diag(line, 'error', duplicateMessage(result.duplicateKey))
        : diag(line, 'error', `YAML syntax error: ${result.message}; document skipped`),
    );
  }
  return { documents, diagnostics, documentCount: parts.length };
}

/**
 * One string (of its own, see `own`) for equal kinds, apiVersions and namespaces of sniffed documents: they
 * repeat in every such document. Bounded: cleared when full.
 */
const sharedStrings = new Map<string, string>();

function shared(s: string): string {
  let hit = sharedStrings.get(s);
  if (hit === undefined) {
    if (sharedStrings.size >= 10_000) sharedStrings.clear();
    hit = own(s);
    sharedStrings.set(hit, hit);
  }
  return hit;
}

function duplicateMessage(key: string): string {
  return `duplicate key "${key}": kubectl rejects an object with a repeated field; document skipped`;
}

type LoadResult =
  | { ok: true; value: unknown; compact?: true }
  | { ok: false; line: number; message: string; duplicateKey?: string };

/** Loads one document with js-yaml; falls back to `yaml` when js-yaml rejects what `yaml` accepts. */
function loadDocument(docText: string, charsChecked: boolean): LoadResult {
  const fast = fastLoad(docText, charsChecked); // the common subset, ~3x faster; undefined: not sure, js-yaml decides
  if (fast !== undefined) return { ok: true, value: fast, compact: true };
  try {
    return { ok: true, value: yaml.load(docText, { schema: MANIFEST_SCHEMA }) };
  } catch (e) {
    const err = e as yaml.YAMLException;
    const line = err.mark?.line ?? 0;
    const message = err.reason ?? String(err.message);
    if (message === 'duplicated mapping key') {
      return { ok: false, line, message, duplicateKey: keyAt(docText, line, err.mark?.column ?? 0) };
    }
    const fallback = yamlModule().parseDocument(docText, { merge: true, uniqueKeys: true, schema: 'core' });
    if (fallback.errors.length === 0) {
      try {
        return { ok: true, value: fallback.toJS({ maxAliasCount: 1000 }) as unknown };
      } catch {
        // too many aliases: report js-yaml's error below
      }
    }
    return { ok: false, line, message };
  }
}

/** The mapping key written at (line, column) of `text`, unquoted. */
function keyAt(text: string, line: number, column: number): string {
  const rest = (text.split('\n')[line] ?? '').slice(column);
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#]*?))\s*:(?:\s|$)/.exec(rest);
  if (!m) return rest.trim();
  return m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3] ?? '';
}

type JsonResult = { ok: true; value: unknown; line: number } | { ok: false; message: string; errorLine: number };

function parseJson(text: string): JsonResult {
  const first = text.search(/\S/);
  if (first < 0) return { ok: true, value: undefined, line: 1 };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, line: lineAt(text, first) };
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    return { ok: false, message, errorLine: pos ? lineAt(text, Number(pos[1])) : 1 };
  }
}

/**
 * `v` with strings of their own (see `own` in fastYaml.ts: measured, 18 MB of document texts were held at
 * the medium bench tier without it, 15 % of the heap) and lists no longer than their items: parsers grow lists item
 * by item, and V8 then gives a list of one room for 17 (measured: 23 MB of list storage at the medium tier,
 * about 5 MB once trimmed). Maps are changed in place (the document is new and not yet shared); equal in
 * every other respect. Not for documents with aliases (see parseText).
 */
function compact(v: unknown): unknown {
  if (typeof v === 'string') return own(v);
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = v.slice();
    for (let i = 0; i < out.length; i++) out[i] = compact(out[i]);
    return out;
  }
  const obj = v as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    // `__proto__` is an own field here, which an assignment would not write: left as it is.
    if (k !== '__proto__') obj[k] = compact(obj[k]);
  }
  return obj;
}

/** Counts nodes as a naive recursive walk would visit them (shared references counted each time). */
function countNodes(root: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0 && count <= limit) {
    const v = stack.pop();
    count++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) for (const x of Object.values(v)) stack.push(x);
  }
  return count;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function firstTemplateLine(text: string): number {
  return lineAt(text, Math.max(0, text.indexOf('{{')));
}
