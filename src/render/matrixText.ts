// `netpol matrix` for a terminal: one block per source, destinations aligned, then what was analysed.
import { describeIps } from '../diff/describeIps.js';
import type { Endpoint, ReachabilityMatrix } from '../engine/matrix.js';
import { describeSideCounts, describeSkipped } from './describeSide.js';
import { selectMatrix, type MatrixRenderOptions } from './matrixSelection.js';
import { summarizeCluster } from '../diff/sideSummary.js';
import { terminalSafe } from './terminalSafe.js';

export function matrixText(matrix: ReachabilityMatrix, opts: MatrixRenderOptions = {}): string {
  const { connections } = selectMatrix(matrix, opts);
  const out: string[] = [];
  const scope = opts.namespace === undefined ? '' : ` touching namespace ${terminalSafe(opts.namespace)}`;
  out.push(`${connections.length} connection${connections.length === 1 ? '' : 's'}${scope}`);
  let i = 0;
  while (i < connections.length) {
    const src = connections[i]!.src.id;
    let j = i;
    while (j < connections.length && connections[j]!.src.id === src) j++;
    const group = connections.slice(i, j);
    const width = Math.max(...group.map((c) => label(c.dst).length));
    out.push('', label(group[0]!.src));
    for (const c of group) out.push(`  -> ${label(c.dst).padEnd(width)}  ${c.ports.toShortString()}`);
    i = j;
  }
  out.push('', ...analysedFooter(matrix));
  return `${out.join('\n')}\n`;
}

/** Workloads by id; IP ranges in words ("0.0.0.0/0 except 10.0.0.0/8"), their CIDR-list ids being long. */
function label(e: Endpoint): string {
  return e.kind === 'ip' ? `IPs ${describeIps(e.range.set)}` : terminalSafe(e.id);
}

function analysedFooter(matrix: ReachabilityMatrix): string[] {
  const side = summarizeCluster(matrix.cluster);
  const out = [`Analysed: ${describeSideCounts(side)}`];
  const skipped = describeSkipped(side);
  out.push(skipped.length === 0 ? 'Skipped: nothing' : `Skipped: ${terminalSafe(skipped.join(', '))}`);
  const diags = matrix.cluster.diagnostics;
  if (diags.length > 0) {
    out.push(`Diagnostics (${diags.length}):`);
    for (const d of diags) out.push(`  ${terminalSafe(`${d.file}:${d.line}: ${d.severity}: ${d.message}`)}`);
  }
  return out;
}
