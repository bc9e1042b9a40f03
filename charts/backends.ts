import { Construct } from 'constructs';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { Loki } from '../lib/loki/loki';
import { Pyroscope } from '../lib/pyroscope/pyroscope';
import { Tempo } from '../lib/tempo/tempo';
import { StackChart } from './stack-chart';

export interface BackendChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
}

/** Logs: Loki. */
export class LokiChart extends StackChart {
  readonly loki: Loki;

  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { file: '21-loki.yaml' });
    this.loki = new Loki(this, 'loki', { namespace: props.config.namespace, wiring: props.wiring, ...props.config.loki });
  }
}

/** Traces: Tempo. */
export class TempoChart extends StackChart {
  readonly tempo: Tempo;

  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { file: '22-tempo.yaml' });
    this.tempo = new Tempo(this, 'tempo', { namespace: props.config.namespace, wiring: props.wiring, ...props.config.tempo });
  }
}

/** Profiles: Pyroscope. */
export class PyroscopeChart extends StackChart {
  readonly pyroscope: Pyroscope;

  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { file: '23-pyroscope.yaml' });
    this.pyroscope = new Pyroscope(this, 'pyroscope', { namespace: props.config.namespace, wiring: props.wiring, ...props.config.pyroscope });
  }
}
