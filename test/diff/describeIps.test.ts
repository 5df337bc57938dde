import { describe, expect, it } from 'vitest';
import { describeIps } from '../../src/diff/describeIps.js';
import { IpSet } from '../../src/engine/ipSet.js';

const block = (cidr: string, except: string[] = []) => IpSet.fromIpBlock(cidr, except);

describe('describeIps: the shortest true description of an address set', () => {
  it.each([
    ['everything', IpSet.all, 'any IP address (0.0.0.0/0, ::/0)'],
    ['one CIDR', block('10.0.0.0/8'), '10.0.0.0/8'],
    ['a few CIDRs are listed', block('10.0.0.0/8').union(block('192.168.0.0/16')), '10.0.0.0/8, 192.168.0.0/16'],
    ['a CIDR with a hole', block('182.213.0.0/16', ['182.213.1.0/24']), '182.213.0.0/16 except 182.213.1.0/24'],
    [
      'the internet without private ranges',
      block('0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']),
      '0.0.0.0/0 except 10.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16',
    ],
    [
      'holes that are blocks themselves are bracketed',
      block('0.0.0.0/0').subtract(block('30.204.218.0/24')).subtract(block('182.213.0.0/16', ['182.213.1.0/24'])),
      '0.0.0.0/0 except [30.204.218.0/24, 182.213.0.0/16 except 182.213.1.0/24]',
    ],
    ['both families', block('10.0.0.0/8').union(block('2001:db8::/32')), '10.0.0.0/8, 2001:db8::/32'],
    ['nothing', IpSet.empty, 'no address'],
  ])('%s', (_name, set, text) => {
    expect(describeIps(set)).toBe(text);
  });
});
