// Manifest strings printed to a terminal: control characters (ANSI escapes, bidi overrides, newlines) could
// rewrite the screen or hide text, so they are removed or flattened before printing.

/** One line of visible text. */
export function terminalSafe(text: string): string {
  return (
    text
      .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '')
  );
}
