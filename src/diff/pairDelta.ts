import type { PortSet, PortSetJson } from '../engine/portSet.js';
import type { PairDelta } from './types.js';

/** A per-pair delta in the JSON contract's shape: `all`, or the ports by protocol. */
export function toPairDelta(d: { src: { id: string }; dst: { id: string }; ports: PortSet }): PairDelta {
  return pairDeltaOf(d, d.ports.toJSON());
}

function pairDeltaOf(d: { src: { id: string }; dst: { id: string } }, json: PortSetJson): PairDelta {
  if ('all' in json) return { src: d.src.id, dst: d.dst.id, all: true };
  return { src: d.src.id, dst: d.dst.id, ports: json.ports, ...(json.otherProtocols ? { otherProtocols: true as const } : {}) };
}

/**
 * toPairDelta for one diff, each port set's JSON made once: the pairs of an added workload (thousands, at
 * the huge bench tier) mostly share one port set. Pairs share that JSON (results are read-only).
 */
export function pairDeltaMaker(): (d: { src: { id: string }; dst: { id: string }; ports: PortSet }) => PairDelta {
  const made = new Map<PortSet, PortSetJson>();
  return (d) => {
    let json = made.get(d.ports);
    if (json === undefined) made.set(d.ports, (json = d.ports.toJSON()));
    return pairDeltaOf(d, json);
  };
}

/** Pairs sorted by source id, then destination id. */
export function byPair(a: PairDelta, b: PairDelta): number {
  return a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0;
}
