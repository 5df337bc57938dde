import { IpSet, parseCidr } from '../engine/ipSet.js';

const V4 = IpSet.allV4;
const V6 = IpSet.allV6;
const MAX_BLOCKS = 3;
/** Plain CIDRs listed after "except" before the holes must be described as blocks themselves. */
const MAX_HOLES = 6;

/**
 * An address set in the fewest words: "any IP address", "0.0.0.0/0", "10.0.0.0/8, 192.168.0.0/16",
 * "0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12", "0.0.0.0/0 except [30.0.0.0/8, 182.213.0.0/16 except
 * 182.213.1.0/24]", or "12 ranges: …" when nothing short is true.
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
  const candidates: string[] = [];
  if (cidrs.length <= MAX_BLOCKS) candidates.push(cidrs.join(', '));
  const b = blocks(set, 0);
  if (b) candidates.push(b.length === 1 ? b[0]!.text : b.map((x) => x.bracketed).join('; '));
  if (candidates.length === 0) return `${cidrs.length} ranges: ${cidrs.slice(0, 3).join(', ')}, …, ${cidrs.at(-1)}`;
  return candidates.reduce((x, y) => (y.length < x.length ? y : x));
}

/**
 * The set as at most three "CIDR except holes" blocks: from its first CIDR, widen to the largest parent
 * prefix whose missing part is small (under half the parent) and itself describable in a few blocks.
 */
interface Block {
  /** "10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16" */
  readonly text: string;
  /** The same with a multi-item except list in brackets, for use in a list of blocks. */
  readonly bracketed: string;
}

function blocks(set: IpSet, depth: number): Block[] | undefined {
  const out: Block[] = [];
  let remaining = set;
  while (!remaining.isEmpty()) {
    if (out.length >= MAX_BLOCKS) return undefined;
    const first = remaining.toCidrs()[0]!;
    const [addr, bitsText] = first.split('/') as [string, string];
    let best = first;
    let bestMissing: string[] = [];
    for (let bits = Number(bitsText) - 1; bits >= 0; bits--) {
      const parent = parseCidr(`${addr}/${bits}`).text;
      const missing = IpSet.fromCidr(parent).subtract(set);
      if (size(missing) * 2n >= size(IpSet.fromCidr(parent))) continue;
      const missingCidrs = missing.toCidrs();
      const nested = depth < 1 && missingCidrs.length > MAX_HOLES ? blocks(missing, depth + 1) : undefined;
      const desc = missingCidrs.length <= MAX_HOLES ? missingCidrs : nested?.map((x) => x.bracketed);
      if (desc) {
        best = parent;
        bestMissing = desc;
      }
    }
    if (bestMissing.length === 0) out.push({ text: best, bracketed: best });
    else {
      const list = bestMissing.join(', ');
      const nestedExcept = bestMissing.some((m) => m.includes(' except '));
      out.push({
        text: `${best} except ${nestedExcept && bestMissing.length > 1 ? `[${list}]` : list}`,
        bracketed: `${best} except ${bestMissing.length > 1 ? `[${list}]` : list}`,
      });
    }
    remaining = remaining.subtract(IpSet.fromCidr(best));
  }
  return out;
}

function size(s: IpSet): bigint {
  return s.intervals.reduce((n, [a, b]) => n + (b - a + 1n), 0n);
}
