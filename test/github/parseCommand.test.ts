import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../../src/github/parseCommand.js';

const cases: [string, Command | undefined][] = [
  // not commands
  ['LGTM', undefined],
  ['please run /netpol diff', undefined],
  ['/netpolish', undefined],
  ['`/netpol diff`', undefined],
  ['', undefined],
  // help
  ['/netpol', { kind: 'help' }],
  ['/netpol help', { kind: 'help' }],
  ['  /netpol   HELP  ', { kind: 'help' }],
  ['/netpol help me', { kind: 'usage', error: '`help` takes no arguments' }],
  // diff
  ['/netpol diff', { kind: 'diff' }],
  ['/netpol diff\nthanks!', { kind: 'diff' }],
  ['/netpol\tdiff', { kind: 'diff' }],
  ['/netpol diff now', { kind: 'usage', error: '`diff` takes no arguments' }],
  // matrix
  ['/netpol matrix', { kind: 'matrix' }],
  ['/netpol matrix payments', { kind: 'matrix', namespace: 'payments' }],
  ['/netpol matrix Payments', { kind: 'usage', error: 'the namespace is not a valid namespace name' }],
  ['/netpol matrix a b', { kind: 'usage', error: '`matrix` takes at most one namespace' }],
  ['/netpol matrix `rm`', { kind: 'usage', error: 'the namespace is not a valid namespace name' }],
  // explain connection
  ['/netpol explain web/frontend api/backend', { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend' }],
  ['/netpol explain web/frontend api/backend:8080', { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend', port: 8080 }],
  [
    '/netpol explain web/frontend api/backend:8080/udp',
    { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend', port: 8080, protocol: 'UDP' },
  ],
  [
    '/netpol explain web/frontend api/backend:http/TCP',
    { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend', port: 'http', protocol: 'TCP' },
  ],
  ['/netpol explain web/frontend -> api/backend:443', { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend', port: 443 }],
  ['/netpol explain web/frontend->api/backend:443', { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend', port: 443 }],
  ['/netpol explain web/frontend → api/backend', { kind: 'explain-connection', src: 'web/frontend', dst: 'api/backend' }],
  [
    '/netpol explain 0.0.0.0/0 prod/db[StatefulSet]:5432',
    { kind: 'explain-connection', src: '0.0.0.0/0', dst: 'prod/db[StatefulSet]', port: 5432 },
  ],
  ['/netpol explain prod/app 10.0.0.0/8', { kind: 'explain-connection', src: 'prod/app', dst: '10.0.0.0/8' }],
  ['/netpol explain prod/app fd00::/8', { kind: 'explain-connection', src: 'prod/app', dst: 'fd00::/8' }],
  ['/netpol explain a/b c/d:0', { kind: 'usage', error: 'the port must be between 1 and 65535' }],
  ['/netpol explain a/b c/d:65536', { kind: 'usage', error: 'the port must be between 1 and 65535' }],
  ['/netpol explain a/b c/d:65535', { kind: 'explain-connection', src: 'a/b', dst: 'c/d', port: 65535 }],
  ['/netpol explain a/b c/d:averyveryverylongname', { kind: 'usage', error: 'a named port has at most 15 characters' }],
  ['/netpol explain', { kind: 'usage', error: '`explain` needs a source and a destination' }],
  ['/netpol explain a/b', { kind: 'usage', error: '`explain` takes a source and a destination' }],
  ['/netpol explain a/b c/d e/f', { kind: 'usage', error: '`explain` takes a source and a destination' }],
  ['/netpol explain -> a/b c/d', { kind: 'usage', error: '`explain` takes a source and a destination' }],
  ['/netpol explain a/b -> -> c/d', { kind: 'usage', error: '`explain` takes a source and a destination' }],
  ['/netpol explain `a` c/d', { kind: 'usage', error: 'the source has unexpected characters' }],
  ['/netpol explain a/b @octocat', { kind: 'usage', error: 'the destination has unexpected characters' }],
  ['/netpol explain a/b <!--x', { kind: 'usage', error: 'the destination has unexpected characters' }],
  [`/netpol explain ${'a'.repeat(254)} c/d`, { kind: 'usage', error: 'the source is too long' }],
  // explain policy
  ['/netpol explain policy prod/deny-all', { kind: 'explain-policy', policy: 'prod/deny-all' }],
  ['/netpol explain policy anp/tenant-isolation', { kind: 'explain-policy', policy: 'anp/tenant-isolation' }],
  ['/netpol explain policy banp/default', { kind: 'explain-policy', policy: 'banp/default' }],
  ['/netpol explain policy deny-all', { kind: 'usage', error: 'the policy must be written `namespace/name` (or `anp/name`, `banp/default`)' }],
  ['/netpol explain policy prod/Deny', { kind: 'usage', error: 'the policy must be written `namespace/name` (or `anp/name`, `banp/default`)' }],
  ['/netpol explain policy', { kind: 'usage', error: '`explain policy` takes one `namespace/name`' }],
  ['/netpol explain policy a/b c/d', { kind: 'usage', error: '`explain policy` takes one `namespace/name`' }],
  // unknown
  ['/netpol deploy', { kind: 'usage', error: 'unknown command' }],
  ['/netpol <img src=x>', { kind: 'usage', error: 'unknown command' }],
];

describe('parseCommand', () => {
  it.each(cases)('%j', (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it('reads only the first line', () => {
    expect(parseCommand('/netpol matrix\n/netpol diff')).toEqual({ kind: 'matrix' });
  });

  it('accepts CRLF comments', () => {
    expect(parseCommand('/netpol diff\r\nmore')).toEqual({ kind: 'diff' });
  });
});
