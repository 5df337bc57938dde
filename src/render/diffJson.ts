// `netpol diff --format json` and the app's machine-readable result: always complete (never bounded like the
// comment). Ids are exactly those of `matrix` JSON; pair entries carry only the delta.
import type { PortSetJson } from '../engine/portSet.js';
import type { Diagnostic } from '../manifests/model.js';
import type { Attribution, EndpointGroup, LineDirection, PairDelta, ReachabilityDiff, Risk, RiskFlag, SideSummary } from '../diff/types.js';

export interface DiffJsonSummaryLine {
  readonly text: string;
  readonly risk: Risk;
  readonly direction: LineDirection;
  readonly attribution: readonly Attribution[];
  // Beyond the documented fields: what scripts need to filter without re-deriving it.
  readonly flags: readonly RiskFlag[];
  readonly from: EndpointGroup;
  readonly to: EndpointGroup;
  readonly ports: PortSetJson;
}

export interface DiffJson {
  readonly base: SideSummary;
  readonly head: SideSummary;
  readonly opened: readonly PairDelta[];
  readonly closed: readonly PairDelta[];
  readonly summary: readonly DiffJsonSummaryLine[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The diff as plain data (ranked summary lines); the caller serialises it. */
export function diffJson(diff: ReachabilityDiff): DiffJson {
  return {
    base: diff.base,
    head: diff.head,
    opened: diff.opened,
    closed: diff.closed,
    summary: diff.lines.map((l) => ({
      text: l.text,
      risk: l.risk,
      direction: l.direction,
      attribution: l.attribution,
      flags: l.flags,
      from: l.from,
      to: l.to,
      ports: l.ports,
    })),
    diagnostics: diff.diagnostics,
  };
}
