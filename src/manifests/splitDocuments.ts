// Splits a YAML stream into its documents before parsing, so that each document is parsed (and fails)
// on its own: one broken document must not hide the others, and every error line must be absolute.

/** One document of a YAML stream. */
export interface DocumentText {
  /** 0-based index among the non-empty documents of the file. */
  readonly index: number;
  /** 1-based line of the document's first content line (the `---` line when content follows it). */
  readonly line: number;
  /** 1-based line of `text`'s first line in the file: add a 0-based parser line to get an absolute one. */
  readonly textLine: number;
  /** The document's text, directives and `---` marker included, LF line ends. */
  readonly text: string;
}

/**
 * Splits `text` into documents. A `---` or `...` at column 0 always ends a document (YAML forbids either
 * inside content), whatever comes before. Comment-only and empty documents are dropped: kubectl ignores
 * them too. A BOM and CRLF line ends are accepted (kubectl does).
 *
 * Lines are scanned in place (no array of lines): a document's text is a cut of the file's, with any lines
 * before its `---` blanked (directives kept) so that parser lines stay absolute, and trailing empty lines
 * dropped.
 */
export function splitDocuments(text: string): DocumentText[] {
  const s = normaliseText(text);
  const n = s.length;
  const docs: DocumentText[] = [];
  // A comment with a U+2028/U+2029 in it is content to the line rule (`.` stops at them): checked then.
  const lineSeparators = /[\u2028\u2029]/.test(s);
  let chunkStart = -1; // offset of the chunk's first line; -1: no chunk
  let chunkLine = 1;
  let blankEnd = -1; // lines of the chunk before this offset are blanked (directives kept); -1: none
  let contentLine = 0; // 0: no content yet in the current chunk
  let lastEnd = 0; // end (exclusive, before its LF) of the chunk's last non-empty line

  const flush = (): void => {
    if (contentLine > 0) {
      const from = blankEnd >= 0 ? blankEnd : chunkStart;
      // The document's cut, ending with its last non-empty line's LF (added when the file lacks one).
      let body = lastEnd < n ? s.slice(from, lastEnd + 1) : s.slice(from, lastEnd) + '\n';
      if (blankEnd >= 0) body = blanked(s, chunkStart, blankEnd) + body;
      docs.push({ index: docs.length, line: contentLine, textLine: chunkLine, text: body });
    }
    chunkStart = -1;
    blankEnd = -1;
    contentLine = 0;
  };

  let lineNo = 0;
  for (let p = 0; p <= n; ) {
    lineNo++;
    let e = s.indexOf('\n', p);
    if (e < 0) e = n;
    // -1 past the end (the empty line after a final LF): reading there made the optimised code bail out.
    const c = p < n ? s.charCodeAt(p) : -1;
    if (c === 0x2d /* - */ && isMarker(s, p, e, 0x2d)) {
      if (contentLine > 0) {
        flush();
        chunkStart = p;
        chunkLine = lineNo;
      } else {
        // Nothing but comments, blanks or directives so far: keep the directives (they belong to the
        // document this marker opens) and blank the rest, so that parser lines stay absolute.
        if (chunkStart < 0) {
          chunkStart = p;
          chunkLine = lineNo;
        } else blankEnd = p;
      }
      lastEnd = e;
      if (contentAfterMarker(s, p + 3, e)) contentLine = lineNo;
    } else if (c === 0x2e /* . */ && isMarker(s, p, e, 0x2e)) {
      flush();
      chunkLine = lineNo + 1;
    } else {
      if (chunkStart < 0) {
        chunkStart = p;
        chunkLine = lineNo;
      }
      if (e > p) lastEnd = e;
      if (contentLine === 0 && c !== 0x25 /* % */ && !blankOrComment(s, p, e, lineSeparators)) contentLine = lineNo;
    }
    if (e === n) break;
    p = e + 1;
  }
  flush();
  return docs;
}

/** Whether the line [p, e) is `---` or `...` (per `ch`) followed by a space, a tab or its end. */
function isMarker(s: string, p: number, e: number, ch: number): boolean {
  if (e - p < 3 || s.charCodeAt(p + 1) !== ch || s.charCodeAt(p + 2) !== ch) return false;
  if (e === p + 3) return true;
  const t = s.charCodeAt(p + 3);
  return t === 0x20 || t === 0x09;
}

/** Whether the rest [q, e) of a `---` line holds content: spaces or tabs, then neither `#` nor space. */
function contentAfterMarker(s: string, q: number, e: number): boolean {
  let i = q;
  while (i < e && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  if (i === q || i === e) return false;
  return !/[#\s]/.test(s[i]!);
}

/**
 * Whether the line [p, e) is blank or a comment: spaces and tabs, then nothing or `#` (and, when the text
 * has line separators, none of them after it: `/^[ \t]*(?:#.*)?$/`).
 */
function blankOrComment(s: string, p: number, e: number, lineSeparators: boolean): boolean {
  let i = p;
  while (i < e && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  if (i === e) return true;
  if (s.charCodeAt(i) !== 0x23) return false;
  return !lineSeparators || !/[\u2028\u2029]/.test(s.slice(i, e));
}

/** The lines [from, to) of `s` (to: a line start), each blanked but directives (`%...`). */
function blanked(s: string, from: number, to: number): string {
  let out = '';
  for (let p = from; p < to; ) {
    const e = s.indexOf('\n', p);
    out += s.charCodeAt(p) === 0x25 ? s.slice(p, e + 1) : '\n';
    p = e + 1;
  }
  return out;
}

/** Strips a BOM and turns CRLF into LF; line numbers are unchanged. */
export function normaliseText(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}
