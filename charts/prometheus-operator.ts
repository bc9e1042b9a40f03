import { Construct } from 'constructs';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { KUBELET_SERVICE } from '../lib/kubernetes-monitors/external-services';
import { PrometheusOperator } from '../lib/prometheus-operator/prometheus-operator';
import { StackChart } from './stack-chart';

export interface PrometheusOperatorChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
}

export class PrometheusOperatorChart extends StackChart {
  readonly operator: PrometheusOperator;

  constructor(scope: Construct, id: string, props: PrometheusOperatorChartProps) {
    super(scope, id, { file: '10-prometheus-operator.yaml', syncWave: -5 });
    this.operator = new PrometheusOperator(this, 'prometheus-operator', {
      namespace: props.config.namespace,
      wiring: props.wiring,
      kubeletService: KUBELET_SERVICE,
      logLevel: props.config.prometheusOperator.logLevel,
      resources: props.config.prometheusOperator.resources,
    });
  }
}
