import type { PortSet } from '../engine/portSet.js';
import type { PairDelta } from './types.js';

/** A per-pair delta in the JSON contract's shape: `all`, or the ports by protocol. */
export function toPairDelta(d: { src: { id: string }; dst: { id: string }; ports: PortSet }): PairDelta {
  const json = d.ports.toJSON();
  if ('all' in json) return { src: d.src.id, dst: d.dst.id, all: true };
  return { src: d.src.id, dst: d.dst.id, ports: json.ports, ...(json.otherProtocols ? { otherProtocols: true as const } : {}) };
}

/** Pairs sorted by source id, then destination id. */
export function byPair(a: PairDelta, b: PairDelta): number {
  return a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0;
}
