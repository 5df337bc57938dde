// A small shop: the cluster most explain tests ask about. Namespaces default and shop are labelled so that
// namespace selectors have something to match; backend has a named port; one workload uses hostNetwork.
import { cluster, ipBlock, pods, policy, sel, tcp, udp, workload } from '../helpers/model.js';

export const shop = () =>
  cluster({
    namespaces: { default: { project: 'mywebapp' }, shop: { team: 'web' }, other: {} },
    workloads: [
      workload('default/frontend', { app: 'frontend' }),
      workload('default/backend', { app: 'backend' }, { ports: [{ name: 'http', port: 3000, protocol: 'TCP' }] }),
      workload('default/db', { app: 'db' }, { kind: 'StatefulSet', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
      workload('shop/web', { app: 'web' }),
      workload('other/intruder', { app: 'frontend' }),
      workload('other/node-agent', { app: 'agent' }, { kind: 'DaemonSet', hostNetwork: true }),
    ],
    policies: [
      policy('default/backend-policy', {
        podSelector: sel({ app: 'backend' }),
        ingress: [
          {
            peers: [ipBlock('182.213.0.0/16', ['182.213.1.0/24']), pods(undefined, sel({ project: 'mywebapp' })), pods(sel({ app: 'frontend' }))],
            ports: [tcp(3000)],
          },
        ],
      }),
      policy('default/db-policy', {
        podSelector: sel({ app: 'db' }),
        ingress: [{ peers: [pods(sel({ app: 'backend' }))], ports: [tcp('pg')] }],
        egress: [{ peers: [ipBlock('10.0.0.0/9')], ports: [tcp(443)] }, { ports: [udp(53), tcp(53)] }],
      }),
      policy('shop/web-egress', {
        podSelector: sel({ app: 'web' }),
        egress: [
          { peers: [pods(sel({ app: 'backend' }), sel({ project: 'mywebapp' }))], ports: [tcp('http')] },
          { peers: [ipBlock('0.0.0.0/0', ['10.0.0.0/8'])], ports: [tcp(443)] },
        ],
        types: ['Egress'],
      }),
    ],
  });
