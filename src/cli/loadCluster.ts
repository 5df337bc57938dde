import { buildCluster } from '../manifests/buildCluster.js';
import type { Cluster, ManifestFile } from '../manifests/model.js';
import { readManifestFiles } from '../manifests/readFiles.js';

/** Read files/directories (or `-` for stdin) and build the cluster, keeping read errors as diagnostics. */
export async function loadCluster(
  paths: readonly string[],
  opts: { defaultNamespace?: string; readStdin?: () => Promise<string> },
): Promise<Cluster> {
  const { files, diagnostics } = await readManifestFiles([...paths], opts.readStdin ? { readStdin: opts.readStdin } : {});
  return clusterOf(files, opts.defaultNamespace, diagnostics);
}

export function clusterOf(files: ManifestFile[], defaultNamespace: string | undefined, extra: Cluster['diagnostics'] = []): Cluster {
  const cluster = buildCluster(files, defaultNamespace ? { defaultNamespace } : {});
  return extra.length > 0 ? { ...cluster, diagnostics: [...extra, ...cluster.diagnostics] } : cluster;
}
