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

/** Parses a CIDR, or returns a message saying why it is not one. */
export function parseCidr(s: string): Cidr | string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return `"${s}" is not a valid CIDR (expected address/prefix, e.g. 10.0.0.0/16)`;
  const [, addr = '', prefixText = ''] = m;
  const prefix = Number(prefixText);
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) {
    const octets = addr.split('.').map(Number);
    if (octets.some((o) => o > 255)) return `"${s}" is not a valid CIDR (IPv4 octet over 255)`;
    address = new ipaddr.IPv4(octets);
  } else if (addr.includes(':') && !addr.includes('%') && ipaddr.IPv6.isValid(addr)) {
    address = ipaddr.IPv6.parse(addr);
  } else {
    return `"${s}" is not a valid CIDR (bad IP address)`;
  }
  const family = address.kind() === 'ipv4' ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return `"${s}" is not a valid CIDR (prefix length over ${bits})`;
  const network =
    family === 4
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
  const text = `${network.toString()}/${prefix}`;
  const hadHostBits = network.toString() !== address.toString();
  return { family, address: network, prefix, text, hadHostBits };
}
