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
import { relative } from 'node:path';
import { gitClusterSets, loadClusterSets, sideRenderFlags, soleDirectory, type OverlayCluster } from './loadCluster.js';
import { cliSettings } from './settings.js';
import { TwinFiles } from './twinFiles.js';
import { configureParsing } from '../manifests/parseFile.js';
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
  let baseSets: OverlayCluster[];
  let headSets: OverlayCluster[];
  let baseRef: string | undefined;
  let headRef: string | undefined;
  const git = flag(args, 'git');
  if (git !== undefined) {
    if (has(args, 'base') || has(args, 'head')) throw new UsageError('use either --git or --base/--head');
    const range = await resolveGitRange(git, io.cwd);
    const pathspec = [...args.positionals, ...args.afterDashDash];
    const [bf, hf] = await Promise.all([readGitTree(range.base, io.cwd, pathspec), readGitTree(range.head, io.cwd, pathspec)]);
    [baseSets, headSets] = await Promise.all([
      gitClusterSets(range.base, io.cwd, pathspec, bf, settings, 'the base'),
      gitClusterSets(range.head, io.cwd, pathspec, hf, settings, 'the head'),
    ]);
    baseRef = `${range.baseRef} (merge base ${range.base.slice(0, 12)})`;
    headRef = `${range.headRef} (${range.head.slice(0, 12)})`;
  } else {
    const bp = args.flags.get('base');
    const hp = args.flags.get('head');
    if (!bp || !hp) throw new UsageError('diff needs --base <paths...> and --head <paths...>, or --git <base>..<head>');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    // A side given as one directory has its files named relative to it, as --git names them relative to the
    // repository root: base/x.yaml and head/x.yaml are both x.yaml, so an unchanged file gives the same records
    // at both sides (built, compiled and matched once), and overlays pair up by name.
    const [bd, hd] = await Promise.all([soleDirectory(bp), soleDirectory(hp)]);
    const cwd = process.cwd();
    // Two directories: the head's files equal to the base's take the base's texts (read, not decoded again).
    const twin = bd !== undefined && hd !== undefined ? new TwinFiles() : undefined;
    const side = (paths: readonly string[], dir: string | undefined, otherDir: string | undefined, which: string) => {
      const render = dir !== undefined && otherDir !== undefined ? sideRenderFlags(settings.render, dir, otherDir, cwd) : settings.render;
      return loadClusterSets(paths, {
        settings: render === settings.render ? settings : { ...settings, render },
        readStdin: io.readStdin,
        ...(dir !== undefined ? { dir } : {}),
        ...(twin ? { twin } : {}),
        side: `the ${which} (${paths.join(' ')})`,
      }).then((sets) =>
        // A side not named relative to one directory (a file): its overlays are named relative to its path.
        dir === undefined && paths.length === 1 ? sets.map((x) => (x.overlay !== undefined ? { ...x, overlay: relative(paths[0]!, x.overlay) || '.' } : x)) : sets,
      );
    };
    // Two directories in a fresh process: a text that repeats is the same file object (TwinFiles), so parses
    // are remembered by file object, and no file is hashed for the parse cache's content key (~19 MB a side
    // at the medium bench tier). A head built from scratch (not derived) finds the base's parses by object.
    const restore = twin ? configureParsing({ byFile: true }) : undefined;
    try {
      [baseSets, headSets] = await Promise.all([side(bp, bd, hd, 'base'), side(hp, hd, bd, 'head')]);
    } finally {
      if (restore) configureParsing(restore);
    }
    baseRef = bp.join(' ');
    headRef = hp.join(' ');
  }
  // kustomize.mode per-overlay (from --config): each overlay is its own cluster, diffed on its own.
  const names = [...new Set([...baseSets, ...headSets].map((x) => x.overlay))].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  const empty = (like: Cluster): Cluster => ({ ...like, workloads: [], policies: [], skipped: [], diagnostics: [] });
  const results = names.map((overlay) => {
    const b = baseSets.find((x) => x.overlay === overlay)?.cluster;
    const h = headSets.find((x) => x.overlay === overlay)?.cluster;
    const base = b ?? empty(h!);
    const head = h ?? empty(b!);
    const label = overlay === undefined ? '' : `${overlay}: `;
    con.progress(`${label}read ${base.fileCount} + ${head.fileCount} files`);
    con.diagnostics(head.diagnostics);
    const headMatrix = computeMatrix(head);
    const computed = diffMatrices(computeMatrix(base), headMatrix, { baseRef, headRef });
    // Named ports of the head's policies that resolve nowhere match nothing: reported with the diagnostics.
    const unresolved = unresolvedPortDiagnostics(headMatrix);
    con.diagnostics(unresolved);
    const diff = unresolved.length === 0 ? computed : { ...computed, diagnostics: [...computed.diagnostics, ...unresolved] };
    con.progress(`${label}diff: ${diff.opened.length} pairs opened, ${diff.closed.length} closed`);
    return { overlay, head, diff };
  });
  const render = (diff: (typeof results)[number]['diff']): string =>
    format === 'json'
      ? JSON.stringify(diffJson(diff), null, 2)
      : format === 'markdown' || format === 'md'
        ? diffMarkdown(diff, maxChars !== undefined ? { maxChars: Math.floor(maxChars / results.length) } : {}).markdown
        : format === 'dot'
          ? diffDot(diff)
          : format === 'mermaid'
            ? diffMermaid(diff)
            : diffText(diff, { color: con.color });
  let out: string;
  if (results.length === 1 && results[0]!.overlay === undefined) out = render(results[0]!.diff);
  else if (format === 'json') {
    out = JSON.stringify({ overlays: results.map((r) => ({ overlay: r.overlay ?? null, ...diffJson(r.diff) })) }, null, 2);
  } else {
    const heading = (o: string | undefined) =>
      format === 'markdown' || format === 'md' ? `### Overlay \`${o ?? 'outside overlays'}\`` : format === 'text' ? `== overlay ${o ?? 'outside overlays'} ==` : `// overlay ${o ?? 'outside overlays'}`;
    out = results.map((r) => `${heading(r.overlay)}\n\n${render(r.diff).trimEnd()}`).join('\n\n');
  }
  io.stdout.write(out.endsWith('\n') ? out : out + '\n');
  // --check: the app's gate (failOn from --config, or its default) decides the exit code, as in CI.
  if (has(args, 'check')) {
    let failed = false;
    for (const r of results) {
      const gate = evaluateFailOn(r.diff, settings.config.failOn, r.head);
      for (const reason of gate.reasons) con.note(`netpol: check failed${r.overlay ? ` (${r.overlay})` : ''}: ${reason}`);
      failed ||= gate.failed;
    }
    if (failed) return 1;
  }
  return has(args, 'exit-code') && results.some((r) => r.diff.opened.length > 0 || r.diff.closed.length > 0) ? 1 : 0;
}
