// A change that deletes a Namespace object but leaves objects in that namespace: applied to a cluster, the
// deletion removes every object in the namespace (and the objects left in git fail to apply), while the
// analysis would go on treating them as live in an undeclared namespace that lost its labels. Such a head is
// almost always a mistake, so it gets one warning per namespace, at the first object still in it.
import type { Cluster, Diagnostic, SourceRef } from '../manifests/model.js';

export function removedNamespaceDiagnostics(base: Cluster, head: Cluster): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, info] of base.namespaces) {
    if (!info.declared || head.namespaces.get(name)?.declared) continue;
    const left: SourceRef[] = [
      ...head.workloads.filter((w) => w.namespace === name).map((w) => w.source),
      ...head.policies.filter((p) => p.namespace === name).map((p) => p.source),
      ...head.skipped.filter((s) => s.namespace === name).map((s) => s.source),
    ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    const first = left[0];
    if (!first) continue;
    const where = info.source ? ` (at the merge base in ${info.source.file}:${info.source.line})` : '';
    out.push({
      file: first.file,
      line: first.line,
      severity: 'warning',
      message:
        `namespace ${name} is no longer declared: its Namespace object was removed${where}, but ${left.length} ` +
        `${left.length === 1 ? 'object is' : 'objects are'} still in it. Deleting a Namespace deletes everything in it; ` +
        `here these objects are analysed in a namespace with only the kubernetes.io/metadata.name label`,
    });
  }
  return out;
}
