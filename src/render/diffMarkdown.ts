// The pull-request comment body. Every manifest string (names, labels, paths, reasons, refs) is escaped or
// put in a code span: a comment is rendered for every reviewer, so a hostile name must not inject HTML,
// links, mentions or a fake bot marker. The body is bounded by `maxChars`; what does not fit is returned as
// `overflow` for the check run, in order of importance.
import { DIFF_SECTIONS } from './diffSections.js';
import type { DiffLine, ReachabilityDiff, Risk, SideSummary } from '../diff/types.js';
import { attributionParts } from './attributionText.js';
import { edgeLines } from './changeGraph.js';
import { countDiff } from './diffCounts.js';
import { diffHeadline } from './diffHeadline.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { diffMermaid } from './diffMermaid.js';
import { codeSpan, escapeMarkdown, tableCodeSpan } from './escapeMarkdown.js';
import { portsText } from './portsText.js';
import { truncateText } from './truncateText.js';

export interface DiffMarkdownOptions {
  /** Upper bound of the returned markdown's length. Default: 60,000 (GitHub rejects comments over 65,536). */
  readonly maxChars?: number;
  /** Draw the Mermaid chart when there are at most this many opened/closed lines. Default 30. */
  readonly mermaidMaxLines?: number;
  /** Attributions listed under one line before "and N more". Default 5. */
  readonly maxAttributionsPerLine?: number;
}

export interface DiffMarkdownResult {
  readonly markdown: string;
  /** Markdown left out of `markdown` to respect maxChars (empty when everything fit). */
  readonly overflow: string;
  /** Summary lines left out of `markdown`. */
  readonly droppedLines: number;
}

export const DEFAULT_MAX_CHARS = 60_000;


const MARKER: Record<Risk, string> = {
  critical: '🔴 **critical:** ',
  high: '🟠 **high:** ',
  medium: '🟡 medium: ',
  low: '',
  info: '',
};

const isRisk = (l: DiffLine) => l.risk === 'critical' || l.risk === 'high';

export function diffMarkdown(diff: ReachabilityDiff, opts: DiffMarkdownOptions = {}): DiffMarkdownResult {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const perLine = opts.maxAttributionsPerLine ?? 5;
  const headline = `**netpol:** ${escapeMarkdown(diffHeadline(diff))}`;
  const footer = analysedSection(diff);
  const items = diff.lines.map((l) => lineItem(l, perLine));
  const edgeCount = edgeLines(diff).length;
  const mermaid =
    edgeCount > 0 && edgeCount <= (opts.mermaidMaxLines ?? 30) ? `\`\`\`mermaid\n${diffMermaid(diff)}\n\`\`\`` : '';
  const details = [pairsDetails(diff), diagnosticsDetails(diff)].filter((x) => x !== '').join('\n\n');

  const assemble = (kept: readonly boolean[], withMermaid: boolean, withDetails: boolean): string => {
    const dropped = kept.filter((k) => !k).length;
    const parts = [headline, sections(diff, items, kept)];
    if (dropped > 0) parts.push(`… and ${dropped} more ${dropped === 1 ? 'line' : 'lines'} (see the check run / JSON)`);
    if (withMermaid && mermaid) parts.push(mermaid);
    if (withDetails && details) parts.push(details);
    parts.push(footer);
    return parts.filter((x) => x !== '').join('\n\n');
  };

  // Least important content goes first: the per-pair details, then the chart, then summary lines from the
  // lowest-ranked up; critical/high lines go last and only when nothing else is left.
  const all = items.map(() => true);
  const full = assemble(all, true, true);
  if (full.length <= maxChars) return { markdown: full, overflow: '', droppedLines: 0 };
  const noDetails = assemble(all, true, false);
  if (noDetails.length <= maxChars) return { markdown: noDetails, overflow: details, droppedLines: 0 };
  const lean = assemble(all, false, false);
  const spill = (kept: readonly boolean[]) => {
    const droppedItems = items.filter((_, i) => !kept[i]);
    const list = droppedItems.length > 0 ? `#### Lines not shown in the comment\n\n${droppedItems.join('\n')}` : '';
    return [list, mermaid, details].filter((x) => x !== '').join('\n\n');
  };
  if (lean.length <= maxChars) return { markdown: lean, overflow: spill(all), droppedLines: 0 };

  const dropOrder = [
    ...diff.lines.flatMap((l, i) => (isRisk(l) ? [] : [i])).reverse(),
    ...diff.lines.flatMap((l, i) => (isRisk(l) ? [i] : [])).reverse(),
  ];
  const keptAfter = (k: number): boolean[] => {
    const kept = items.map(() => true);
    for (const i of dropOrder.slice(0, k)) kept[i] = false;
    return kept;
  };
  // Length shrinks as lines are dropped (up to a few digits of the "and N more" count), so binary search
  // for the fewest drops, then step forward in case the count's digits tipped it over.
  let lo = 1;
  let hi = dropOrder.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (assemble(keptAfter(mid), false, false).length <= maxChars) hi = mid;
    else lo = mid + 1;
  }
  let k = lo;
  while (k < dropOrder.length && assemble(keptAfter(k), false, false).length > maxChars) k++;
  const kept = keptAfter(k);
  return fit(assemble(kept, false, false), maxChars, spill(kept), k);
}

/** Last resort when even headline, risk lines and footer exceed the bound: cut the text. */
function fit(markdown: string, maxChars: number, overflow: string, droppedLines: number): DiffMarkdownResult {
  return { markdown: truncateText(markdown, maxChars), overflow, droppedLines };
}

function sections(diff: ReachabilityDiff, items: readonly string[], kept: readonly boolean[]): string {
  const out: string[] = [];
  for (const [direction, title] of DIFF_SECTIONS) {
    const shown = diff.lines.flatMap((l, i) => (l.direction === direction && kept[i] ? [items[i]!] : []));
    if (shown.length > 0) out.push(`#### ${title}\n\n${shown.join('\n')}`);
  }
  return out.join('\n\n');
}

/** "- 🔴 **critical:** text<br>← NetworkPolicy `ns/name` (edited, ingress rule 1, `file:12`)" */
function lineItem(line: DiffLine, perLine: number): string {
  const because = line.attribution.slice(0, perLine).map((a) => {
    const p = attributionParts(a);
    const detail = p.detail !== undefined ? `: ${escapeMarkdown(p.detail)}` : '';
    return `← ${escapeMarkdown(p.kind)} ${codeSpan(p.id)} (${escapeMarkdown(p.change)}, ${codeSpan(p.location)})${detail}`;
  });
  const more = line.attribution.length - perLine;
  if (more > 0) because.push(`← and ${more} more (see the JSON)`);
  return `- ${MARKER[line.risk]}${escapeMarkdown(line.text)}${because.map((b) => `<br>${b}`).join('')}`;
}

function pairsDetails(diff: ReachabilityDiff): string {
  if (diff.opened.length + diff.closed.length === 0) return '';
  const c = countDiff(diff);
  const rows = [
    ...diff.opened.map((p) => ['opened', p] as const),
    ...diff.closed.map((p) => ['closed', p] as const),
  ].map(([what, p]) => `| ${what} | ${tableCodeSpan(p.src)} | ${tableCodeSpan(p.dst)} | ${escapeMarkdown(portsText(p))} |`);
  return [
    `<details><summary>Per-pair changes: ${c.openedPairs} opened, ${c.closedPairs} closed</summary>`,
    '',
    '| Change | Source | Destination | Ports |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '</details>',
  ].join('\n');
}

function diagnosticsDetails(diff: ReachabilityDiff): string {
  if (diff.diagnostics.length === 0) return '';
  return [
    `<details><summary>Diagnostics: ${diagnosticCounts(diff)}</summary>`,
    '',
    ...diff.diagnostics.map((d) => `- ${codeSpan(`${d.file}:${d.line}`)} ${d.severity}: ${escapeMarkdown(d.message)}`),
    '',
    '</details>',
  ].join('\n');
}

/** Always shown: the two refs, counts per side, every skipped kind with its reason, diagnostic counts. */
function analysedSection(diff: ReachabilityDiff): string {
  const side = (name: string, s: SideSummary) =>
    `- ${name}${s.ref !== undefined ? ` ${codeSpan(shortRef(s.ref))}` : ''}: ${describeSideCounts(s)}`;
  const out = ['**What was analysed**', '', side('base', diff.base), side('head', diff.head)];
  const skippedBase = describeSkipped(diff.base).map(escapeMarkdown);
  const skippedHead = describeSkipped(diff.head).map(escapeMarkdown);
  if (skippedBase.length + skippedHead.length === 0) out.push('- skipped: nothing');
  else if (skippedBase.join() === skippedHead.join()) out.push(`- skipped on both sides: ${skippedHead.join(', ')}`);
  else {
    if (skippedBase.length > 0) out.push(`- skipped at base: ${skippedBase.join(', ')}`);
    if (skippedHead.length > 0) out.push(`- skipped at head: ${skippedHead.join(', ')}`);
  }
  if (diff.diagnostics.length > 0) out.push(`- diagnostics: ${diagnosticCounts(diff)}`);
  return out.join('\n');
}

/** "1 error, 2 warnings" */
function diagnosticCounts(diff: ReachabilityDiff): string {
  const errors = diff.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diff.diagnostics.length - errors;
  return `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`;
}

/** Commit shas are shown like GitHub does (12 characters); branch names and tags as given. */
function shortRef(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 12) : ref;
}
