import { Construct } from 'constructs';
import { Endpoint } from '../lib/common/endpoints';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { OpenCost } from '../lib/opencost/opencost';
import { StackChart } from './stack-chart';

export interface CostChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
  /** The metrics store's query API and its Prometheus path prefix. */
  readonly metrics: Endpoint;
  readonly metricsPath: string;
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
      metricsPath: props.metricsPath,
      tenant: config.tenant,
      clusterName: config.clusterName,
      pricing: config.opencost.pricing,
      resources: config.opencost.resources,
      ingress: config.opencost.ingress,
    });
  }
}
