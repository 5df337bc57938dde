import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/explain/parseTarget.js';

describe('parseTarget: DST[:PORT[/PROTO]]', () => {
  it.each([
    ['default/backend', { endpoint: 'default/backend' }],
    ['default/backend:3000', { endpoint: 'default/backend', port: 3000, protocol: 'TCP' }],
    ['backend:53/udp', { endpoint: 'backend', port: 53, protocol: 'UDP' }],
    ['backend:http/Sctp', { endpoint: 'backend', port: 'http', protocol: 'SCTP' }],
    ['default/backend[Deployment]:http', { endpoint: 'default/backend[Deployment]', port: 'http', protocol: 'TCP' }],
    ['10.0.0.0/8:443', { endpoint: '10.0.0.0/8', port: 443, protocol: 'TCP' }],
    ['[2001:db8::1]:443', { endpoint: '2001:db8::1', port: 443, protocol: 'TCP' }],
    ['[2001:db8::/32]:53/UDP', { endpoint: '2001:db8::/32', port: 53, protocol: 'UDP' }],
    ['[2001:db8::1]', { endpoint: '2001:db8::1' }],
    ['2001:db8::1', { endpoint: '2001:db8::1' }],
    ['internet:443', { endpoint: 'internet', port: 443, protocol: 'TCP' }],
  ])('%s', (input, target) => {
    expect(parseTarget(input)).toEqual({ ok: true, target });
  });

  it.each([
    ['backend:0', '"backend:0": port 0 is not in 1-65535'],
    ['backend:70000', '"backend:70000": port 70000 is not in 1-65535'],
    ['backend:80/icmp', '"backend:80/icmp": unknown protocol "icmp" (TCP, UDP or SCTP)'],
    ['backend:Not_A_Name', '"backend:Not_A_Name": "Not_A_Name" is neither a port number nor a port name'],
    ['backend:80/tcp/x', '"backend:80/tcp/x": expected PORT[/PROTO], got "80/tcp/x"'],
    ['[2001:db8::1', '"[2001:db8::1": missing "]" after the IPv6 address'],
    ['[2001:db8::1]443', '"[2001:db8::1]443": expected ":PORT" after "]", got "443"'],
    [':80', '":80": no destination before the port'],
  ])('%s is refused', (input, error) => {
    expect(parseTarget(input)).toEqual({ ok: false, error });
  });
});
