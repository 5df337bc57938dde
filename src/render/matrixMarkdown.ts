// `netpol matrix --format markdown`: one table row per connection, then what was analysed. Ids go in code
// spans (nothing inside is rendered); every other manifest string is escaped.
import type { ReachabilityMatrix } from '../engine/matrix.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { escapeMarkdown, tableCodeSpan } from './escapeMarkdown.js';
import { selectMatrix, type MatrixRenderOptions } from './matrixSelection.js';
import { summarizeCluster } from '../diff/sideSummary.js';

export function matrixMarkdown(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): string {
  const { connections } = selectMatrix(matrix, opts);
  const out: string[] = [];
  const scope = opts.namespace === undefined ? '' : ` touching namespace ${tableCodeSpan(opts.namespace)}`;
  out.push(`**${connections.length} connection${connections.length === 1 ? '' : 's'}**${scope}`, '');
  if (connections.length > 0) {
    out.push('| Source | Destination | Ports |', '| --- | --- | --- |');
    for (const c of connections) {
      out.push(`| ${tableCodeSpan(c.src.id)} | ${tableCodeSpan(c.dst.id)} | ${escapeMarkdown(c.ports.toShortString())} |`);
    }
    out.push('');
  }
  const side = summarizeCluster(matrix.cluster);
  out.push(`**Analysed:** ${describeSideCounts(side)}`, '');
  const skipped = describeSkipped(side);
  out.push(skipped.length === 0 ? '**Skipped:** nothing' : `**Skipped:** ${skipped.map(escapeMarkdown).join(', ')}`);
  const diags = matrix.cluster.diagnostics;
  if (diags.length > 0) {
    out.push('', `**Diagnostics (${diags.length}):**`, '');
    for (const d of diags) out.push(`- ${escapeMarkdown(`${d.file}:${d.line}: ${d.severity}: ${d.message}`)}`);
  }
  return `${out.join('\n')}\n`;
}
