// `netpol matrix --format markdown`: one table row per connection, then what was analysed. Ids go in code
// spans (nothing inside is rendered); every other manifest string is escaped.
import { describeIps } from '../diff/describeIps.js';
import type { Endpoint, ReachabilityMatrix } from '../engine/matrix.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { escapeMarkdown, tableCodeSpan } from './escapeMarkdown.js';
import { selectMatrix, type MatrixRenderOptions } from './matrixSelection.js';
import { summarizeCluster } from '../diff/sideSummary.js';

const FOLD_ABOVE = 20;

/** Workload ids in code; IP ranges in words ("0.0.0.0/0 except 10.0.0.0/8"), their CIDR-list ids being long. */
function cell(e: Endpoint): string {
  return e.kind === 'ip' ? `IPs ${tableCodeSpan(describeIps(e.range.set))}` : tableCodeSpan(e.id);
}

export function matrixMarkdown(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): string {
  const { connections } = selectMatrix(matrix, opts);
  const out: string[] = [];
  const scope = opts.namespace === undefined ? '' : ` touching namespace ${tableCodeSpan(opts.namespace)}`;
  out.push(`**${connections.length} connection${connections.length === 1 ? '' : 's'}**${scope}`, '');
  if (connections.length > 0) {
    // Long tables are folded, so a PR conversation stays readable (the `/netpol matrix` answer).
    const fold = connections.length > FOLD_ABOVE;
    if (fold) out.push(`<details><summary>${connections.length} connections</summary>`, '');
    out.push('| Source | Destination | Ports |', '| --- | --- | --- |');
    for (const c of connections) {
      out.push(`| ${cell(c.src)} | ${cell(c.dst)} | ${escapeMarkdown(c.ports.toShortString())} |`);
    }
    out.push('');
    if (fold) out.push('</details>', '');
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
