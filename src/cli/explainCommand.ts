import { computeMatrix } from '../engine/matrix.js';
import { explain } from '../explain/explain.js';
import { renderExplainJson } from '../render/explainJson.js';
import { renderExplainMarkdown } from '../render/explainMarkdown.js';
import { renderExplainText } from '../render/explainText.js';
import { flag, UsageError, type ParsedArgs } from './args.js';
import type { CliIo, Console } from './console.js';
import { loadCluster } from './loadCluster.js';
import { cliSettings } from './settings.js';

export { EXPLAIN_FLAGS } from './flags.js';

/** `netpol explain`: why a connection is allowed or denied, or what policies mean. */
export async function explainCommand(args: ParsedArgs, io: CliIo, con: Console): Promise<number> {
  if (args.positionals.length === 0) throw new UsageError('explain needs at least one path');
  const format = flag(args, 'format', ['text', 'markdown', 'md', 'json']) ?? 'text';
  const from = flag(args, 'from');
  const to = flag(args, 'to');
  const policy = flag(args, 'policy');
  if ((from === undefined) !== (to === undefined)) throw new UsageError('--from and --to go together');
  if (from !== undefined && policy !== undefined) throw new UsageError('use either --from/--to or --policy');
  const cluster = await loadCluster(args.positionals, { settings: await cliSettings(args, io.cwd), readStdin: io.readStdin });
  con.diagnostics(cluster.diagnostics);
  const result = explain(computeMatrix(cluster), from !== undefined ? { from, to: to! } : policy !== undefined ? { policy } : {});
  const out =
    format === 'json'
      ? renderExplainJson(result)
      : format === 'markdown' || format === 'md'
        ? renderExplainMarkdown(result)
        : renderExplainText(result);
  io.stdout.write(out.endsWith('\n') ? out : out + '\n');
  return result.kind === 'error' ? 2 : 0;
}
