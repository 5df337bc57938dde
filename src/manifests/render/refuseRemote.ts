// Kustomizations that would reach the network are refused before kustomize runs: a remote entry is an error
// on its line, and every kustomization that includes it (directly or not) is not rendered.
import { posix } from 'node:path';
import type { Diagnostic } from '../model.js';
import type { KustomizationRoot } from './findKustomizations.js';
import { isRemoteRef } from './isRemoteRef.js';

/** The refused roots (by absolute directory) with the reason, and one error diagnostic per remote entry. */
export function refuseRemote(
  roots: readonly KustomizationRoot[],
  graph: ReadonlyMap<string, readonly KustomizationRoot[]>,
  inputPaths: ReadonlySet<string>,
): { refused: Map<string, string>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const direct = new Map<string, string>();
  const exists = (abs: string): boolean => {
    if (inputPaths.has(abs)) return true;
    for (const p of inputPaths) if (p.startsWith(`${abs}/`)) return true;
    return false;
  };
  for (const root of roots) {
    for (const ref of root.refs) {
      if (!isRemoteRef(ref.entry, exists(posix.resolve(root.dirAbs, ref.entry)))) continue;
      diagnostics.push({
        file: root.file.path,
        line: ref.line,
        severity: 'error',
        message: `${ref.field} entry "${ref.entry}" is remote (a URL or git repository); netpol never fetches over the network, so ${root.dir} is not rendered. Vendor it into the repository.`,
      });
      if (!direct.has(root.dirAbs)) direct.set(root.dirAbs, `${ref.field} entry "${ref.entry}" of ${root.file.path} is remote; remote resources are disabled`);
    }
    if (root.helmChartsLine !== undefined) {
      diagnostics.push({
        file: root.file.path,
        line: root.helmChartsLine,
        severity: 'error',
        message: `helmCharts needs kustomize --enable-helm, which netpol never passes (it may download charts); render the chart as a Helm chart directory instead`,
      });
      if (!direct.has(root.dirAbs)) direct.set(root.dirAbs, `${root.file.path} uses helmCharts; the Helm inflator is disabled`);
    }
  }
  // Propagate to every root that includes a refused one.
  const refused = new Map(direct);
  let changed = true;
  while (changed) {
    changed = false;
    for (const root of roots) {
      if (refused.has(root.dirAbs)) continue;
      const bad = (graph.get(root.dirAbs) ?? []).find((t) => refused.has(t.dirAbs));
      if (bad) {
        refused.set(root.dirAbs, `includes ${bad.dir}, which is refused: ${refused.get(bad.dirAbs)}`);
        changed = true;
      }
    }
  }
  return { refused, diagnostics };
}
