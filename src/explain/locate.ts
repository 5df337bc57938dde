import type { Cluster, DocPath, SourceRef } from '../manifests/model.js';
import { lineOf } from '../manifests/locate.js';
import type { Location } from './types.js';

/**
 * The file and line of a field of a policy (`[]`: the policy itself). Paths are relative to the policy
 * object; a path that repeats the object's own path inside its document (a List item) is trimmed, so both
 * conventions work.
 */
export function locateInPolicy(cluster: Cluster, policy: { readonly source: SourceRef }, path: DocPath): Location {
  const own = policy.source.path;
  const relative =
    own.length > 0 && path.length >= own.length && own.every((k, i) => path[i] === k) ? path.slice(own.length) : path;
  const line = relative.length === 0 ? policy.source.line : lineOf(cluster.texts, policy.source, relative);
  return { file: policy.source.file, line };
}
