// Lines of fields inside objects, found lazily: the bulk parse (js-yaml) keeps no positions, so when a
// diagnostic or an explanation needs the line of e.g. spec.ingress[0].from[1], the one document that holds
// it is parsed again with `yaml`, which keeps source ranges (`yaml` parses ~2 MB/s: a whole file per
// lookup made hundreds of lookups cost seconds). Only documents that need a line pay for that parse, once.
import type { Document, LineCounter, Node } from 'yaml';
import { fastPositions } from './fastYaml.js';
import { yamlModule } from './lazyYaml.js';
import type { DocPath, SourceRef } from './model.js';
import { splitDocuments, type DocumentText } from './splitDocuments.js';

interface Located {
  readonly doc: Document.Parsed | undefined;
  /** With `doc` (the `yaml` parse): its line counter. */
  readonly lineCounter?: LineCounter;
  /** For documents in the fast reader's subset: the offset (in the document text) of each path. */
  readonly positions?: ReadonlyMap<string, number>;
  /** With `positions` read for one path only (see fastPositions): that path's keys, joined. */
  readonly only?: string;
  /** With `positions`: the document text, and its line starts once a line was asked for (see lineAt). */
  readonly text?: string;
  starts?: number[];
  /** Add to a 1-based line of the document text to get the file's line. */
  readonly offset: number;
}

/**
 * The memos below are keyed by the file's path when the caller knows it, with the text kept beside and
 * compared (the same string object, mostly: a pointer test), else by the text itself. Hashing a file's text
 * as a key reads all of it: a few hundred files of policies with a warning each spent ~10 ms there.
 */
interface ByFile<V> {
  readonly text: string;
  readonly value: V;
}

/** The entry of `text` (kept under `key`), if that is the text it was made for. */
function fileEntry<V>(m: Map<string, ByFile<V>>, key: string, text: string): ByFile<V> | undefined {
  const e = m.get(key);
  return e !== undefined && e.text === text ? e : undefined;
}

/** Split files and parsed documents, by file. Bounded, so a long-running app does not keep all it saw. */
const splits = new Map<string, ByFile<DocumentText[]>>();
/**
 * By file, then by the line the document's text starts at: the same document as keying by its own text,
 * without joining (and hashing) a document's whole text per lookup. At most MEMO_SIZE documents in all.
 */
const memo = new Map<string, ByFile<Map<number, Located>>>();
let memoCount = 0;
const MEMO_SIZE = 512;

/**
 * The 1-based line of `path` (relative to the object at `source`) in its file. A path that does not exist
 * gives the line of its deepest existing ancestor; an unknown file gives `source.line`.
 */
export function lineOf(texts: ReadonlyMap<string, string>, source: SourceRef, path: DocPath): number {
  const text = texts.get(source.file);
  if (text === undefined) return source.line;
  const keys = [...source.path, ...path].map(String);
  const whole = keys.join('\u0001');
  const located = locate(text, source.line, keys, whole, source.file);
  const { doc, lineCounter, offset, positions } = located;
  if (positions) {
    // The path itself, mostly there: a path is recorded only below its recorded parent, so it is the deepest
    // existing one (a lookup per ancestor, each of a string joined for it, was a third of the time here).
    const exact = keys.length > source.path.length ? positions.get(whole) : undefined;
    if (exact !== undefined) return lineAt(located, exact) + offset;
    // Else the same walk over the fast reader's positions: the deepest existing field or item. Only its
    // offset is turned into a line (most of a document's fields are never asked for).
    let deepest = -1;
    let joined = '';
    for (let i = 0; i < keys.length; i++) {
      joined = i === 0 ? keys[0]! : `${joined}\u0001${keys[i]}`;
      const at = positions.get(joined);
      if (at === undefined) break;
      if (i >= source.path.length) deepest = at;
    }
    return deepest < 0 ? source.line : lineAt(located, deepest) + offset;
  }
  if (!doc || !lineCounter) return source.line;
  const { isAlias, isMap, isSeq } = yamlModule();
  let node: unknown = doc.contents;
  let best = source.line;
  for (const [i, key] of [...source.path, ...path].entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => scalarValue(p.key) === String(key));
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      keyNode = node;
    } else break;
    // A field's line is the line of its key; a list item's line is that of its content.
    const at = startLine(keyNode, lineCounter) ?? startLine(node, lineCounter);
    if (at !== undefined && i >= source.path.length) best = at + offset; // inside the object, not on the way to it
  }
  return best;
}

/** The parsed document of `text` (the file at `path`) that holds `line`: the last one starting at or before it. `only`: `keys` joined. */
function locate(text: string, line: number, keys: readonly string[], only: string, path: string): Located {
  const found = documentAt(text, line, path);
  if (!found) return { doc: undefined, offset: 0 };
  const hit = fileEntry(memo, path, text)?.value.get(found.textLine);
  if (hit && (hit.only === undefined || hit.only === only)) return hit;
  // A document's first lookup records its one path (most documents get one warning); a second, other path
  // reads all of them, once.
  const positions = useFastPositions ? fastPositions(found.text, hit ? undefined : keys) : undefined;
  if (positions) {
    const located: Located = { doc: undefined, positions, text: found.text, offset: found.textLine - 1, ...(hit ? {} : { only }) };
    rememberDocument(path, text, found.textLine, located);
    return located;
  }
  // Only documents outside the fast reader's subset load `yaml` (~25-90 ms to import).
  const { LineCounter, parseDocument } = yamlModule();
  const lineCounter = new LineCounter();
  const doc = parseDocument(found.text, { lineCounter, uniqueKeys: false });
  const located = { doc, lineCounter, offset: found.textLine - 1 };
  rememberDocument(path, text, found.textLine, located);
  return located;
}

/**
 * Files' documents as the parse split them (parseFile hands them over when it parses by file object: the CLI),
 * by path, with the text. The line of a warning is looked for in a file the parse split already: its document
 * is found by a search of these, not by a scan of the file for its markers (~20-50 ms for the medium bench
 * tier's 788 named-port warnings in 399 files, 11 MB). Bounded by the characters of the texts (documents are
 * cuts of them, and keep them).
 */
const parsedSplits = new Map<string, ByFile<readonly DocumentText[]>>();
let parsedChars = 0;
const PARSED_CHARS = 32 * 1024 * 1024;

/** Keep `docs`, splitDocuments(text) for the file at `path`, for documentAt. */
export function rememberSplit(path: string, text: string, docs: readonly DocumentText[]): void {
  const old = parsedSplits.get(path);
  if (old !== undefined) {
    parsedSplits.delete(path);
    parsedChars -= old.text.length;
  }
  if (text.length > PARSED_CHARS) return;
  while (parsedChars + text.length > PARSED_CHARS) {
    const oldest = parsedSplits.keys().next().value as string;
    parsedChars -= parsedSplits.get(oldest)!.text.length;
    parsedSplits.delete(oldest);
  }
  parsedSplits.set(path, { text, value: docs });
  parsedChars += text.length;
}

/** The last of `docs` (in line order) starting at or before `line`. */
function lastAtOrBefore(docs: readonly DocumentText[], line: number): DocumentText | undefined {
  let lo = 0;
  let hi = docs.length; // docs[lo..hi) may hold the answer's successor
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid]!.line <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? docs[lo - 1] : undefined;
}

/**
 * The document of `text` that holds `line` (the last one starting at or before it), as splitDocuments gives
 * it, lines absolute. The parse's split when it was kept (see rememberSplit). Only the lines between the document markers around `line` are split: splitting every
 * file a diagnostic points into (a few hundred files of policies, once each) was most of the time of the
 * named-port warnings; a file's line starts and markers are found once, by a scan for newlines. Text the
 * short way cannot take exactly (a BOM, CR line ends, directives) is split whole, once.
 */
export function documentAt(text: string, line: number, path?: string): Omit<DocumentText, 'index'> | undefined {
  if (path !== undefined) {
    const parsed = fileEntry(parsedSplits, path, text);
    if (parsed) return lastAtOrBefore(parsed.value, line);
  }
  const key = path ?? text;
  const region = regionAt(text, line, key);
  if (region) {
    // No marker inside the region: it is one document, whose first content line must hold the line.
    const content = firstContentLine(text, region);
    if (content !== undefined && content <= line) return { line: content, textLine: region.line, text: text.slice(region.from, region.to) };
  }
  let docs = fileEntry(splits, key, text)?.value;
  if (!docs) {
    docs = splitDocuments(text);
    remember(splits, key, { text, value: docs });
  }
  return lastAtOrBefore(docs, line);
}

const CONTENT_AFTER_MARKER = /^---[ \t]+[^#\s]/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

/** The document's line as splitDocuments says it: the first line with content (a `---` line with content after it counts). */
function firstContentLine(text: string, region: { from: number; to: number; line: number }): number | undefined {
  for (let at = region.from, n = region.line; at < region.to; n++) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 || nl > region.to ? region.to : nl;
    const l = text.slice(at, end);
    if (n === region.line && isMarker(text, at) ? CONTENT_AFTER_MARKER.test(l) : !BLANK_OR_COMMENT.test(l)) return n;
    if (nl < 0) break;
    at = nl + 1;
  }
  return undefined;
}

/**
 * A file's marker lines (1-based; `...` negated) with where each starts, and its number of lines; undefined
 * for unusual text. Only the markers are kept: an array of every line start (hundreds of thousands on a
 * large repository) was most of the time of the first named-port warnings.
 */
interface LineIndex {
  readonly lines: number;
  readonly markers: readonly number[];
  readonly markerAt: readonly number[];
}
const lineIndexes = new Map<string, ByFile<LineIndex | undefined>>();

/** The line index of `text`, memoised under `key` (its path, or itself). */
function lineIndex(text: string, key: string): LineIndex | undefined {
  const hit = fileEntry(lineIndexes, key, text);
  if (hit) return hit.value;
  let index: LineIndex | undefined;
  // A BOM or CR line ends (normalised by the split), or a directive (`%YAML`, `%TAG`: part of the document after it).
  if (text.charCodeAt(0) !== 0xfeff && !text.includes('\r') && text.charCodeAt(0) !== 0x25 && !text.includes('\n%')) {
    const markers: number[] = [];
    const markerAt: number[] = [];
    let n = 1;
    for (let at = 0; ; n++) {
      const c = text.charCodeAt(at);
      if ((c === 0x2d || c === 0x2e) && isMarker(text, at)) {
        markers.push(c === 0x2d ? n : -n);
        markerAt.push(at);
      }
      const nl = text.indexOf('\n', at);
      if (nl < 0) break;
      at = nl + 1;
    }
    index = { lines: n, markers, markerAt };
  }
  remember(lineIndexes, key, { text, value: index });
  return index;
}

/** `---` or `...` (followed by a blank or the line's end) at `at`, the start of a line. */
function isMarker(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if ((c !== 0x2d && c !== 0x2e) || text.charCodeAt(at + 1) !== c || text.charCodeAt(at + 2) !== c) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a;
}

/**
 * The lines around `line` up to the markers that bound its document: from the nearest `---` at or before it
 * (or just after a `...`, or the file's start) to just before the next marker. Character offsets, and the
 * 1-based line `from` is at; undefined when the whole split must say.
 */
function regionAt(text: string, line: number, key: string): { from: number; to: number; line: number } | undefined {
  const index = line >= 1 ? lineIndex(text, key) : undefined;
  if (!index || line > index.lines) return undefined;
  let fromLine = 1;
  let from = 0;
  let to = text.length;
  const { markers, markerAt } = index;
  for (let k = 0; k < markers.length; k++) {
    const m = markers[k]!;
    const n = Math.abs(m);
    if (n > line) {
      to = markerAt[k]!;
      break;
    }
    if (m > 0) {
      fromLine = n;
      from = markerAt[k]!;
    } else if (n === line) return undefined; // the line is a `...`
    else {
      // The line after the `...` (there is one: `line` is past it).
      fromLine = n + 1;
      from = text.indexOf('\n', markerAt[k]!) + 1;
    }
  }
  return { from, to, line: fromLine };
}

/** The 1-based line (in the document text) of an offset; the text's line starts are found on first use. */
function lineAt(located: Located, offset: number): number {
  let starts = located.starts;
  if (!starts) {
    const text = located.text!;
    starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    located.starts = starts;
  }
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * `yaml` (~2 MB/s) is needed only for documents outside the fast reader's subset; the fast reader's positions
 * give the same lines (a test compares them). False in that test, to get `yaml`'s answer.
 */
let useFastPositions = true;
export function setFastPositions(enabled: boolean): void {
  useFastPositions = enabled;
  memo.clear();
  memoCount = 0;
}

function rememberDocument(path: string, text: string, textLine: number, located: Located): void {
  const entry = memo.get(path);
  let docs = entry?.text === text ? entry.value : undefined;
  if (entry) {
    memo.delete(path); // the newest file again, so eviction reaches it last
    if (!docs) memoCount -= entry.value.size; // another text at this path: its documents go
  }
  if (!docs) docs = new Map();
  if (!docs.has(textLine)) {
    // Full: forget the oldest files' documents, or this file's oldest document when it is the only file.
    while (memoCount >= MEMO_SIZE && memo.size > 0) {
      const oldest = memo.keys().next().value as string;
      memoCount -= memo.get(oldest)!.value.size;
      memo.delete(oldest);
    }
    if (memoCount >= MEMO_SIZE && docs.size > 0) {
      docs.delete(docs.keys().next().value as number);
      memoCount--;
    }
    memoCount++;
  }
  docs.set(textLine, located);
  memo.set(path, { text, value: docs });
}

function remember<V>(m: Map<string, V>, key: string, value: V): void {
  if (m.size >= MEMO_SIZE) m.delete(m.keys().next().value as string);
  m.set(key, value);
}

function scalarValue(node: unknown): string | undefined {
  if (node !== null && typeof node === 'object' && 'value' in node) return String((node as { value: unknown }).value);
  return node === null || node === undefined ? undefined : String(node);
}

function startLine(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
