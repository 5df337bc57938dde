// A fast reader for the subset of YAML that real manifests use (kubectl, helm and kustomize output and
// plain hand-written files), a few times faster than js-yaml on them. It returns exactly what
// `yaml.load(text, { schema: MANIFEST_SCHEMA })` returns, or undefined when the text is outside the subset
// or anything about it is uncertain: the caller then parses with js-yaml, which also reports the errors.
//
// The subset, each part checked against js-yaml 4's loader (node_modules/js-yaml/lib/loader.js):
// - block mappings and block sequences, with any consistent indentation: compact `- key: v` items,
//   `- - x`, sequences at the same indent as their parent key (kubectl style);
// - plain scalars on one line, resolved as MANIFEST_SCHEMA does (CORE: null, bool, int, float, else
//   string); keys are String() of the resolved scalar, as in js-yaml;
// - single- and double-quoted scalars on one line (all of js-yaml's escapes);
// - literal and folded block scalars (`|`, `>`, chomping and indentation indicators) as mapping values and
//   sequence items;
// - flow collections on one line whose items are plain or quoted scalars: `{}`, `[]`, `[a, b]`, `{a: b}`;
// - comments (full-line, and trailing after a space), blank lines, a leading `---` line.
// Everything else gives undefined: tabs, CR, control characters, surrogates, BOM, directives, anchors,
// aliases, tags, merge keys, `?`/`:` explicit entries, multi-line plain or quoted scalars, multi-line flow
// collections, nested flow collections, a flow mapping in a sequence (`[a: b]`), duplicate keys, trailing
// commas, a `-` with its item on the next line, and any indentation js-yaml rejects or reads otherwise.

/** Thrown (and caught in fastLoad) to give up on a document. */
const FALLBACK = { fallback: true };

/** Characters never read here: js-yaml rejects some, and the others are too rare to be worth it. */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARS = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\u2028\u2029\uFEFF\uFFFE\uFFFF]/;

/**
 * The characters fastLoad never reads, U+FFFD (which parseFile looks for as well), and the white space that
 * JavaScript trims but YAML does not (U+00A0, U+3000...: sniffUnmodelled refuses it): a text without any
 * needs none of these checks, so a file is scanned once for all (see fastLoad's and sniffUnmodelled's
 * `charsChecked`).
 */
// eslint-disable-next-line no-control-regex
export const UNSUPPORTED_OR_REPLACEMENT_CHARS = /[\x00-\x09\x0B-\x1F\x7F-\xA0\u1680\u2000-\u200A\u202F\u205F\u3000\uD800-\uDFFF\u2028\u2029\uFEFF\uFFFD-\uFFFF]/;

/** js-yaml's maxDepth is 100 nested nodes; stay well clear of it. */
const MAX_DEPTH = 60;

const LF = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

// Parser state: one document at a time, synchronously.
let src = '';
let len = 0;
/** Start of the current content line, the column of its first non-space character, and its LF. */
let lineStart = 0;
let ind = 0;
let eol = 0;
/** The first `:` and the first `#` at or after colonFrom and hashFrom (len when none): searched once. */
let colonFrom = 0;
let colonPos = -1;
let hashFrom = 0;
let hashPos = -1;

/** The first `:` at or after `p`. */
function nextColon(p: number): number {
  if (colonFrom > p || colonPos < p) {
    colonFrom = p;
    colonPos = src.indexOf(':', p);
    if (colonPos < 0) colonPos = len;
  }
  return colonPos;
}

/** The first `#` at or after `p`. */
function nextHash(p: number): number {
  if (hashFrom > p || hashPos < p) {
    hashFrom = p;
    hashPos = src.indexOf('#', p);
    if (hashPos < 0) hashPos = len;
  }
  return hashPos;
}
/** skipToContent is looking for the first line, which may be a `---`. */
let atFirstLine = false;
/** No content line is left. */
let atEnd = false;
/** Set by tryKey: the position just after the key's `:`. */
let afterColon = 0;

function fail(): never {
  throw FALLBACK;
}

/**
 * Parses one YAML document (as split by splitDocuments) and returns what js-yaml returns for it, or
 * undefined when the text is outside the supported subset (including empty documents and YAML errors).
 *
 * The value is compact, as the parse cache keeps it: its strings are their own (see `own`: none is a view
 * into the text), and its lists are no longer than their items.
 */
export function fastLoad(docText: string, charsChecked = false): unknown | undefined {
  // charsChecked: the caller found none of UNSUPPORTED_OR_REPLACEMENT_CHARS in a text holding this one.
  if (!charsChecked && UNSUPPORTED_CHARS.test(docText)) return undefined;
  src = docText.charCodeAt(docText.length - 1) === LF ? docText : docText + '\n';
  len = src.length;
  colonPos = hashPos = -1;
  top = 0;
  try {
    return loadRoot();
  } catch (e) {
    if (e === FALLBACK) return undefined;
    throw e;
  } finally {
    src = ''; // do not keep the text alive
    items.length = top = 0; // nor the values
  }
}

/**
 * A string of its own. Values are cut out of the document text, and V8 keeps such a cut (13 characters or
 * more) as a view of the whole text: one label value would keep the document's (or, as documents are cut
 * out of their file, the file's) whole text alive for as long as the parse cache holds the file. The
 * concatenation is copied out whole when cut again, and nothing then points into the text.
 */
export function own(s: string): string {
  // A join writes one flat string: `(' ' + s).slice(1)` would keep a view (32 bytes) of a copy, 40 % more
  // per string (measured).
  return s.length < 13 ? s : [s.slice(0, 1), s.slice(1)].join('');
}


/**
 * The items of the lists, and the keys and values of the maps, being read, innermost last: a list is copied
 * out of here once complete, at its length (a list grown item by item keeps room for 17), and a map made
 * once its size is known (see takeMapping).
 */
const items: unknown[] = [];
/**
 * The number of items in use: `items` itself is only cut back once a document is read (setting an array's
 * length to 0 drops its storage, and each next item grew it again: a measurable cost).
 */
let top = 0;

function pushItem(v: unknown): void {
  items[top++] = v;
}

/**
 * Where each field and list item of one document starts, for diagnostics' lines: the offset of a field's key
 * and of a list item's content, by path (keys and indexes joined with U+0001; control characters never reach
 * here). Undefined when the text is outside the subset (then `yaml` finds the lines).
 *
 * With `want` (a path's keys), only that path and its ancestors are recorded: the document is read whole
 * all the same (it must be in the subset), but no other path is joined or stored.
 */
export function fastPositions(docText: string, want?: readonly string[]): Map<string, number> | undefined {
  positions = new Map();
  pathStack.length = 0;
  wanted = want;
  try {
    return fastLoad(docText) === undefined ? undefined : positions;
  } finally {
    positions = undefined;
    wanted = undefined;
    pathStack.length = 0;
  }
}

/** Set while fastPositions runs. */
let positions: Map<string, number> | undefined;
/** Set while fastPositions runs for one path only: its keys. */
let wanted: readonly string[] | undefined;
/**
 * The joined path of each open field or item, so entering one more costs one concatenation, not a join of the
 * stack; null off the wanted path.
 */
const pathStack: (string | null)[] = [];

function enter(key: string | number, offset: number): void {
  const depth = pathStack.length;
  const parent = depth === 0 ? '' : pathStack[depth - 1]!;
  if (wanted !== undefined && (parent === null || depth >= wanted.length || String(key) !== wanted[depth])) {
    pathStack.push(null);
    return;
  }
  const path = depth === 0 ? String(key) : `${parent}\u0001${key}`;
  pathStack.push(path);
  positions!.set(path, offset);
}

function loadRoot(): unknown {
  atFirstLine = true;
  skipToContent(0);
  atFirstLine = false;
  if (atEnd) fail();
  if (ind === 0 && src.startsWith('---', lineStart)) {
    // js-yaml takes any `---` at the start of the document for a marker, even without a space after it.
    if (!isDocumentMarker(lineStart)) fail();
    const q = skipSpaces(lineStart + 3);
    if (src.charCodeAt(q) !== LF && src.charCodeAt(q) !== HASH) fail(); // content after the marker
    skipToContent(nextLine(q));
    if (atEnd) fail();
  }
  if (ind === 0 && isDocumentMarker(lineStart)) fail(); // `...`
  // js-yaml composes the root with the parent indent one less than the first line's.
  const value = parseNode(lineStart + ind, ind - 1, 1, false);
  if (!atEnd) fail();
  return value;
}

/** A `---` or `...` line (loader.js testDocumentSeparator; no tabs here). */
function isDocumentMarker(p: number): boolean {
  const c = src.charCodeAt(p);
  if ((c !== DASH && c !== 0x2e) || src.charCodeAt(p + 1) !== c || src.charCodeAt(p + 2) !== c) return false;
  const n = src.charCodeAt(p + 3);
  return n === SPACE || n === LF;
}

/** Moves to the first line at or after `from` that holds content (not blank, not only a comment). */
function skipToContent(from: number): void {
  const s = src;
  let p = from;
  while (p < len) {
    const start = p;
    let c = s.charCodeAt(p);
    while (c === SPACE) c = s.charCodeAt(++p);
    if (c === LF) {
      p++;
      continue;
    }
    if (c === HASH) {
      p = s.indexOf('\n', p) + 1;
      continue;
    }
    if (p === start && (c === DASH || c === 0x2e) && !atFirstLine && isDocumentMarker(p)) fail(); // `---`, `...`
    lineStart = start;
    ind = p - start;
    eol = s.indexOf('\n', p);
    atEnd = false;
    return;
  }
  atEnd = true;
}

/** The start of the line after the one `p` is on. */
function nextLine(p: number): number {
  return src.indexOf('\n', p) + 1;
}

function skipSpaces(p: number): number {
  const s = src;
  while (s.charCodeAt(p) === SPACE) p++;
  return p;
}

/** The start of the next line when the rest of the line from `p` is blank or a comment after a space. */
function afterEmptyRest(p: number): number {
  const q = skipSpaces(p);
  const c = src.charCodeAt(q);
  if (c === LF) return q + 1;
  if (c === HASH && q > p) return nextLine(q);
  return fail();
}

/**
 * A node that starts at `p` on the current line, where a block collection may start (a fresh line, or
 * after `- `). `parentIndent` is js-yaml's for this node. On return the cursor is on the next content line.
 */
function parseNode(p: number, parentIndent: number, depth: number, blockScalarAllowed: boolean): unknown {
  if (depth > MAX_DEPTH) fail();
  const c = src.charCodeAt(p);
  if (c === DASH) {
    const n = src.charCodeAt(p + 1);
    if (n === SPACE || n === LF) return parseSequence(p, depth);
  }
  const key = tryKey(p);
  if (key !== undefined) return parseMapping(p, key, depth);
  if (plainEnd < 0) return parseInline(p, parentIndent, depth, blockScalarAllowed);
  // A plain scalar, already scanned by tryKey.
  const text = valueText(p, plainEnd);
  skipToContent(src.charCodeAt(scanEnd) === LF ? scanEnd + 1 : nextLine(scanEnd));
  return MAYBE_TYPED[c] ? resolvePlain(text) : text;
}

/** A block sequence whose first `-` is at `p` on the current line. */
function parseSequence(p: number, depth: number): unknown[] {
  const col = p - lineStart;
  const base = top;
  for (;;) {
    // At a `-` followed by a space or LF.
    const q = skipSpaces(p + 1);
    const c = src.charCodeAt(q);
    if (c === LF || c === HASH) fail(); // the item on the next lines, or null
    if (positions) enter(top - base, q);
    const item = parseNode(q, col, depth + 1, true);
    pushItem(item);
    if (positions) pathStack.pop();
    if (atEnd || ind < col) break;
    if (ind > col) fail();
    p = lineStart + ind;
    if (src.charCodeAt(p) !== DASH) break; // the parent mapping's next key (kubectl style)
    const n = src.charCodeAt(p + 1);
    if (n !== SPACE && n !== LF) break;
  }
  return takeItems(base);
}

/** The items from `base` on, as a list of their own, taken off `items`. */
function takeItems(base: number): unknown[] {
  const out = items.slice(base, top);
  top = base;
  return out;
}

/** A block mapping whose first key, already read, starts at `p` on the current line. */
function parseMapping(p: number, firstKey: string, depth: number): Record<string, unknown> {
  const col = p - lineStart;
  const base = top;
  let key: string | undefined = firstKey;
  let keyAt = p;
  for (;;) {
    let value: unknown;
    if (positions) enter(key, keyAt);
    const q = skipSpaces(afterColon);
    const c = src.charCodeAt(q);
    if (c === LF || c === HASH) {
      // The value is on the next lines: more indented, a sequence at the same indent, or null.
      skipToContent(c === LF ? q + 1 : nextLine(q));
      if (atEnd) value = null;
      else if (ind > col) value = parseNode(lineStart + ind, col, depth + 1, false);
      else if (ind === col && src.charCodeAt(lineStart + ind) === DASH && isSpaceOrLf(src.charCodeAt(lineStart + ind + 1))) {
        value = parseSequence(lineStart + ind, depth + 1);
      } else value = null;
    } else {
      value = parseInline(q, col, depth + 1, true);
    }
    pushItem(key);
    pushItem(value);
    if (positions) pathStack.pop();
    if (atEnd || ind < col) return takeMapping(base);
    if (ind > col) fail();
    keyAt = lineStart + ind;
    key = tryKey(keyAt);
    if (key === undefined) fail();
  }
}

function isSpaceOrLf(c: number): boolean {
  return c === SPACE || c === LF;
}

/**
 * The keys and values from `base` on (key, value, key, value...), as a map taken off `items`. A map of up to
 * 10 fields is made with room for exactly its fields (see SIZED); the fields are set in the order read.
 */
function takeMapping(base: number): Record<string, unknown> {
  const end = top;
  const n = (end - base) >> 1;
  if (n >= SIZED.length) {
    const out: Record<string, unknown> = {};
    for (let i = base; i < end; i += 2) setKey(out, items[i] as string, items[i + 1]);
    top = base;
    return out;
  }
  const out = new SIZED[n]!();
  for (let i = base; i < end; i += 2) {
    const key = items[i] as string;
    // A duplicate key (few keys: compared with the ones before, cheaper than a lookup in the map).
    for (let j = base; j < i; j += 2) if (items[j] === key) fail();
    if (key === '__proto__') setKey(out, key, items[i + 1]);
    else out[key] = items[i + 1];
  }
  top = base;
  return out;
}

/**
 * Constructors of plain maps (prototype Object.prototype, as `{}`) with room for exactly 0, 1... 10 fields:
 * V8 gives `{}` room for 4 fields in the object, and more in a separate array, where a constructor's objects
 * get exactly the room its first objects used (in-object slack tracking). The parsed documents are kept (the
 * parse cache), most of their maps have 1 to 3 fields, and the garbage collector copies each of them: at the
 * medium bench tier this is a sixth of a parsed document's memory (measured).
 */
const SIZED: (new () => Record<string, unknown>)[] = [];
for (let n = 0; n <= 10; n++) SIZED.push(plainMapConstructor());

function plainMapConstructor(): new () => Record<string, unknown> {
  // One function per size: slack tracking sizes the objects of each by the fields they get.
  const PlainMap = function PlainMap(): void {};
  PlainMap.prototype = Object.prototype;
  return PlainMap as unknown as new () => Record<string, unknown>;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    if (Object.prototype.hasOwnProperty.call(obj, key)) fail();
    Object.defineProperty(obj, key, { configurable: true, enumerable: true, writable: true, value });
    return;
  }
  if (obj[key] !== undefined && Object.prototype.hasOwnProperty.call(obj, key)) fail(); // duplicate key
  obj[key] = value;
}

/**
 * Set by tryKey when the line is a plain scalar and no key: the end of the scalar, and where the scan
 * stopped (its LF, or the `#` of a comment). plainEnd is -1 otherwise.
 */
let plainEnd = -1;
let scanEnd = 0;

/**
 * The implicit key at `p` when the line holds `key: ...` (`key` plain or quoted, `:` followed by a space or
 * the end of the line), with afterColon set; undefined when the line is not a mapping entry.
 */
function tryKey(p: number): string | undefined {
  const c = src.charCodeAt(p);
  plainEnd = -1;
  if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
    const s = c === 0x22 ? readDoubleQuoted(p) : readSingleQuoted(p);
    const q = skipSpaces(quotedEnd);
    if (src.charCodeAt(q) !== COLON || !isSpaceOrLf(src.charCodeAt(q + 1))) return undefined;
    afterColon = q + 1;
    return s;
  }
  if (!isPlainStart(c, src.charCodeAt(p + 1))) return undefined;
  // Fast path: the first `:` of the line ends the key, or there is none, and no `#` on the line.
  if (nextHash(p) > eol) {
    const colon = nextColon(p);
    if (colon > eol) {
      let end = eol;
      while (src.charCodeAt(end - 1) === SPACE) end--;
      plainEnd = end;
      scanEnd = eol;
      return undefined;
    }
    const n = src.charCodeAt(colon + 1);
    if ((n === SPACE || n === LF) && src.charCodeAt(colon - 1) !== SPACE) {
      afterColon = colon + 1;
      const text = keyText(p, colon);
      if (!MAYBE_TYPED[c]) return text;
      if (text === '<<') fail(); // merge key
      return String(resolvePlain(text));
    }
  }
  let last = p; // last non-space character
  for (let i = p + 1; ; i++) {
    const ch = src.charCodeAt(i);
    if (ch === LF) {
      plainEnd = last + 1;
      scanEnd = i;
      return undefined;
    }
    if (ch === COLON) {
      const n = src.charCodeAt(i + 1);
      if (n === SPACE || n === LF) {
        afterColon = i + 1;
        const text = keyText(p, last + 1);
        if (!MAYBE_TYPED[c]) return text;
        if (text === '<<') fail(); // merge key
        return String(resolvePlain(text));
      }
    } else if (ch === HASH) {
      if (src.charCodeAt(i - 1) === SPACE) {
        plainEnd = last + 1;
        scanEnd = i;
        return undefined;
      }
    }
    if (ch !== SPACE) last = i;
  }
}

/**
 * Keys seen recently, internalized, by a hash of their length and a few characters. A property store with a
 * key V8 has not internalized yet looks it up in its string table first (hashing it): the same few keys recur
 * in every manifest, so handing V8 the internalized string instead makes the parse much faster.
 */
const KEYS: string[] = new Array<string>(4096).fill('');

function keyText(start: number, end: number): string {
  const s = src;
  const n = end - start;
  const h = (n * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(end - 1) * 131 + s.charCodeAt(start + (n >> 1)) * 17) & 4095;
  const hit = KEYS[h] as string;
  if (hit.length === n && s.startsWith(hit, start)) return hit;
  const key = internalized(s.slice(start, end));
  KEYS[h] = key;
  return key;
}

/**
 * Short values seen recently, by a hash of their length and a few characters (as KEYS): manifests repeat the
 * same few values (`TCP`, `Ingress`, an app's name in its labels, selectors and policies), and one string
 * for all of them is a fifth less memory for a parsed document (measured at the medium bench tier: 320,000
 * values under 13 characters, 19,000 distinct; 108,000 longer, 33,000 distinct). Longer values are owned
 * copies (see `own`), not looked up.
 */
const VALUES: string[] = new Array<string>(8192).fill('');

/**
 * The text [start, end) of the document as a string of its own (see `own`), shared with equal values of up
 * to 32 characters.
 */
function valueText(start: number, end: number): string {
  const s = src;
  const n = end - start;
  if (n > 32 || n === 0) return own(s.slice(start, end));
  const h =
    (n * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(end - 1) * 131 + s.charCodeAt(end - 2) * 1031 + s.charCodeAt(start + (n >> 1)) * 17) &
    8191;
  const hit = VALUES[h] as string;
  if (hit.length === n && s.startsWith(hit, start)) return hit;
  const value = own(s.slice(start, end));
  VALUES[h] = value;
  return value;
}

/** The internalized copy of `s`: property names are internalized. */
function internalized(s: string): string {
  const o: Record<string, number> = Object.create(null) as Record<string, number>;
  o[s] = 0;
  for (const name in o) return name;
  return s;
}

/**
 * Whether a plain scalar may start with `c` (followed by `n`) in block context (loader.js readPlainScalar).
 * A `:` followed by a space is refused too: it reads as an empty scalar there.
 */
function isPlainStart(c: number, n: number): boolean {
  if (c >= 0x80) return true;
  if (!PLAIN_START[c]) return false;
  if (c === DASH || c === 0x3f /* ? */ || c === COLON) return !isSpaceOrLf(n);
  return true;
}

/** Character tables, by code (indexes past the end read as undefined: false). */
const charTable = (chars: string): Uint8Array => {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
};
/** The characters a number can start with. */
const NUMBER_START = charTable('0123456789+-.');
/** The characters a plain scalar can start with (loader.js readPlainScalar), but `-`, `?` and `:` */
const PLAIN_START = new Uint8Array(128).map((_, i) => (i > SPACE && i !== 0x7f && !',[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(i)) ? 1 : 0));
/** The first characters of the plain scalars that may not be strings (null, bool, int, float, merge). */
const MAYBE_TYPED = charTable('0123456789+-.~nNtTfF<');

/**
 * A node that fits on the rest of the line from `p` (a scalar or a flow collection), or a block scalar. On
 * return the cursor is on the next content line.
 */
function parseInline(p: number, parentIndent: number, depth: number, blockScalarAllowed: boolean): unknown {
  const c = src.charCodeAt(p);
  let value: unknown;
  let end: number;
  if (c === 0x22 /* " */) {
    value = readDoubleQuoted(p);
    end = quotedEnd;
  } else if (c === 0x27 /* ' */) {
    value = readSingleQuoted(p);
    end = quotedEnd;
  } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
    if (depth + 1 > MAX_DEPTH) fail();
    value = c === 0x5b ? readFlowSequence(p) : readFlowMapping(p);
    end = quotedEnd;
  } else if (c === 0x7c /* | */ || c === 0x3e /* > */) {
    if (!blockScalarAllowed) fail();
    return readBlockScalar(p, parentIndent + 1);
  } else {
    if (!isPlainStart(c, src.charCodeAt(p + 1))) fail();
    if (nextHash(p) > eol && nextColon(p) > eol) {
      // Fast path: no `:` and no `#` up to the end of the line.
      let end = eol;
      while (src.charCodeAt(end - 1) === SPACE) end--;
      const text = valueText(p, end);
      skipToContent(eol + 1);
      return MAYBE_TYPED[c] ? resolvePlain(text) : text;
    }
    let last = p;
    let i = p + 1;
    for (; ; i++) {
      const ch = src.charCodeAt(i);
      if (ch === LF) break;
      if (ch === COLON) {
        if (isSpaceOrLf(src.charCodeAt(i + 1))) fail(); // `a: b: c`
      } else if (ch === HASH) {
        if (src.charCodeAt(i - 1) === SPACE) break;
      }
      if (ch !== SPACE) last = i;
    }
    const text = valueText(p, last + 1);
    value = MAYBE_TYPED[c] ? resolvePlain(text) : text;
    skipToContent(src.charCodeAt(i) === LF ? i + 1 : nextLine(i));
    return value;
  }
  skipToContent(afterEmptyRest(end));
  return value;
}

/** Set by the quoted and flow readers: the position just after the closing character. */
let quotedEnd = 0;

function readSingleQuoted(p: number): string {
  const eol = src.indexOf('\n', p);
  let out = '';
  let start = p + 1;
  for (;;) {
    const q = src.indexOf("'", start);
    if (q < 0 || q > eol) fail(); // multi-line
    if (src.charCodeAt(q + 1) === 0x27) {
      out += src.slice(start, q + 1);
      start = q + 2;
      continue;
    }
    quotedEnd = q + 1;
    return out === '' ? valueText(start, q) : own(out + src.slice(start, q));
  }
}

function readDoubleQuoted(p: number): string {
  const eol = src.indexOf('\n', p);
  const close = src.indexOf('"', p + 1);
  if (close < 0 || close > eol) fail();
  const bs = src.indexOf('\\', p + 1);
  if (bs < 0 || bs > close) {
    quotedEnd = close + 1;
    return valueText(p + 1, close);
  }
  // With escapes (loader.js readDoubleQuotedScalar).
  let out = '';
  let start = p + 1;
  let i = p + 1;
  for (;;) {
    const ch = src.charCodeAt(i);
    if (ch === LF) fail();
    if (ch === 0x22) {
      quotedEnd = i + 1;
      return own(out + src.slice(start, i));
    }
    if (ch !== 0x5c) {
      i++;
      continue;
    }
    out += src.slice(start, i);
    const e = src.charCodeAt(i + 1);
    const simple = e < 128 ? SIMPLE_ESCAPES[e] : undefined;
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else {
      const n = e === 0x78 /* x */ ? 2 : e === 0x75 /* u */ ? 4 : e === 0x55 /* U */ ? 8 : 0;
      if (n === 0) fail(); // unknown escape, or a line break
      let code = 0;
      for (let k = 0; k < n; k++) {
        const h = hexValue(src.charCodeAt(i + 2 + k));
        if (h < 0) fail();
        code = code * 16 + h;
      }
      if (code > 0x10ffff) fail();
      out += String.fromCodePoint(code);
      i += 2 + n;
    }
    start = i;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

const SIMPLE_ESCAPES: (string | undefined)[] = [];
for (const [ch, s] of [
  ['0', '\x00'], ['a', '\x07'], ['b', '\x08'], ['t', '\x09'], ['n', '\x0A'], ['v', '\x0B'], ['f', '\x0C'],
  ['r', '\x0D'], ['e', '\x1B'], [' ', ' '], ['"', '"'], ['/', '/'], ['\\', '\\'], ['N', '\x85'],
  ['_', '\xA0'], ['L', '\u2028'], ['P', '\u2029'],
] as const) {
  SIMPLE_ESCAPES[ch.charCodeAt(0)] = s;
}

/** `[a, 'b', "c"]` on one line: items plain or quoted, none empty, no pairs, no nesting. */
function readFlowSequence(p: number): unknown[] {
  let i = skipSpaces(p + 1);
  if (src.charCodeAt(i) === 0x5d /* ] */) {
    quotedEnd = i + 1;
    return [];
  }
  const base = top;
  for (;;) {
    i = readFlowScalar(i);
    pushItem(flowValue);
    i = skipSpaces(i);
    const c = src.charCodeAt(i);
    if (c === 0x5d) {
      quotedEnd = i + 1;
      return takeItems(base);
    }
    if (c !== 0x2c /* , */) fail();
    i = skipSpaces(i + 1);
  }
}

/** `{a: b, 'c': "d"}` on one line: keys and values plain or quoted, none empty, no nesting. */
function readFlowMapping(p: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = skipSpaces(p + 1);
  if (src.charCodeAt(i) === 0x7d /* } */) {
    quotedEnd = i + 1;
    return out;
  }
  for (;;) {
    i = readFlowScalar(i);
    if (flowPlain && flowText === '<<') fail();
    const key = String(flowValue);
    if (src.charCodeAt(i) !== COLON || src.charCodeAt(i + 1) !== SPACE) fail();
    i = readFlowScalar(skipSpaces(i + 1));
    setKey(out, key, flowValue);
    i = skipSpaces(i);
    const c = src.charCodeAt(i);
    if (c === 0x7d) {
      quotedEnd = i + 1;
      return out;
    }
    if (c !== 0x2c /* , */) fail();
    i = skipSpaces(i + 1);
  }
}

/** Set by readFlowScalar: the scalar's value, and for a plain one its text. */
let flowValue: unknown = null;
let flowPlain = false;
let flowText = '';

/** A plain or quoted scalar in a flow collection at `i`; returns the position after it. */
function readFlowScalar(i: number): number {
  const c = src.charCodeAt(i);
  if (c === 0x22 || c === 0x27) {
    flowValue = c === 0x22 ? readDoubleQuoted(i) : readSingleQuoted(i);
    flowPlain = false;
    return quotedEnd;
  }
  const n = src.charCodeAt(i + 1);
  // In a flow collection `-`, `?` and `:` cannot start a plain scalar before a flow indicator either.
  if (!isPlainStart(c, n) || ((c === DASH || c === 0x3f || c === COLON) && FLOW_INDICATOR[n])) fail();
  let last = i;
  let k = i + 1;
  for (; ; k++) {
    const ch = src.charCodeAt(k);
    if (ch === LF) fail();
    if (FLOW_INDICATOR[ch]) break;
    if (ch === COLON) {
      const m = src.charCodeAt(k + 1);
      if (m === SPACE || m === LF || FLOW_INDICATOR[m]) break;
    } else if (ch === HASH && src.charCodeAt(k - 1) === SPACE) fail(); // a comment inside the collection
    if (ch !== SPACE) last = k;
  }
  const c2 = src.charCodeAt(k);
  if (c2 === 0x5b || c2 === 0x7b) fail(); // nested collection
  flowText = valueText(i, last + 1);
  flowPlain = true;
  flowValue = MAYBE_TYPED[c] ? resolvePlain(flowText) : flowText;
  return last + 1;
}

const FLOW_INDICATOR = charTable(',[]{}');

/**
 * A literal (`|`) or folded (`>`) block scalar whose indicator is at `p`; `nodeIndent` is the indent
 * js-yaml gives it (parent's + 1). A port of loader.js readBlockScalar; the cursor ends on the next content
 * line.
 */
function readBlockScalar(p: number, nodeIndent: number): string {
  const folding = src.charCodeAt(p) === 0x3e;
  let chomping = 1; // 1 clip, 2 strip, 3 keep
  let detectedIndent = false;
  let textIndent = nodeIndent;
  let emptyLines = 0;
  let atMoreIndented = false;
  let didReadContent = false;
  let i = p + 1;
  for (;; i++) {
    const ch = src.charCodeAt(i);
    if (ch === 0x2b /* + */ || ch === DASH) {
      if (chomping !== 1) fail();
      chomping = ch === 0x2b ? 3 : 2;
    } else if (ch >= 0x31 && ch <= 0x39) {
      if (detectedIndent) fail();
      textIndent = nodeIndent + (ch - 0x30) - 1;
      detectedIndent = true;
    } else break;
  }
  i = skipSpaces(i);
  if (src.charCodeAt(i) === HASH) {
    if (src.charCodeAt(i - 1) !== SPACE) fail();
    i = src.indexOf('\n', i);
  }
  if (src.charCodeAt(i) !== LF) fail();
  let result = '';
  // `i` is at the LF that ends the previous line.
  for (;;) {
    i++;
    const start = i;
    let lineIndent = 0;
    while ((!detectedIndent || lineIndent < textIndent) && src.charCodeAt(i) === SPACE) {
      lineIndent++;
      i++;
    }
    if (!detectedIndent && lineIndent > textIndent) textIndent = lineIndent;
    const ch = i < len ? src.charCodeAt(i) : 0;
    if (ch === LF) {
      emptyLines++;
      continue;
    }
    if (!detectedIndent && textIndent === 0) fail();
    if (lineIndent < textIndent) {
      if (chomping === 3) result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
      else if (chomping === 1 && didReadContent) result += '\n';
      skipToContent(start);
      return own(result);
    }
    if (folding) {
      if (ch === SPACE) {
        atMoreIndented = true;
        result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
      } else if (atMoreIndented) {
        atMoreIndented = false;
        result += '\n'.repeat(emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didReadContent) result += ' ';
      } else {
        result += '\n'.repeat(emptyLines);
      }
    } else {
      result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
    }
    didReadContent = true;
    detectedIndent = true;
    emptyLines = 0;
    const end = src.indexOf('\n', i);
    result += src.slice(i, end);
    i = end;
  }
}

// ---- Scalar resolution: MANIFEST_SCHEMA's implicit types, in js-yaml's order (lib/type/*.js). ----

/** The value of a plain scalar: null, bool, int, float, or the text itself (`<<` included). */
function resolvePlain(s: string): unknown {
  const n = s.length;
  const c = s.charCodeAt(0);
  // null
  if ((n === 1 && c === 0x7e) || (n === 4 && (s === 'null' || s === 'Null' || s === 'NULL'))) return null;
  // bool
  if (n === 4 && (s === 'true' || s === 'True' || s === 'TRUE')) return true;
  if (n === 5 && (s === 'false' || s === 'False' || s === 'FALSE')) return false;
  if (!NUMBER_START[c]) return s; // ints and floats start with a digit, a sign or a dot
  if (isYamlInt(s)) return parseYamlInt(s);
  if (isYamlFloat(s)) return constructYamlFloat(s);
  return s;
}

function isYamlInt(data: string): boolean {
  const max = data.length;
  let index = 0;
  let hasDigits = false;
  if (!max) return false;
  let ch = data[index];
  if (ch === '-' || ch === '+') ch = data[++index];
  if (ch === '0') {
    if (index + 1 === max) return true;
    ch = data[++index];
    if (ch === 'b' || ch === 'x' || ch === 'o') {
      const digit = ch === 'b' ? /[01]/ : ch === 'x' ? /[0-9A-Fa-f]/ : /[0-7]/;
      index++;
      for (; index < max; index++) {
        if (!digit.test(data[index] as string)) return false;
        hasDigits = true;
      }
      return hasDigits && isFinite(parseYamlInt(data));
    }
  }
  for (; index < max; index++) {
    const d = data.charCodeAt(index);
    if (d < 0x30 || d > 0x39) return false;
    hasDigits = true;
  }
  if (!hasDigits) return false;
  return isFinite(parseYamlInt(data));
}

function parseYamlInt(data: string): number {
  let value = data;
  let sign = 1;
  let ch = value[0];
  if (ch === '-' || ch === '+') {
    if (ch === '-') sign = -1;
    value = value.slice(1);
    ch = value[0];
  }
  if (value === '0') return 0;
  if (ch === '0') {
    if (value[1] === 'b') return sign * parseInt(value.slice(2), 2);
    if (value[1] === 'x') return sign * parseInt(value.slice(2), 16);
    if (value[1] === 'o') return sign * parseInt(value.slice(2), 8);
  }
  return sign * parseInt(value, 10);
}

const YAML_FLOAT_PATTERN =
  /^(?:[-+]?(?:[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const YAML_FLOAT_SPECIAL_PATTERN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function isYamlFloat(data: string): boolean {
  if (!YAML_FLOAT_PATTERN.test(data)) return false;
  if (isFinite(parseFloat(data))) return true;
  return YAML_FLOAT_SPECIAL_PATTERN.test(data);
}

function constructYamlFloat(data: string): number {
  let value = data.toLowerCase();
  const sign = value[0] === '-' ? -1 : 1;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  if (value === '.inf') return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (value === '.nan') return NaN;
  return sign * parseFloat(value);
}
