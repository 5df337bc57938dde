import type { ExplainResult } from '../explain/types.js';
import { explainOutline } from './explainOutline.js';

/** `netpol explain --format text`: plain lines for a terminal, indented by two spaces per level. */
export function renderExplainText(result: ExplainResult): string {
  return explainOutline(result)
    .map((l) => {
      const lead = l.lead === undefined ? '' : l.text === '' ? l.lead : `${l.lead}: `;
      const at = l.at ? ` (${l.at.file}:${l.at.line})` : '';
      return visible(`${'  '.repeat(l.depth)}${lead}${l.text}${at}`);
    })
    .join('\n')
    .concat('\n');
}

/**
 * Manifest strings may hold control characters (ANSI escapes, bidi overrides, newlines) that would rewrite
 * the terminal or hide text: flattened or removed.
 */
function visible(line: string): string {
  return (
    line
      .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '')
  );
}
