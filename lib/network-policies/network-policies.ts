import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PodPeer } from '../common/endpoints';
import { stackLabels } from '../common/labels';
import { ClusterIntake, Connection } from '../common/wiring';

export interface StackNetworkPoliciesProps {
  /** Every connection between the stack's pods (StackWiring.connections). */
  readonly connections: readonly Connection[];
  /** Ports open to every pod of the cluster (StackWiring.clusterIntakes). @default - none */
  readonly clusterIntakes?: readonly ClusterIntake[];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function peerKey(peer: PodPeer): string {
  return `${peer.namespace}/${JSON.stringify(Object.entries(peer.podLabels).sort())}`;
}

/**
 * One ingress NetworkPolicy per target workload, allowing exactly the connections the stack's
 * wiring declares. The namespaces deny all other ingress (StackNamespaces).
 */
export class StackNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: StackNetworkPoliciesProps) {
    super(scope, id);
    const byTarget = new Map<string, { target: PodPeer; connections: Connection[] }>();
    for (const c of props.connections) {
      const key = peerKey(c.to);
      const entry = byTarget.get(key) ?? { target: c.to, connections: [] };
      entry.connections.push(c);
      byTarget.set(key, entry);
    }
    for (const intake of props.clusterIntakes ?? []) {
      new k8s.KubeNetworkPolicy(this, `${intake.to.namespace}-intake-${intake.to.name}`, {
        metadata: {
          name: `allow-cluster-to-${intake.to.name}`,
          namespace: intake.to.namespace,
          labels: stackLabels(),
          annotations: { 'observability-stack.io/allowed-clients': `every pod of the cluster (${intake.purpose})` },
        },
        spec: {
          podSelector: { matchLabels: { ...intake.to.podLabels } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: {} }], ports: intake.ports.map((port) => ({ port: k8s.IntOrString.fromString(port), protocol: 'TCP' })) }],
        },
      });
    }
    const names = new Set<string>();
    for (const { target, connections } of [...byTarget.values()].sort((a, b) => peerKey(a.target).localeCompare(peerKey(b.target)))) {
      const name = `allow-ingress-to-${target.name}`;
      if (names.has(`${target.namespace}/${name}`)) {
        throw new Error(`Two workloads named "${target.name}" in namespace "${target.namespace}" would share NetworkPolicy ${name}`);
      }
      names.add(`${target.namespace}/${name}`);
      new k8s.KubeNetworkPolicy(this, `${target.namespace}-${name}`, {
        metadata: {
          name,
          namespace: target.namespace,
          labels: stackLabels(),
          annotations: {
            'observability-stack.io/allowed-clients': connections
              .map((c) => `${c.from.namespace}/${c.from.name} (${c.purpose})`)
              .filter((v, i, all) => all.indexOf(v) === i)
              .join(', '),
          },
        },
        spec: {
          podSelector: { matchLabels: { ...target.podLabels } },
          policyTypes: ['Ingress'],
          ingress: connections.map((c) => ({
            from: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: c.from.namespace } },
                podSelector: { matchLabels: { ...c.from.podLabels } },
              },
            ],
            ports: [...new Set(c.ports)].map((port) => ({ port: k8s.IntOrString.fromString(port), protocol: 'TCP' })),
          })),
        },
      });
    }
  }
}
