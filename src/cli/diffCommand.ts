import { diffMatrices } from '../diff/diffMatrices.js';
import { computeMatrix } from '../engine/matrix.js';
import { unresolvedPortDiagnostics } from '../explain/unresolvedPortDiagnostics.js';
import { readGitTree, resolveGitRange } from '../manifests/readGitTree.js';
import type { Cluster } from '../manifests/model.js';
import { diffDot } from '../render/diffDot.js';
import { diffJson } from '../render/diffJson.js';
import { diffMermaid } from '../render/diffMermaid.js';
import { diffMarkdown } from '../render/diffMarkdown.js';
import { diffText } from '../render/diffText.js';
import { flag, has, UsageError, type ParsedArgs } from './args.js';
import type { CliIo, Console } from './console.js';
import { gitCluster, loadCluster } from './loadCluster.js';
import { cliSettings } from './settings.js';
import { evaluateFailOn } from '../diff/failOn.js';

export { DIFF_FLAGS } from './flags.js';

/** `netpol diff`: what a change opens and closes. */
export async function diffCommand(args: ParsedArgs, io: CliIo, con: Console): Promise<number> {
  const format = flag(args, 'format', ['text', 'markdown', 'md', 'json', 'dot', 'mermaid']) ?? 'text';
  const settings = await cliSettings(args, io.cwd);
  const maxCharsFlag = flag(args, 'max-chars');
  const maxChars = maxCharsFlag === undefined ? undefined : Number(maxCharsFlag);
  if (maxChars !== undefined && (!Number.isInteger(maxChars) || maxChars < 200)) {
    throw new UsageError('--max-chars must be a whole number of at least 200');
  }
  let base: Cluster;
  let head: Cluster;
  let baseRef: string | undefined;
  let headRef: string | undefined;
  const git = flag(args, 'git');
  if (git !== undefined) {
    if (has(args, 'base') || has(args, 'head')) throw new UsageError('use either --git or --base/--head');
    const range = await resolveGitRange(git, io.cwd);
    const pathspec = [...args.positionals, ...args.afterDashDash];
    const [bf, hf] = await Promise.all([readGitTree(range.base, io.cwd, pathspec), readGitTree(range.head, io.cwd, pathspec)]);
    [base, head] = await Promise.all([
      gitCluster(range.base, io.cwd, pathspec, bf, settings),
      gitCluster(range.head, io.cwd, pathspec, hf, settings),
    ]);
    baseRef = `${range.baseRef} (merge base ${range.base.slice(0, 12)})`;
    headRef = `${range.headRef} (${range.head.slice(0, 12)})`;
  } else {
    const bp = args.flags.get('base');
    const hp = args.flags.get('head');
    if (!bp || !hp) throw new UsageError('diff needs --base <paths...> and --head <paths...>, or --git <base>..<head>');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    [base, head] = await Promise.all([
      loadCluster(bp, { settings, readStdin: io.readStdin }),
      loadCluster(hp, { settings, readStdin: io.readStdin }),
    ]);
    baseRef = bp.join(' ');
    headRef = hp.join(' ');
  }
  con.progress(`read ${base.fileCount} + ${head.fileCount} files`);
  con.diagnostics(head.diagnostics);
  const headMatrix = computeMatrix(head);
  const computed = diffMatrices(computeMatrix(base), headMatrix, { baseRef, headRef });
  // Named ports of the head's policies that resolve nowhere match nothing: reported with the diagnostics.
  const unresolved = unresolvedPortDiagnostics(headMatrix);
  con.diagnostics(unresolved);
  const diff = unresolved.length === 0 ? computed : { ...computed, diagnostics: [...computed.diagnostics, ...unresolved] };
  con.progress(`diff: ${diff.opened.length} pairs opened, ${diff.closed.length} closed`);
  const out =
    format === 'json'
      ? JSON.stringify(diffJson(diff), null, 2) + '\n'
      : format === 'markdown' || format === 'md'
        ? diffMarkdown(diff, maxChars !== undefined ? { maxChars } : {}).markdown
        : format === 'dot'
          ? diffDot(diff)
          : format === 'mermaid'
            ? diffMermaid(diff)
            : diffText(diff, { color: con.color });
  io.stdout.write(out.endsWith('\n') ? out : out + '\n');
  // --check: the app's gate (failOn from --config, or its default) decides the exit code, as in CI.
  if (has(args, 'check')) {
    const gate = evaluateFailOn(diff, settings.config.failOn, head);
    for (const reason of gate.reasons) con.note(`netpol: check failed: ${reason}`);
    if (gate.failed) return 1;
  }
  return has(args, 'exit-code') && (diff.opened.length > 0 || diff.closed.length > 0) ? 1 : 0;
}
