// `netpol diff` for a terminal: the comment's content (headline, sections, attribution, per-pair changes,
// diagnostics, what was analysed) as plain lines. ANSI colour only when the caller asks (a TTY without
// NO_COLOR); manifest strings are stripped of control characters so they cannot emit their own escapes.
import { DIFF_SECTIONS } from './diffSections.js';
import type { ReachabilityDiff, Risk, SideSummary } from '../diff/types.js';
import { attributionParts } from './attributionText.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { diffHeadline } from './diffHeadline.js';
import { portsText } from './portsText.js';
import { terminalSafe as safe } from './terminalSafe.js';

export interface DiffTextOptions {
  readonly color?: boolean;
}


const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;
const RISK_STYLE: Record<Risk, (keyof typeof SGR)[]> = {
  critical: ['bold', 'red'],
  high: ['red'],
  medium: ['yellow'],
  low: [],
  info: [],
};

export function diffText(diff: ReachabilityDiff, opts: DiffTextOptions = {}): string {
  const paint = (text: string, ...styles: (keyof typeof SGR)[]): string =>
    opts.color && styles.length > 0 ? `\x1b[${styles.map((s) => SGR[s]).join(';')}m${text}\x1b[0m` : text;
  const out: string[] = [paint(`netpol: ${diffHeadline(diff)}`, 'bold')];

  for (const [direction, title] of DIFF_SECTIONS) {
    const lines = diff.lines.filter((l) => l.direction === direction);
    if (lines.length === 0) continue;
    out.push('', paint(`${title} (${lines.length})`, 'bold'));
    for (const l of lines) {
      out.push(`  ${paint(`[${l.risk}]`, ...RISK_STYLE[l.risk])} ${safe(l.text)}`);
      for (const a of l.attribution) {
        const p = attributionParts(a);
        const detail = p.detail !== undefined ? `: ${p.detail}` : '';
        out.push(paint(`      ← ${safe(`${p.kind} ${p.id} (${p.change}, ${p.location})${detail}`)}`, 'dim'));
      }
    }
  }

  if (diff.opened.length + diff.closed.length > 0) {
    out.push('', paint(`Per-pair changes: ${diff.opened.length} opened, ${diff.closed.length} closed`, 'bold'));
    for (const p of diff.opened) out.push(paint(`  + ${safe(p.src)} -> ${safe(p.dst)}  ${portsText(p)}`, 'green'));
    for (const p of diff.closed) out.push(paint(`  - ${safe(p.src)} -> ${safe(p.dst)}  ${portsText(p)}`, 'red'));
  }

  if (diff.diagnostics.length > 0) {
    out.push('', paint(`Diagnostics (${diff.diagnostics.length})`, 'bold'));
    for (const d of diff.diagnostics) {
      out.push(`  ${paint(d.severity, d.severity === 'error' ? 'red' : 'yellow')} ${safe(`${d.file}:${d.line}: ${d.message}`)}`);
    }
  }

  const side = (name: string, s: SideSummary) => [
    `  ${name}${s.ref !== undefined ? ` ${safe(s.ref)}` : ''}: ${describeSideCounts(s)}`,
    ...describeSkipped(s).map((x) => `    skipped: ${safe(x)}`),
  ];
  out.push('', paint('What was analysed', 'bold'), ...side('base', diff.base), ...side('head', diff.head));
  return `${out.join('\n')}\n`;
}
