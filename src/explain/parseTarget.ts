import type { Protocol } from '../manifests/model.js';

export interface Target {
  /** The endpoint part, for resolveEndpoint. */
  readonly endpoint: string;
  /** Absent: every port of every protocol. */
  readonly port?: number | string;
  /** TCP when a port is given without protocol. */
  readonly protocol?: Protocol;
}

export type ParsedTarget = { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly error: string };

// IANA_SVC_NAME, the syntax Kubernetes requires of container port names: 1-15 lowercase alphanumerics or '-',
// at least one letter, no leading, trailing or doubled '-'.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,14}$/;

/**
 * Parse `DST[:PORT[/PROTO]]`. An IPv6 destination with a port goes in brackets (`[2001:db8::1]:443`); a bare
 * IPv6 address (more than one ':') has no port. PORT is a number or a port name; PROTO is TCP, UDP or SCTP
 * in any case.
 */
export function parseTarget(input: string): ParsedTarget {
  const s = input.trim();
  let endpoint: string;
  let rest: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return { ok: false, error: `"${input}": missing "]" after the IPv6 address` };
    endpoint = s.slice(1, close);
    const after = s.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      return { ok: false, error: `"${input}": expected ":PORT" after "]", got "${after}"` };
    }
    rest = after === '' ? undefined : after.slice(1);
  } else if ((s.match(/:/g) ?? []).length > 1) {
    endpoint = s;
  } else {
    const colon = s.indexOf(':');
    endpoint = colon < 0 ? s : s.slice(0, colon);
    rest = colon < 0 ? undefined : s.slice(colon + 1);
  }
  if (endpoint === '') return { ok: false, error: `"${input}": no destination before the port` };
  if (rest === undefined) return { ok: true, target: { endpoint } };

  const [portText = '', protoText, extra] = rest.split('/');
  if (extra !== undefined) return { ok: false, error: `"${input}": expected PORT[/PROTO], got "${rest}"` };
  const protocol = parseProtocol(protoText ?? 'TCP');
  if (!protocol) return { ok: false, error: `"${input}": unknown protocol "${protoText}" (TCP, UDP or SCTP)` };
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535) return { ok: false, error: `"${input}": port ${portText} is not in 1-65535` };
    return { ok: true, target: { endpoint, port, protocol } };
  }
  if (!PORT_NAME.test(portText)) {
    return { ok: false, error: `"${input}": "${portText}" is neither a port number nor a port name` };
  }
  return { ok: true, target: { endpoint, port: portText, protocol } };
}

function parseProtocol(text: string): Protocol | undefined {
  const p = text.toUpperCase();
  return p === 'TCP' || p === 'UDP' || p === 'SCTP' ? p : undefined;
}
