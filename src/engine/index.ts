export { PortSet, type PortRange, type PortSetJson } from './portSet.js';
export { IpSet, parseCidr, NON_PUBLIC, type IpFamily } from './ipSet.js';
export { partitionAddressSpace, type IpRange } from './ipPartition.js';
export { compileSelector, isEmptySelector, type LabelMatcher } from './labelSelector.js';
export {
  compileCluster,
  resolveNamedPort,
  type CompiledCluster,
  type CompiledPolicy,
  type CompiledRule,
  type CompiledPeer,
  type Direction,
} from './compile.js';
export { computeMatrix, type ReachabilityMatrix, type Endpoint, type Connection, type Isolation } from './matrix.js';
export { ingressPaths, ingressWords, serviceTargets, serviceWords, type IngressPath, type ServiceTarget } from './services.js';
