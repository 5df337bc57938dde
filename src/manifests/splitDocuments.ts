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

const START = /^---(?:[ \t]|$)/;
const END = /^\.\.\.(?:[ \t]|$)/;
const CONTENT_AFTER_MARKER = /^---[ \t]+[^#\s]/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

/**
 * Splits `text` into documents. A `---` or `...` at column 0 always ends a document (YAML forbids either
 * inside content), whatever comes before. Comment-only and empty documents are dropped: kubectl ignores
 * them too. A BOM and CRLF line ends are accepted (kubectl does).
 */
export function splitDocuments(text: string): DocumentText[] {
  const lines = normaliseText(text).split('\n');
  const docs: DocumentText[] = [];
  let chunk: string[] = [];
  let chunkLine = 1;
  let contentLine = 0; // 0: no content yet in the current chunk

  const flush = (): void => {
    while (chunk.length > 0 && chunk[chunk.length - 1] === '') chunk.pop(); // trailing blanks add nothing
    if (contentLine > 0) {
      docs.push({ index: docs.length, line: contentLine, textLine: chunkLine, text: chunk.join('\n') + '\n' });
    }
    chunk = [];
    contentLine = 0;
  };

  lines.forEach((l, i) => {
    const lineNo = i + 1;
    if (START.test(l)) {
      if (contentLine > 0) {
        flush();
        chunkLine = lineNo;
      } else {
        // Nothing but comments, blanks or directives so far: keep the directives (they belong to the
        // document this marker opens) and blank the rest, so that parser lines stay absolute.
        if (chunk.length === 0) chunkLine = lineNo;
        chunk = chunk.map((c) => (c.startsWith('%') ? c : ''));
      }
      chunk.push(l);
      if (CONTENT_AFTER_MARKER.test(l)) contentLine = lineNo;
      return;
    }
    if (END.test(l)) {
      flush();
      chunkLine = lineNo + 1;
      return;
    }
    if (chunk.length === 0) chunkLine = lineNo;
    chunk.push(l);
    if (contentLine === 0 && !BLANK_OR_COMMENT.test(l) && !l.startsWith('%')) contentLine = lineNo;
  });
  flush();
  return docs;
}

/** Strips a BOM and turns CRLF into LF; line numbers are unchanged. */
export function normaliseText(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}
