import { Construct } from 'constructs';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { RolloutOperator, ZoneAwarePdbCrd } from '../lib/rollout-operator/rollout-operator';
import { StackChart } from './stack-chart';

/** The CRD the rollout-operator needs before it starts, applied with the other CRDs. */
export class RolloutOperatorCrdChart extends StackChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { file: 'setup/02-rollout-operator-crd.yaml', syncWave: -10 });
    new ZoneAwarePdbCrd(this, 'zpdb');
  }
}

export interface RolloutOperatorChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
  /** The rollout groups the backends render; the chart exists only when there is one. */
  readonly rolloutGroups: readonly string[];
}

/** The rollout-operator, for the zoned StatefulSets of the scalable backends. */
export class RolloutOperatorChart extends StackChart {
  constructor(scope: Construct, id: string, props: RolloutOperatorChartProps) {
    super(scope, id, { file: '15-rollout-operator.yaml', syncWave: -5 });
    new RolloutOperator(this, 'rollout-operator', { namespace: props.config.namespace, wiring: props.wiring, rolloutGroups: props.rolloutGroups });
  }
}
