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
  /** For documents in the fast reader's subset: the 1-based line (in the document text) of each path. */
  readonly lines?: ReadonlyMap<string, number>;
  /** Add to a 1-based line of the document text to get the file's line. */
  readonly offset: number;
}

/** Split files and parsed documents, by text. Bounded, so a long-running app does not keep all it saw. */
const splits = new Map<string, DocumentText[]>();
const memo = new Map<string, Located>();
const MEMO_SIZE = 512;

/**
 * The 1-based line of `path` (relative to the object at `source`) in its file. A path that does not exist
 * gives the line of its deepest existing ancestor; an unknown file gives `source.line`.
 */
export function lineOf(texts: ReadonlyMap<string, string>, source: SourceRef, path: DocPath): number {
  const text = texts.get(source.file);
  if (text === undefined) return source.line;
  const { doc, lineCounter, offset, lines } = locate(text, source.line);
  if (lines) {
    // The same walk over the fast reader's positions: the deepest existing field or item.
    let best = source.line;
    const keys = [...source.path, ...path].map(String);
    for (let i = 0; i < keys.length; i++) {
      const at = lines.get(keys.slice(0, i + 1).join('\u0001'));
      if (at === undefined) break;
      if (i >= source.path.length) best = at + offset;
    }
    return best;
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

/** The parsed document of `text` that holds `line`: the last one starting at or before it. */
function locate(text: string, line: number): Located {
  const found = documentAt(text, line);
  if (!found) return { doc: undefined, offset: 0 };
  const key = `${found.textLine}\u0000${found.text}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const positions = useFastPositions ? fastPositions(found.text) : undefined;
  if (positions) {
    const lines = linesOf(found.text, positions);
    const located = { doc: undefined, lines, offset: found.textLine - 1 };
    remember(memo, key, located);
    return located;
  }
  // Only documents outside the fast reader's subset load `yaml` (~25-90 ms to import).
  const { LineCounter, parseDocument } = yamlModule();
  const lineCounter = new LineCounter();
  const doc = parseDocument(found.text, { lineCounter, uniqueKeys: false });
  const located = { doc, lineCounter, offset: found.textLine - 1 };
  remember(memo, key, located);
  return located;
}

/**
 * The document of `text` that holds `line` (the last one starting at or before it), as splitDocuments gives
 * it, lines absolute. Only the lines between the document markers around `line` are split: splitting every
 * file a diagnostic points into (a few hundred files of policies, once each) was most of the time of the
 * named-port warnings; a file's line starts and markers are found once, by a scan for newlines. Text the
 * short way cannot take exactly (a BOM, CR line ends, directives) is split whole, once.
 */
export function documentAt(text: string, line: number): Omit<DocumentText, 'index'> | undefined {
  const region = regionAt(text, line);
  if (region) {
    // No marker inside the region: it is one document, whose first content line must hold the line.
    const content = firstContentLine(text, region);
    if (content !== undefined && content <= line) return { line: content, textLine: region.line, text: text.slice(region.from, region.to) };
  }
  let docs = splits.get(text);
  if (!docs) {
    docs = splitDocuments(text);
    remember(splits, text, docs);
  }
  let found: DocumentText | undefined;
  for (const d of docs) {
    if (d.line <= line) found = d;
    else break;
  }
  return found;
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

/** Where a file's lines start, and its marker lines (1-based; `...` negated); undefined for unusual text. */
interface LineIndex {
  readonly starts: readonly number[];
  readonly markers: readonly number[];
}
const lineIndexes = new Map<string, LineIndex | undefined>();

function lineIndex(text: string): LineIndex | undefined {
  if (lineIndexes.has(text)) return lineIndexes.get(text);
  let index: LineIndex | undefined;
  // A BOM or CR line ends (normalised by the split), or a directive (`%YAML`, `%TAG`: part of the document after it).
  if (text.charCodeAt(0) !== 0xfeff && !text.includes('\r')) {
    const starts: number[] = [];
    const markers: number[] = [];
    for (let at = 0; at >= 0; ) {
      starts.push(at);
      const c = text.charCodeAt(at);
      if (c === 0x25) break;
      if ((c === 0x2d || c === 0x2e) && isMarker(text, at)) markers.push(c === 0x2d ? starts.length : -starts.length);
      const nl = text.indexOf('\n', at);
      at = nl < 0 ? -1 : nl + 1;
    }
    if (text.charCodeAt(starts[starts.length - 1]!) !== 0x25) index = { starts, markers };
  }
  remember(lineIndexes, text, index);
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
function regionAt(text: string, line: number): { from: number; to: number; line: number } | undefined {
  const index = line >= 1 ? lineIndex(text) : undefined;
  if (!index || line > index.starts.length) return undefined;
  let fromLine = 1;
  let to = text.length;
  for (const m of index.markers) {
    const n = Math.abs(m);
    if (n > line) {
      to = index.starts[n - 1]!;
      break;
    }
    if (m > 0) fromLine = n;
    else if (n === line) return undefined; // the line is a `...`
    else fromLine = n + 1;
  }
  return { from: index.starts[fromLine - 1]!, to, line: fromLine };
}

/** Offsets to 1-based lines. */
function linesOf(text: string, positions: ReadonlyMap<string, number>): Map<string, number> {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const out = new Map<string, number>();
  for (const [path, offset] of positions) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    out.set(path, lo + 1);
  }
  return out;
}

/**
 * `yaml` (~2 MB/s) is needed only for documents outside the fast reader's subset; the fast reader's positions
 * give the same lines (a test compares them). False in that test, to get `yaml`'s answer.
 */
let useFastPositions = true;
export function setFastPositions(enabled: boolean): void {
  useFastPositions = enabled;
  memo.clear();
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
