import { IpSet, parseCidr } from '../engine/ipSet.js';

const V4 = IpSet.allV4;
const V6 = IpSet.allV6;

/**
 * An address set in the fewest words: "any IP address", "0.0.0.0/0", "10.0.0.0/8, 192.168.0.0/16",
 * "0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12", or "12 ranges from 1.0.0.0/8 to ...".
 */
export function describeIps(set: IpSet): string {
  if (set.isEmpty()) return 'no address';
  if (set.contains(IpSet.all)) return 'any IP address (0.0.0.0/0, ::/0)';
  return [set.intersect(V4), set.intersect(V6)]
    .filter((s) => !s.isEmpty())
    .map(describeFamily)
    .join(', ');
}

function describeFamily(set: IpSet): string {
  const cidrs = set.toCidrs();
  const listed = cidrs.length <= 3 ? cidrs.join(', ') : undefined;
  const enclosing = smallestEnclosing(set);
  const holes = IpSet.fromCidr(enclosing).subtract(set).toCidrs();
  const excepted = holes.length <= 3 ? `${enclosing} except ${holes.join(', ')}` : undefined;
  const candidates = [listed, excepted].filter((x): x is string => x !== undefined);
  if (candidates.length === 0) return `${cidrs.length} ranges: ${cidrs.slice(0, 3).join(', ')}, …`;
  return candidates.reduce((a, b) => (b.length < a.length ? b : a));
}

/** The smallest single CIDR that contains the whole set (within one family). */
function smallestEnclosing(set: IpSet): string {
  const first = set.toCidrs()[0]!;
  const family = parseCidr(first).family;
  const width = family === 'IPv4' ? 32 : 128;
  const [addr] = first.split('/') as [string];
  for (let bits = width; bits >= 0; bits--) {
    const candidate = parseCidr(`${addr}/${bits}`).text;
    if (IpSet.fromCidr(candidate).contains(set)) return candidate;
  }
  return family === 'IPv4' ? '0.0.0.0/0' : '::/0';
}
