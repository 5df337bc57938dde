// Files -> objects: the named Kubernetes objects of a parsed file, with their sources, kept per parsed file
// so that a rebuild from the same documents reads only what changed.
import type { Diagnostic, NetworkPolicy, SkippedObject, SourceRef, Workload } from './model.js';
import { isList, listItems, type ListItem } from './listItems.js';
import { isObject, type RawObject } from './problems.js';
import type { ParsedFile, RawDocument } from './parseFile.js';
import type { AdminRead, IngressRead, PolicyRead, ServiceRead, WorkloadRead } from './objectReads.js';

export const ADMIN_KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

export interface K8sObject {
  readonly obj: RawObject;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** metadata.namespace, or the default namespace. */
  readonly namespace: string;
  readonly explicitNamespace: boolean;
  readonly source: SourceRef;
  /** Cluster-scoped kinds have no namespace: duplicates are found by kind and name alone (see KeyTree). */
  readonly clusterScoped: boolean;
  /**
   * Kept between builds (see FileModel): what reading the object gave, which depends on its raw value and
   * kind alone (the typed value and the problems, with paths relative to the object), and the model record
   * built from it (which also depends on its source and namespace, fixed for this object too).
   */
  read?: PolicyRead | AdminRead | ServiceRead | IngressRead | WorkloadRead;
  built?: NetworkPolicy | Workload | SkippedObject;
}

// What reading a file gives, kept per parsed file: the parse cache hands the same documents back for an
// unchanged file, so a rebuild (the head of a diff, the next pull request) reads only what changed, and
// clusters built from the same documents share their model records (read-only, like the documents). One
// record per file rather than one memo entry per object: a few hundred thousand weakly held entries made
// every full garbage collection slow. Everything that depends on the build (duplicates, namespaces in use,
// ownership, diagnostic lines) is still worked out on every build.
export interface FileModel {
  /** The parsed documents it was made from. */
  readonly documents: readonly RawDocument[];
  /** The objects depend on the path (their sources) and the default namespace (their identities). */
  readonly path: string;
  readonly defaultNamespace: string;
  /** What parsing the file gave besides its documents (the same documents at the same path give the same). */
  readonly parseDiagnostics: readonly Diagnostic[];
  readonly documentCount: number;
  /** The objects of the file (lists flattened). */
  readonly items: readonly ListItem[];
  /** items[i] as a named Kubernetes object, or undefined when it is not one (the build says why). */
  readonly objects: readonly (K8sObject | undefined)[];
}

/** File models by the parsed documents they come from, newest first (the same text may be at a few paths). */
const fileModels = new WeakMap<readonly RawDocument[], FileModel[]>();
const MODELS_PER_DOCUMENTS = 4;

export function fileModel(parsed: ParsedFile, path: string, defaultNamespace: string, texts: ReadonlyMap<string, string>): FileModel {
  const { documents } = parsed;
  const models = fileModels.get(documents);
  if (models !== undefined) {
    for (const m of models) if (m.path === path && m.defaultNamespace === defaultNamespace) return m;
  }
  const items = objectsOf(path, documents, texts);
  const model: FileModel = {
    documents,
    path,
    defaultNamespace,
    parseDiagnostics: parsed.diagnostics,
    documentCount: parsed.documentCount,
    items,
    objects: items.map((item) => identify(item, defaultNamespace)),
  };
  // The same text at another path (two checkouts compared side by side): what reading an object gave
  // depends on its raw value and kind alone, so it is shared; the records (which carry the path) are not.
  const sibling = models?.find((m) => m.objects.length === model.objects.length);
  if (sibling) {
    model.objects.forEach((o, i) => {
      const s = sibling.objects[i];
      if (o && s && s.obj === o.obj && s.kind === o.kind && s.read) o.read = s.read;
    });
  }
  if (models === undefined) fileModels.set(documents, [model]);
  else {
    models.unshift(model);
    if (models.length > MODELS_PER_DOCUMENTS) models.pop();
  }
  return model;
}

/** The path of a document's own object: one list for every source (paths are never changed). */
const DOCUMENT_ROOT: readonly (string | number)[] = [];

/** The objects of the documents of one file, with their sources. */
function objectsOf(path: string, documents: readonly RawDocument[], texts: ReadonlyMap<string, string>): readonly ListItem[] {
  const out: ListItem[] = [];
  for (const d of documents) {
    const source: SourceRef = { file: path, line: d.line, doc: d.doc, path: DOCUMENT_ROOT };
    if (isObject(d.value) && isList(d.value)) out.push(...listItems(d.value, source, texts));
    else out.push({ value: d.value, source });
  }
  return out;
}

/** The item as a named Kubernetes object, or undefined when it is not one (the caller says why). */
function identify(item: ListItem, defaultNamespace: string): K8sObject | undefined {
  const { value, source } = item;
  if (!isObject(value)) return undefined;
  const kind = typeof value.kind === 'string' ? value.kind : item.kind;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : item.apiVersion;
  if (!kind || !apiVersion) return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const explicitNamespace = typeof metadata.namespace === 'string' && metadata.namespace !== '';
  const namespace = explicitNamespace ? (metadata.namespace as string) : defaultNamespace;
  // Cluster-scoped kinds have no namespace: their key and their shown name are the name alone.
  const clusterScoped = kind === 'Namespace' || ADMIN_KINDS.has(kind);
  // read and built are set later: present from the start, so that setting them keeps the object's shape (a
  // property added later goes to a property array of its own, one per object).
  return { obj: value, kind, apiVersion, name, namespace, explicitNamespace, source, clusterScoped, read: undefined, built: undefined };
}
