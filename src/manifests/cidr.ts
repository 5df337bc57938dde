// CIDR parsing as the API server does it for ipBlock (netutils.ParseCIDRSloppy): dotted-decimal IPv4
// (leading zeros read as decimal, never octal as ipaddr.js would), or IPv6, with a decimal prefix length.
import ipaddr from 'ipaddr.js';

export interface Cidr {
  readonly family: 4 | 6;
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  readonly prefix: number;
  /** Normalised: network address (host bits cleared) / prefix. */
  readonly text: string;
  /** Whether the written address had host bits set (the API accepts it; it means the network). */
  readonly hadHostBits: boolean;
}

/**
 * Parsed CIDRs by text. Policies repeat a few CIDRs (0.0.0.0/0, the RFC 1918 ranges, a company's egress
 * ranges) thousands of times; results are shared, so nothing may mutate them. Bounded: cleared when full.
 */
const parsed = new Map<string, Cidr | string>();
const MAX_PARSED = 10_000;

/** Parses a CIDR, or returns a message saying why it is not one. */
export function parseCidr(s: string): Cidr | string {
  let hit = parsed.get(s);
  if (hit === undefined) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    hit = parse(s);
    parsed.set(s, hit);
  }
  return hit;
}

function parse(s: string): Cidr | string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return `"${s}" is not a valid CIDR (expected address/prefix, e.g. 10.0.0.0/16)`;
  const [, addr = '', prefixText = ''] = m;
  const prefix = Number(prefixText);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) {
    const octets = addr.split('.').map(Number);
    if (octets.some((o) => o > 255)) return `"${s}" is not a valid CIDR (IPv4 octet over 255)`;
    if (prefix > 32) return `"${s}" is not a valid CIDR (prefix length over 32)`;
    // The network address by masking, as ipaddr's networkAddressFromCIDR would give it (without a re-parse).
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const written = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
    const net = (written & mask) >>> 0;
    const network = new ipaddr.IPv4([net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255]);
    return { family: 4, address: network, prefix, text: `${network.toString()}/${prefix}`, hadHostBits: net !== written };
  }
  let address: ipaddr.IPv6;
  if (addr.includes(':') && !addr.includes('%') && ipaddr.IPv6.isValid(addr)) {
    address = ipaddr.IPv6.parse(addr);
  } else {
    return `"${s}" is not a valid CIDR (bad IP address)`;
  }
  if (prefix > 128) return `"${s}" is not a valid CIDR (prefix length over 128)`;
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
  const text = `${network.toString()}/${prefix}`;
  const hadHostBits = network.toString() !== address.toString();
  return { family: 6, address: network, prefix, text, hadHostBits };
}
