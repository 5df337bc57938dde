import { computeMatrix } from '../engine/matrix.js';
import { unresolvedPortDiagnostics } from '../explain/unresolvedPortDiagnostics.js';
import { matrixCsv } from '../render/matrixCsv.js';
import { matrixDot } from '../render/matrixDot.js';
import { matrixJson } from '../render/matrixJson.js';
import { matrixMarkdown } from '../render/matrixMarkdown.js';
import { matrixText } from '../render/matrixText.js';
import { flag, UsageError, type ParsedArgs } from './args.js';
import type { CliIo, Console } from './console.js';
import { loadCluster } from './loadCluster.js';
import { cliSettings } from './settings.js';
import { summarizeCluster } from '../diff/sideSummary.js';
import { describeSideCounts, describeSkipped } from '../render/describeSide.js';
import type { Cluster } from '../manifests/model.js';

function analysedLine(cluster: Cluster): string {
  const side = summarizeCluster(cluster);
  const skipped = describeSkipped(side);
  return `analysed: ${describeSideCounts(side)}; skipped: ${skipped.length === 0 ? 'nothing' : skipped.join(', ')}`;
}

export { MATRIX_FLAGS } from './flags.js';

/** `netpol matrix <paths...>`: the reachability matrix of the manifests. */
export async function matrixCommand(args: ParsedArgs, io: CliIo, con: Console): Promise<number> {
  if (args.positionals.length === 0) throw new UsageError('matrix needs at least one path');
  const format = flag(args, 'format', ['text', 'json', 'csv', 'md', 'markdown', 'dot']) ?? 'text';
  const namespace = flag(args, 'namespace');
  const cluster = await loadCluster(args.positionals, { settings: await cliSettings(args, io.cwd), readStdin: io.readStdin });
  con.progress(`read ${cluster.fileCount} files, ${cluster.documentCount} documents`);
  con.diagnostics(cluster.diagnostics);
  const computed = computeMatrix(cluster);
  // Named ports that resolve nowhere match nothing: say so with the other diagnostics.
  const unresolved = unresolvedPortDiagnostics(computed);
  con.diagnostics(unresolved);
  const matrix = unresolved.length === 0 ? computed : { ...computed, cluster: { ...cluster, diagnostics: [...cluster.diagnostics, ...unresolved] } };
  con.progress(`matrix built: ${matrix.workloads.length} workloads, ${matrix.ipRanges.length} IP ranges`);
  const opts = namespace !== undefined ? { namespace } : {};
  const out =
    format === 'json'
      ? JSON.stringify(matrixJson(matrix, opts), null, 2) + '\n'
      : format === 'csv'
        ? matrixCsv(matrix, opts)
        : format === 'md' || format === 'markdown'
          ? matrixMarkdown(matrix, opts)
          : format === 'dot'
            ? matrixDot(matrix, opts)
            : matrixText(matrix, opts);
  io.stdout.write(out.endsWith('\n') ? out : out + '\n');
  // CSV is data only: what was analysed goes to stderr, so the output still says it.
  if (format === 'csv') con.note(analysedLine(cluster));
  return 0;
}
