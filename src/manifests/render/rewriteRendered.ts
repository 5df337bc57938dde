// Turns a renderer's output into the synthetic file that is analysed: each object is preceded by a
// `# Source: <input file>` comment when its origin is known (kustomize's origin annotation, which netpol
// requested and now removes; helm's own `# Source:` comment), and objects of a Helm release without a
// namespace get the release's namespace, as `helm install --namespace` would give them.
import type { Document } from 'yaml';
import { yamlModule } from '../lazyYaml.js';
import type { Diagnostic } from '../model.js';
import type { RenderedOrigin } from './types.js';

const ORIGIN = 'config.kubernetes.io/origin';

/** Kinds without a namespace (the ones a chart commonly renders). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'APIService', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'PodSecurityPolicy',
  'ClusterIssuer', 'VolumeSnapshotClass', 'GatewayClass', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy',
]);

export interface RewriteOptions {
  /** Name of the synthetic file, e.g. `overlays/prod (kustomize)`. */
  readonly file: string;
  /** Maps what the renderer says about an object's origin to an input path: kustomize's origin `path`, helm's `# Source:`. */
  readonly originOf: (hint: { annotation?: string; comment?: string }) => string | undefined;
  /** Namespace to give namespaced objects without one. */
  readonly namespace?: string;
}

export function rewriteRendered(output: string, opts: RewriteOptions): { text: string; origins: RenderedOrigin[]; diagnostics: Diagnostic[] } {
  const parts: string[] = [];
  const origins: RenderedOrigin[] = [];
  const diagnostics: Diagnostic[] = [];
  const { isMap, parseAllDocuments } = yamlModule();
  for (const doc of parseAllDocuments(output, { uniqueKeys: false }) as Document[]) {
    if (doc.errors.length > 0) {
      diagnostics.push({ file: opts.file, line: 1, severity: 'error', message: `the renderer wrote invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
      continue;
    }
    if (doc.contents === null || !isMap(doc.contents)) continue; // an empty template
    const annotation = doc.getIn(['metadata', 'annotations', ORIGIN]);
    if (annotation !== undefined) {
      doc.deleteIn(['metadata', 'annotations', ORIGIN]);
      const rest = doc.getIn(['metadata', 'annotations']);
      if (isMap(rest) && rest.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
    }
    const before = `${doc.commentBefore ?? ''}\n${doc.contents.commentBefore ?? ''}`;
    const comment = /Source:\s*(\S.*)$/m.exec(before)?.[1]?.trim();
    const source = opts.originOf({
      ...(typeof annotation === 'string' ? { annotation: originPath(annotation) } : {}),
      ...(comment !== undefined ? { comment } : {}),
    });
    const kind = doc.get('kind');
    const name = doc.getIn(['metadata', 'name']);
    if (opts.namespace !== undefined && typeof kind === 'string' && !CLUSTER_SCOPED.has(kind) && !doc.getIn(['metadata', 'namespace'])) {
      if (isMap(doc.get('metadata', true))) doc.setIn(['metadata', 'namespace'], opts.namespace);
    }
    const namespace = doc.getIn(['metadata', 'namespace']);
    doc.commentBefore = null;
    doc.contents.commentBefore = null;
    if (source !== undefined && typeof kind === 'string' && typeof name === 'string') {
      origins.push({ file: opts.file, doc: parts.length, kind, name, ...(typeof namespace === 'string' ? { namespace } : {}), source });
    }
    const body = doc.toString({ lineWidth: 0 });
    parts.push(source !== undefined ? `# Source: ${source}\n${body}` : body);
  }
  return { text: parts.join('---\n'), origins, diagnostics };
}

/** The file an origin annotation names: `path:` for a resource, `configuredIn:` for a generated object. */
function originPath(annotation: string): string | undefined {
  try {
    const v = yamlModule().parse(annotation) as Record<string, unknown> | null;
    if (v && typeof v.path === 'string') return v.path;
    if (v && typeof v.configuredIn === 'string') return v.configuredIn;
  } catch {
    // not ours to judge
  }
  return undefined;
}
