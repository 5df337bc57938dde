import { describe, expect, it } from 'vitest';
import { PortSet } from '../../src/engine/portSet.js';

describe('PortSet', () => {
  const tcp = (a: number, b = a) => PortSet.of('TCP', a, b);
  it('merges adjacent and overlapping ranges', () => {
    expect(tcp(80).union(tcp(81)).union(tcp(8000, 8080)).union(tcp(8050, 9000)).toJSON()).toEqual({
      ports: { TCP: [[80, 81], [8000, 9000]], UDP: [], SCTP: [] },
    });
  });
  it('port 1 alone is one port, not the whole range', () => {
    expect(tcp(1).toShortString()).toBe('1/TCP');
    expect(PortSet.of('TCP').toShortString()).toBe('all TCP ports');
  });
  it('all includes protocols other than TCP/UDP/SCTP; three full protocols are not all', () => {
    const three = PortSet.of('TCP').union(PortSet.of('UDP')).union(PortSet.of('SCTP'));
    expect(three.isAll()).toBe(false);
    expect(PortSet.all.subtract(three).toJSON()).toEqual({ ports: { TCP: [], UDP: [], SCTP: [] }, otherProtocols: true });
    expect(PortSet.all.toJSON()).toEqual({ all: true });
  });
  it('intersects and subtracts per protocol', () => {
    const a = tcp(80, 90).union(PortSet.of('UDP', 53));
    const b = tcp(85, 100);
    expect(a.intersect(b).toString()).toBe('TCP 85-90');
    expect(a.subtract(b).toString()).toBe('TCP 80-84; UDP 53');
    expect(b.subtract(a).toString()).toBe('TCP 91-100');
    expect(PortSet.all.subtract(tcp(80)).toString()).toBe('TCP 1-79, 81-65535; UDP all ports; SCTP all ports; other protocols (ICMP, ...)');
  });
  it('union merges like normalizing the concatenated ranges (random sets, adjacent and nested ranges)', () => {
    let state = 12345;
    const rnd = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const randomRanges = (): [number, number][] => {
      const out: [number, number][] = [];
      const count = rnd(5);
      for (let i = 0; i < count; i++) {
        // Small ports make overlaps and adjacency common; sometimes the bounds.
        const a = rnd(10) === 0 ? 1 : 1 + rnd(40);
        const b = rnd(10) === 0 ? 65535 : a + rnd(6);
        out.push([a, b]);
      }
      return out;
    };
    const randomSet = () => PortSet.fromRanges({ TCP: randomRanges(), UDP: randomRanges(), SCTP: randomRanges() }, rnd(4) === 0);
    for (let i = 0; i < 2000; i++) {
      const a = randomSet();
      const b = rnd(10) === 0 ? a : randomSet();
      const expected = PortSet.fromRanges({ TCP: [...a.TCP, ...b.TCP], UDP: [...a.UDP, ...b.UDP], SCTP: [...a.SCTP, ...b.SCTP] }, a.other || b.other);
      expect(a.union(b).key()).toBe(expected.key());
      expect(b.union(a).key()).toBe(expected.key());
      expect(a.union(b).isAll()).toBe(expected.isAll());
    }
  });
  it('has equal keys for equal sets built differently', () => {
    expect(tcp(1, 10).union(tcp(11, 20)).equals(tcp(1, 20))).toBe(true);
    expect(tcp(1, 10).equals(tcp(1, 11))).toBe(false);
    expect(tcp(5).subtract(tcp(5)).isEmpty()).toBe(true);
  });
});
