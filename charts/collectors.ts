import { Construct } from 'constructs';
import { AlloyCollector, AlloyDestinations, AlloyNodeAgent } from '../lib/alloy/alloy';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { StackChart } from './stack-chart';

export interface CollectorsChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
  /** The backends' intake endpoints. */
  readonly destinations: AlloyDestinations;
}

/** Grafana Alloy: the node agent on every node and the clustered collector. */
export class CollectorsChart extends StackChart {
  readonly nodeAgent: AlloyNodeAgent;
  readonly collector: AlloyCollector;

  constructor(scope: Construct, id: string, props: CollectorsChartProps) {
    super(scope, id, { file: '40-alloy.yaml' });
    const { config, wiring, destinations } = props;
    this.nodeAgent = new AlloyNodeAgent(this, 'node-agent', {
      namespace: config.nodeAgentNamespace,
      wiring,
      destinations,
      resources: config.alloy.nodeAgentResources,
    });
    this.collector = new AlloyCollector(this, 'collector', {
      namespace: config.namespace,
      wiring,
      destinations,
      replicas: config.alloy.collectorReplicas,
      highAvailability: config.highAvailability,
      resources: config.alloy.collectorResources,
      storageSize: config.alloy.collectorStorageSize,
    });
  }
}
