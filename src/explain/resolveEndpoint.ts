import { IpSet, parseCidr } from '../engine/ipSet.js';
import type { ReachabilityMatrix } from '../engine/matrix.js';
import type { Workload } from '../manifests/model.js';
import type { ExplainEndpoint } from './types.js';

export type ResolvedEndpoint =
  | { readonly ok: true; readonly endpoint: ExplainEndpoint }
  | { readonly ok: false; readonly error: string; readonly candidates: string[] };

const INTERNET = 'internet';
/** More candidates than this help nobody; the message says how many there were. */
const MAX_CANDIDATES = 20;

/**
 * Resolve what a user typed for `--from`/`--to`: `ns/name`, `name` (when unique), `ns/name[Kind]`,
 * `name[Kind]`, `Kind/name`, an IP address or CIDR (or several, comma-separated), or `internet`
 * (0.0.0.0/0 and ::/0). Never guesses: an ambiguous or unknown name is an error that lists the candidates.
 */
export function resolveEndpoint(matrix: ReachabilityMatrix, query: string): ResolvedEndpoint {
  const q = query.trim();
  if (q === '') return { ok: false, error: 'empty endpoint', candidates: [] };
  if (q.toLowerCase() === INTERNET) return { ok: true, endpoint: { kind: 'ip', id: INTERNET, set: IpSet.all } };
  if (looksLikeAddress(q)) {
    const asAddress = resolveAddresses(q);
    // Workload names may contain dots ("cafe.be" is also hex): when the address reading fails, try the name.
    if (asAddress.ok) return asAddress;
    const asName = resolveName(matrix.workloads, q);
    return asName.ok ? asName : asAddress;
  }
  return resolveName(matrix.workloads, q);
}

function resolveName(workloads: readonly Workload[], q: string): ResolvedEndpoint {
  const withKind = /^(?:([^/[\]]+)\/)?([^/[\]]+)\[([^\]]+)\]$/.exec(q);
  if (withKind) {
    const [, ns, name, kind] = withKind as unknown as [string, string | undefined, string, string];
    const found = workloads.filter(
      (w) => w.name === name && sameKind(w.kind, kind) && (ns === undefined || w.namespace === ns),
    );
    return pick(q, found, () => notFound(workloads, q, ns, name));
  }
  const parts = q.split('/');
  if (parts.length === 2) {
    const [first, name] = parts as [string, string];
    // `a/b` is `namespace/name` or `Kind/name`; when both readings match something, the user chooses.
    const found = workloads.filter((w) => w.name === name && (w.namespace === first || sameKind(w.kind, first)));
    return pick(q, found, () => notFound(workloads, q, first, name));
  }
  if (parts.length === 1) {
    return pick(q, workloads.filter((w) => w.name === q), () => notFound(workloads, q, undefined, q));
  }
  return {
    ok: false,
    error: `"${q}" is not an endpoint: use ns/name, name, ns/name[Kind], Kind/name, an IP address or CIDR, or internet`,
    candidates: [],
  };
}

function pick(
  q: string,
  found: readonly Workload[],
  none: () => { ok: false; error: string; candidates: string[] },
): ResolvedEndpoint {
  if (found.length === 1) {
    const w = found[0]!;
    return { ok: true, endpoint: { kind: 'workload', id: w.id, workload: w } };
  }
  if (found.length === 0) return none();
  return {
    ok: false,
    error: `"${q}" matches ${found.length} workloads; name one of them as ns/name[Kind]`,
    candidates: capped(found.map((w) => w.id)),
  };
}

function notFound(
  workloads: readonly Workload[],
  q: string,
  namespaceOrKind: string | undefined,
  name: string,
): { ok: false; error: string; candidates: string[] } {
  // Offer what the user may have meant, without choosing: the same name elsewhere, else the namespace's workloads.
  const sameName = workloads.filter((w) => w.name === name);
  const inNamespace = namespaceOrKind === undefined ? [] : workloads.filter((w) => w.namespace === namespaceOrKind);
  const candidates = capped((sameName.length > 0 ? sameName : inNamespace).map((w) => w.id));
  const where =
    namespaceOrKind === undefined
      ? ''
      : inNamespace.length > 0
        ? ` in namespace ${namespaceOrKind}`
        : ` in a namespace or of a kind "${namespaceOrKind}"`;
  return { ok: false, error: `no workload "${name}"${where} (asked: "${q}")`, candidates };
}

function capped(ids: string[]): string[] {
  const sorted = [...ids].sort();
  if (sorted.length <= MAX_CANDIDATES) return sorted;
  return [...sorted.slice(0, MAX_CANDIDATES), `... and ${sorted.length - MAX_CANDIDATES} more`];
}

function sameKind(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Digits, hex, dots, colons, slashes and commas, with a '.' or ':' somewhere: an address, never a name. */
function looksLikeAddress(q: string): boolean {
  return /^[0-9a-fA-F:.,/\s]+$/.test(q) && /[.:]/.test(q);
}

function resolveAddresses(q: string): ResolvedEndpoint {
  let set = IpSet.empty;
  const shown: string[] = [];
  for (const part of q.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    try {
      const c = parseCidr(part);
      set = set.union(IpSet.fromCidr(c.text));
      // A single address reads better without /32 or /128.
      shown.push(c.text.endsWith('/32') || c.text.endsWith('/128') ? c.text.replace(/\/\d+$/, '') : c.text);
    } catch {
      return { ok: false, error: `"${part}" is not an IP address or CIDR`, candidates: [] };
    }
  }
  if (set.isEmpty()) return { ok: false, error: `"${q}" names no address`, candidates: [] };
  return { ok: true, endpoint: { kind: 'ip', id: shown.join(', '), set } };
}
