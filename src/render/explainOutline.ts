// The layout shared by the text and markdown renderings of an explain result: headed lines and indented
// items, each with an optional file:line. The two renderers differ only in how they write a line.
import type { DirectionChain, ExplainResult, Location } from '../explain/types.js';

export interface OutlineLine {
  /** 0: a heading or paragraph; 1: an item under it; 2: an item under an item. */
  readonly depth: 0 | 1 | 2;
  /** A short label written before the text ("denied", "Egress of x"), emphasised in markdown. */
  readonly lead?: string;
  readonly text: string;
  readonly at?: Location;
}

/** An explain result as lines, in reading order. */
export function explainOutline(result: ExplainResult): OutlineLine[] {
  if (result.kind === 'error') {
    return [
      { depth: 0, lead: 'error', text: result.error },
      ...(result.candidates.length > 0 ? [{ depth: 1 as const, text: 'candidates:' }] : []),
      ...result.candidates.map((c) => ({ depth: 2 as const, text: c })),
    ];
  }
  if (result.kind === 'policies') {
    const out: OutlineLine[] = [];
    if (result.policies.length === 0) out.push({ depth: 0, text: 'No NetworkPolicy in the given manifests.' });
    for (const p of result.policies) {
      out.push({ depth: 0, lead: p.id, text: '', at: p });
      for (const f of p.facts) out.push({ depth: 1, text: f.text });
    }
    if (result.warnings.length > 0) out.push({ depth: 0, lead: 'Warnings', text: `${result.warnings.length}` });
    for (const w of result.warnings) out.push({ depth: 1, text: w.message, at: w });
    return out;
  }
  const e = result.explanation;
  // Partially: some of the ports, or (for an IP endpoint) all of them to or from only some of the addresses.
  const partly =
    e.verdict !== 'partially'
      ? ''
      : e.allowedPorts.equals(e.asked.ports)
        ? ' (for part of the addresses)'
        : ` (allowed: ${e.allowedPorts.toString()})`;
  const out: OutlineLine[] = [{ depth: 0, lead: e.verdict, text: `${e.from.id} -> ${e.to.id}, ${e.asked.text}${partly}` }];
  if (e.byAddress && (e.byAddress.length > 1 || e.verdict === 'partially')) {
    out.push({ depth: 1, text: 'by address:' });
    for (const a of e.byAddress) out.push({ depth: 2, text: `${a.cidrs.join(', ')}: ${a.ports.toString()}` });
  }
  for (const n of e.notes) out.push({ depth: 1, text: `note: ${n}` });
  out.push(...chainLines(e.egress), ...chainLines(e.ingress));
  return out;
}

function chainLines(c: DirectionChain): OutlineLine[] {
  const lines = networkPolicyLines(c);
  if (c.flow === undefined) return lines;
  // Admin policies decide first: the tiers line says which tier decided what, then the NetworkPolicy details.
  const at = c.admin?.[0];
  return [lines[0]!, { depth: 1, text: `tiers: ${c.flow}`, ...(at ? { at } : {}) }, ...lines.slice(1)];
}

function networkPolicyLines(c: DirectionChain): OutlineLine[] {
  const lead = `${c.direction === 'egress' ? 'Egress' : 'Ingress'} of ${c.subject}`;
  switch (c.status) {
    case 'outside-cluster':
      return [{ depth: 0, lead, text: 'outside the cluster, no NetworkPolicy applies' }];
    case 'host-network':
      return [{ depth: 0, lead, text: 'uses hostNetwork, no NetworkPolicy applies' }];
    case 'not-isolated':
      return [{ depth: 0, lead, text: `not isolated (no NetworkPolicy selects it for ${c.direction})` }];
    case 'isolated': {
      const by = c.isolatedBy.map((p) => `${p.policy} (${p.file}:${p.line})`).join(', ');
      const allows =
        c.allows === 'all' ? 'allows all of it' : c.allows === 'none' ? 'allows none of it' : `allows part of it: ${c.allowedPorts.toString()}`;
      const out: OutlineLine[] = [{ depth: 0, lead, text: `isolated by ${by}; ${allows}` }];
      if (c.allowedBy.length > 0) out.push({ depth: 1, text: 'allowed by:' });
      for (const s of c.allowedBy) out.push({ depth: 2, text: s.text, at: s });
      if (c.misses.length > 0) out.push({ depth: 1, text: 'nearest misses:' });
      for (const m of c.misses) out.push({ depth: 2, text: m.text, at: m });
      return out;
    }
  }
}
