import { Construct } from 'constructs';
import { StackWiring } from '../lib/common/wiring';
import { StackNetworkPolicies } from '../lib/network-policies/network-policies';
import { StackChart } from './stack-chart';

/** Built last: turns every wire the other charts declared into an ingress allow rule. */
export class NetworkPoliciesChart extends StackChart {
  constructor(scope: Construct, id: string, wiring: StackWiring) {
    super(scope, id, { file: '90-network-policies.yaml' });
    new StackNetworkPolicies(this, 'network-policies', { connections: wiring.connections, clusterIntakes: wiring.clusterIntakes });
  }
}
