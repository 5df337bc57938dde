import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { IpSet, ipv6Text, parseCidr } from '../../src/engine/ipSet.js';
import { partitionAddressSpace } from '../../src/engine/ipPartition.js';

describe('IpSet', () => {
  it('parses IPv4 and IPv6 CIDRs, clearing host bits', () => {
    expect(parseCidr('10.1.2.3/8')).toMatchObject({ text: '10.0.0.0/8', family: 'IPv4', hadHostBits: true });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ text: '2001:db8::/32', family: 'IPv6', hadHostBits: false });
    expect(parseCidr('1.2.3.4').text).toBe('1.2.3.4/32');
    expect(() => parseCidr('10.0.0.0/33')).toThrow('invalid CIDR "10.0.0.0/33"');
    expect(() => parseCidr('nope')).toThrow('invalid CIDR');
  });
  it('cidr minus except gives the fewest CIDRs', () => {
    const s = IpSet.fromIpBlock('182.213.0.0/16', ['182.213.1.0/24']);
    expect(s.toCidrs()).toEqual([
      '182.213.0.0/24',
      '182.213.2.0/23',
      '182.213.4.0/22',
      '182.213.8.0/21',
      '182.213.16.0/20',
      '182.213.32.0/19',
      '182.213.64.0/18',
      '182.213.128.0/17',
    ]);
  });
  it('keeps IPv4 and IPv6 apart', () => {
    expect(IpSet.all.toCidrs()).toEqual(['0.0.0.0/0', '::/0']);
    expect(IpSet.allV4.union(IpSet.fromCidr('::/1')).toCidrs()).toEqual(['0.0.0.0/0', '::/1']);
    expect(IpSet.fromCidr('0.0.0.0/0').coversFamily('IPv4')).toBe(true);
    expect(IpSet.fromIpBlock('0.0.0.0/0', ['10.0.0.0/8']).coversFamily('IPv4')).toBe(false);
  });
  it('coversFamily agrees with contains(all of the family), across and at the family boundary', () => {
    const cidrs = ['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '255.255.255.255/32', '::/0', '::/1', '8000::/1', '::/128', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', '10.0.0.0/8'];
    const sets: IpSet[] = [IpSet.empty, IpSet.all, IpSet.allV4, IpSet.allV6, IpSet.fromIpBlock('0.0.0.0/0', ['10.0.0.0/8']), IpSet.fromIpBlock('::/0', ['::/128'])];
    // Unions of up to three CIDRs: the IPv4 /0 next to ::/1 makes one interval spanning the boundary.
    for (const a of cidrs) for (const b of cidrs) for (const c of cidrs) sets.push(IpSet.fromCidr(a).union(IpSet.fromCidr(b)).union(IpSet.fromCidr(c)));
    for (const s of sets) {
      expect(s.coversFamily('IPv4')).toBe(s.contains(IpSet.allV4));
      expect(s.coversFamily('IPv6')).toBe(s.contains(IpSet.allV6));
    }
  });
  it('contains / overlaps / equals', () => {
    const a = IpSet.fromCidr('10.0.0.0/8');
    expect(a.contains(IpSet.fromCidr('10.1.0.0/16'))).toBe(true);
    expect(IpSet.fromCidr('10.1.0.0/16').contains(a)).toBe(false);
    expect(a.overlaps(IpSet.fromCidr('11.0.0.0/8'))).toBe(false);
    expect(IpSet.fromCidr('10.0.0.0/9').union(IpSet.fromCidr('10.128.0.0/9')).equals(a)).toBe(true);
  });
});

describe('partitionAddressSpace: the coarsest partition every ipBlock respects', () => {
  it('no blocks: one part, every address', () => {
    expect(partitionAddressSpace([]).map((p) => p.id)).toEqual(['0.0.0.0/0,::/0']);
  });
  it('0.0.0.0/0 except 10.0.0.0/8: the non-contiguous remainder is one part', () => {
    const parts = partitionAddressSpace([IpSet.fromIpBlock('0.0.0.0/0', ['10.0.0.0/8'])]).map((p) => p.id);
    expect(parts).toEqual([
      '0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1',
      '10.0.0.0/8,::/0',
    ]);
  });
  it('overlapping blocks split into the parts where membership differs', () => {
    const parts = partitionAddressSpace([IpSet.fromCidr('10.0.0.0/8'), IpSet.fromCidr('10.0.0.0/16')]);
    expect(parts.map((p) => p.id)).toEqual([
      '0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1,::/0',
      '10.0.0.0/16',
      '10.1.0.0/16,10.2.0.0/15,10.4.0.0/14,10.8.0.0/13,10.16.0.0/12,10.32.0.0/11,10.64.0.0/10,10.128.0.0/9',
    ]);
    const union = parts.reduce((s, p) => s.union(p.set), IpSet.empty);
    expect(union.equals(IpSet.all)).toBe(true);
  });
});

describe('ipv6Text', () => {
  it('writes every address as ipaddr.js does (RFC 5952), zero runs of every length and place included', () => {
    // Groups mostly 0 (runs of zeros in every place), else small or large values.
    const group = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (parts) => {
        const want = ipaddr.fromByteArray(parts.flatMap((p) => [p >> 8, p & 255])).toString();
        expect(ipv6Text(parts)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
});
