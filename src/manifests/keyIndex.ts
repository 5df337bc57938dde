// Object identities and their first sources: how a build finds objects defined twice.
import type { SourceRef } from './model.js';
import type { K8sObject } from './fileModel.js';

/** The namespace part of an object's identity: none for cluster-scoped kinds. */
export function keyNamespace(o: K8sObject): string {
  return o.clusterScoped ? '' : o.namespace;
}

/**
 * An object's identity (kind, namespace for namespaced kinds, name) as one string, for the few objects of
 * a derived build's changed files: kind and namespace are length-prefixed, so no two identities share it.
 */
export function keyOf(o: K8sObject): string {
  const ns = keyNamespace(o);
  return `${o.kind.length}:${o.kind}${ns.length}:${ns}${o.name}`;
}

/**
 * The first source of each object identity, by kind, then namespace ('' for cluster-scoped kinds), then
 * name. Nested maps of the parsed strings rather than one map of concatenated keys: a full build looks up
 * every object (250,000 at the huge bench tier), and a concatenated key is made, flattened and hashed each
 * time, where the parsed strings are hashed once (the hash is kept with the string) and the maps are small.
 */
export class KeyTree {
  constructor(private readonly byKind = new Map<string, Map<string, Map<string, SourceRef>>>()) {}

  /** The names of one kind and namespace, with their first sources; created when missing. */
  names(kind: string, namespace: string): Map<string, SourceRef> {
    let byNamespace = this.byKind.get(kind);
    if (byNamespace === undefined) this.byKind.set(kind, (byNamespace = new Map()));
    let names = byNamespace.get(namespace);
    if (names === undefined) byNamespace.set(namespace, (names = new Map()));
    return names;
  }

  get(kind: string, namespace: string, name: string): SourceRef | undefined {
    return this.byKind.get(kind)?.get(namespace)?.get(name);
  }

  /** A copy with the entries removed and added (removals first); the name maps not changed are shared. */
  with(removed: Iterable<KeyEntry>, added: Iterable<KeyEntry>): KeyTree {
    const byKind = new Map<string, Map<string, Map<string, SourceRef>>>();
    for (const [kind, byNamespace] of this.byKind) byKind.set(kind, new Map(byNamespace));
    const copied = new Set<Map<string, SourceRef>>();
    const names = (kind: string, namespace: string): Map<string, SourceRef> => {
      let byNamespace = byKind.get(kind);
      if (byNamespace === undefined) byKind.set(kind, (byNamespace = new Map()));
      let m = byNamespace.get(namespace);
      if (m === undefined || !copied.has(m)) {
        m = new Map(m);
        byNamespace.set(namespace, m);
        copied.add(m);
      }
      return m;
    };
    for (const e of removed) names(e.kind, e.namespace).delete(e.name);
    for (const e of added) names(e.kind, e.namespace).set(e.name, e.source!);
    return new KeyTree(byKind);
  }
}

/** An identity removed from (no source) or added to a KeyTree. */
interface KeyEntry {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly source?: SourceRef;
}

function keyEntry(o: K8sObject, source?: SourceRef): KeyEntry {
  return source === undefined ? { kind: o.kind, namespace: keyNamespace(o), name: o.name } : { kind: o.kind, namespace: keyNamespace(o), name: o.name, source };
}

/**
 * Duplicate detection: the first source of every object key of a build. A build derived from another (see
 * deriveCluster) shares the other's map and records only what it removed and added.
 */
export class KeyIndex {
  /** added and removed are by keyOf. */
  constructor(
    private readonly root: KeyTree,
    private readonly added: ReadonlyMap<string, KeyEntry> = new Map(),
    private readonly removed: ReadonlyMap<string, KeyEntry> = new Map(),
  ) {}

  get(o: K8sObject): SourceRef | undefined {
    if (this.added.size > 0 || this.removed.size > 0) {
      const key = keyOf(o);
      const a = this.added.get(key);
      if (a !== undefined) return a.source;
      if (this.removed.has(key)) return undefined;
    }
    return this.root.get(o.kind, keyNamespace(o), o.name);
  }

  /** removedObjects: objects of removed files; addedObjects: objects of changed files by keyOf. */
  derive(removedObjects: readonly K8sObject[], addedObjects: ReadonlyMap<string, K8sObject>): KeyIndex {
    const added = new Map(this.added);
    const removed = new Map(this.removed);
    for (const o of removedObjects) {
      const k = keyOf(o);
      added.delete(k);
      removed.set(k, keyEntry(o));
    }
    for (const [k, o] of addedObjects) added.set(k, keyEntry(o, o.source));
    if (added.size + removed.size <= KEY_DELTA_LIMIT) return new KeyIndex(this.root, added, removed);
    return new KeyIndex(this.root.with(removed.values(), added.values()));
  }
}
/** Past this many keys removed or added since the last full map, a derived build copies the map. */
const KEY_DELTA_LIMIT = 4096;
