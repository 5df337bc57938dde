import type { ExplainResult } from '../explain/types.js';
import { codeSpan, escapeMarkdown } from './escapeMarkdown.js';
import { explainOutline } from './explainOutline.js';

/**
 * `netpol explain --format markdown` and the app's reply to `/netpol explain`. Every sentence holds names
 * and labels from manifests, so all text is escaped; file:line references are code spans.
 */
export function renderExplainMarkdown(result: ExplainResult): string {
  const out: string[] = [];
  for (const l of explainOutline(result)) {
    const lead = l.lead === undefined ? '' : `**${escapeMarkdown(l.lead)}**${l.text === '' ? '' : ': '}`;
    const at = l.at ? ` (${codeSpan(`${l.at.file}:${l.at.line}`)})` : '';
    const body = `${lead}${escapeMarkdown(l.text)}${at}`;
    if (l.depth === 0) {
      if (out.length > 0) out.push('');
      out.push(body);
    } else {
      out.push(`${'  '.repeat(l.depth - 1)}- ${body}`);
    }
  }
  return out.join('\n').concat('\n');
}
