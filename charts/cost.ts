import { Construct } from 'constructs';
import { HttpApi } from '../lib/common/endpoints';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { OpenCost } from '../lib/opencost/opencost';
import { StackChart } from './stack-chart';

export interface CostChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
  /** The metrics store's Prometheus-compatible query API. */
  readonly metrics: HttpApi;
}

/** OpenCost. */
export class CostChart extends StackChart {
  readonly opencost: OpenCost;

  constructor(scope: Construct, id: string, props: CostChartProps) {
    super(scope, id, { file: '60-opencost.yaml' });
    const { config } = props;
    this.opencost = new OpenCost(this, 'opencost', {
      namespace: config.namespace,
      wiring: props.wiring,
      metrics: props.metrics,
      tenant: config.tenant,
      clusterName: config.clusterName,
      pricing: config.opencost.pricing,
      resources: config.opencost.resources,
      ingress: config.opencost.ingress,
    });
  }
}
