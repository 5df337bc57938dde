// Ports of the JSON contract (a line's `ports`, a pair delta) back to the compact human form.
import { PortSet, type PortSetJson } from '../engine/portSet.js';
import type { PairDelta } from '../diff/types.js';

/** "80/TCP, 8000-8080/TCP", "all ports": the same words as PortSet.toShortString. */
export function portsText(json: PortSetJson | PairDelta): string {
  if ('all' in json) return PortSet.all.toShortString();
  return PortSet.fromRanges(
    {
      TCP: json.ports.TCP.map(([a, b]) => [a!, b!] as const),
      UDP: json.ports.UDP.map(([a, b]) => [a!, b!] as const),
      SCTP: json.ports.SCTP.map(([a, b]) => [a!, b!] as const),
    },
    json.otherProtocols === true,
  ).toShortString();
}
