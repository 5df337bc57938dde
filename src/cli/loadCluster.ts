import { buildCluster } from '../manifests/buildCluster.js';
import type { Cluster, ManifestFile } from '../manifests/model.js';
import { readManifestFiles } from '../manifests/readFiles.js';
import { checkCliObjects, limitFiles } from './limits.js';

/** Read files/directories (or `-` for stdin) and build the cluster, keeping read errors as diagnostics. */
export async function loadCluster(
  paths: readonly string[],
  opts: { defaultNamespace?: string; readStdin?: () => Promise<string> },
): Promise<Cluster> {
  const { files, diagnostics } = await readManifestFiles([...paths], opts.readStdin ? { readStdin: opts.readStdin } : {});
  return clusterOf(files, opts.defaultNamespace, diagnostics);
}

export function clusterOf(files: ManifestFile[], defaultNamespace: string | undefined, extra: Cluster['diagnostics'] = []): Cluster {
  // --max-file-bytes: a file over it is an error diagnostic; --max-objects: a side over it stops the command.
  const limited = limitFiles(files);
  if (limited.diagnostics.length > 0) {
    files = limited.files;
    extra = [...extra, ...limited.diagnostics];
  }
  const cluster = buildCluster(files, defaultNamespace ? { defaultNamespace } : {});
  checkCliObjects(cluster);
  return extra.length > 0 ? { ...cluster, diagnostics: [...extra, ...cluster.diagnostics] } : cluster;
}
