import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { stackLabels } from '../common/labels';
import { PodSecurityLevel } from '../common/security';

/** The Kubernetes minor version whose Pod Security Standards the labels pin. */
export const POD_SECURITY_VERSION = 'v1.28';

/** The priority class of the node agents (node-exporter, the Alloy node agent). */
export const NODE_AGENT_PRIORITY_CLASS = 'system-node-critical';
/** Room for every node agent on a 5000-node cluster (the Kubernetes scalability limit), twice over. */
const MAX_NODE_AGENT_PODS = 10000;

/** A namespace of the stack and the Pod Security level it enforces. */
export interface NamespaceRef {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
}

export interface StackNamespacesProps {
  /** Namespace of the stack's components; enforces "restricted". */
  readonly platform: string;
  /** Namespace of the node agents that need host access; enforces "privileged". */
  readonly nodeAgents: string;
}

/**
 * The stack's namespaces. Pod Security admission is per namespace, so the node agents that need
 * host access (node-exporter, the Alloy node agent) get a namespace of their own at "privileged",
 * and everything else runs in one that enforces "restricted". Both deny all ingress by default;
 * the network-policy chart allows each real connection.
 */
export class StackNamespaces extends Construct {
  readonly platform: NamespaceRef;
  readonly nodeAgents: NamespaceRef;

  constructor(scope: Construct, id: string, props: StackNamespacesProps) {
    super(scope, id);
    this.platform = this.namespace('platform', props.platform, 'restricted', 'restricted');
    // Warn and audit at "baseline" so that anything beyond the declared node-agent needs shows up.
    this.nodeAgents = this.namespace('node-agents', props.nodeAgents, 'privileged', 'baseline');
    // Node agents run at system-node-critical priority so that they are the last to be evicted.
    // Clusters that limit critical priorities to namespaces with a matching quota (GKE does,
    // through the ResourceQuota admission plugin's limitedResources) refuse such pods elsewhere.
    new k8s.KubeResourceQuota(this, 'node-agents-critical-pods', {
      metadata: { name: 'critical-node-agents', namespace: props.nodeAgents, labels: stackLabels() },
      spec: {
        hard: { pods: k8s.Quantity.fromString(String(MAX_NODE_AGENT_PODS)) },
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [NODE_AGENT_PRIORITY_CLASS] }],
        },
      },
    });
  }

  private namespace(id: string, name: string, enforce: PodSecurityLevel, warn: PodSecurityLevel): NamespaceRef {
    new k8s.KubeNamespace(this, id, {
      metadata: {
        name,
        labels: {
          ...stackLabels(),
          'pod-security.kubernetes.io/enforce': enforce,
          'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/warn': warn,
          'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/audit': warn,
          'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
        },
      },
    });
    new k8s.KubeNetworkPolicy(this, `${id}-default-deny-ingress`, {
      metadata: { name: 'default-deny-ingress', namespace: name, labels: stackLabels() },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    return { name, podSecurity: enforce };
  }
}
