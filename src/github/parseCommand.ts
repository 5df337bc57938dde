// `/netpol ...` PR comment commands, parsed by a pure function (no GitHub, no domain logic).
import type { Protocol } from '../manifests/model.js';
import type { ConnectionQuery } from './deps.js';

export type Command =
  | ({ readonly kind: 'explain-connection' } & ConnectionQuery)
  | { readonly kind: 'explain-policy'; readonly policy: string }
  | { readonly kind: 'matrix'; readonly namespace?: string }
  | { readonly kind: 'diff' }
  | { readonly kind: 'help' }
  /** A `/netpol` command that could not be understood: answer with `error` and the usage text. */
  | { readonly kind: 'usage'; readonly error: string };

export const COMMAND_PREFIX = '/netpol';

export const USAGE = [
  'Usage:',
  '',
  '- `/netpol explain <src> <dst>[:port[/protocol]]` (also `<src> -> <dst>:port`): why a connection is allowed or denied at the head commit. `<src>`/`<dst>`: a workload `namespace/name`, `namespace/name[Kind]`, or an IP/CIDR.',
  '- `/netpol explain policy <namespace/name>`: what one NetworkPolicy selects and allows (`anp/<name>` or `banp/default` for an admin policy).',
  '- `/netpol matrix [namespace]`: the reachability matrix at the head commit.',
  '- `/netpol diff`: analyse the pull request again.',
  '- `/netpol help`: this text.',
].join('\n');

const MAX_TOKEN = 253;
/** Workload ids, namespaces, IPs/CIDRs, kinds in brackets, named ports; nothing that needs escaping to parse. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:/\-[\]*]*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const POLICY_ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** A cluster-scoped admin policy: `anp/<name>` or `banp/default` (their names have no namespace). */
const ADMIN_POLICY_ID = /^(anp|banp)\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PORT_SUFFIX = /^(.+?):([0-9]+|[a-z](?:[-a-z0-9]*[a-z0-9])?)(?:\/(tcp|udp|sctp))?$/i;

function isCommandLine(line: string): boolean {
  return line === COMMAND_PREFIX || line.startsWith(`${COMMAND_PREFIX} `) || line.startsWith(`${COMMAND_PREFIX}\t`);
}

/** Split `a->b`, `a -> b`, `a → b` into [a, '->', b]. */
function tokenize(rest: string): string[] {
  return rest
    .replace(/\u2192/g, '->')
    .replace(/->/g, ' -> ')
    .split(/\s+/)
    .filter((t) => t !== '');
}

function checkToken(token: string, what: string): string | undefined {
  if (token.length > MAX_TOKEN) return `${what} is too long`;
  if (!TOKEN.test(token)) return `${what} has unexpected characters`;
  return undefined;
}

function parseExplain(args: string[]): Command {
  if (args[0] === 'policy') {
    if (args.length !== 2) return { kind: 'usage', error: '`explain policy` takes one `namespace/name`' };
    const id = args[1]!;
    if (id.length > MAX_TOKEN || !(POLICY_ID.test(id) || ADMIN_POLICY_ID.test(id))) {
      return { kind: 'usage', error: 'the policy must be written `namespace/name` (or `anp/name`, `banp/default`)' };
    }
    return { kind: 'explain-policy', policy: id };
  }
  const parts = args.filter((a) => a !== '->');
  const arrows = args.length - parts.length;
  if (parts.length !== 2 || arrows > 1 || (arrows === 1 && args[1] !== '->')) {
    return { kind: 'usage', error: '`explain` takes a source and a destination' };
  }
  const [src, dstWithPort] = parts as [string, string];
  const srcError = checkToken(src, 'the source');
  if (srcError) return { kind: 'usage', error: srcError };
  const dstError = checkToken(dstWithPort, 'the destination');
  if (dstError) return { kind: 'usage', error: dstError };

  const m = PORT_SUFFIX.exec(dstWithPort);
  if (!m) return { kind: 'explain-connection', src, dst: dstWithPort };
  const [, dst, portText, proto] = m as unknown as [string, string, string, string | undefined];
  let port: number | string;
  if (/^[0-9]+$/.test(portText)) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return { kind: 'usage', error: 'the port must be between 1 and 65535' };
    }
  } else {
    if (portText.length > 15) return { kind: 'usage', error: 'a named port has at most 15 characters' };
    port = portText.toLowerCase();
  }
  const protocol = proto ? (proto.toUpperCase() as Protocol) : undefined;
  return { kind: 'explain-connection', src, dst, port, ...(protocol ? { protocol } : {}) };
}

/**
 * Parse a PR comment. Returns `undefined` when the comment is not a `/netpol` command (its first non-empty
 * line does not start with the word `/netpol`); otherwise a command, `help`, or `usage` with an error.
 * Only the first line is read; the rest of the comment is free text.
 */
export function parseCommand(body: string): Command | undefined {
  const first = body.replace(/^\s+/, '').split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (!isCommandLine(first)) return undefined;
  const args = tokenize(first.slice(COMMAND_PREFIX.length));
  const [verb, ...rest] = args;
  switch (verb?.toLowerCase()) {
    case undefined:
    case 'help':
      return rest.length === 0 || verb === undefined ? { kind: 'help' } : { kind: 'usage', error: '`help` takes no arguments' };
    case 'diff':
      return rest.length === 0 ? { kind: 'diff' } : { kind: 'usage', error: '`diff` takes no arguments' };
    case 'matrix': {
      if (rest.length === 0) return { kind: 'matrix' };
      if (rest.length > 1) return { kind: 'usage', error: '`matrix` takes at most one namespace' };
      const ns = rest[0]!;
      if (ns.length > 63 || !NAMESPACE.test(ns)) return { kind: 'usage', error: 'the namespace is not a valid namespace name' };
      return { kind: 'matrix', namespace: ns };
    }
    case 'explain':
      if (rest.length === 0) return { kind: 'usage', error: '`explain` needs a source and a destination' };
      return parseExplain(rest);
    default:
      return { kind: 'usage', error: 'unknown command' };
  }
}
