import { Construct } from 'constructs';
import { RemoteWriteTarget } from '../lib/common/endpoints';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { Loki } from '../lib/loki/loki';
import { Mimir } from '../lib/mimir/mimir';
import { Pyroscope } from '../lib/pyroscope/pyroscope';
import { Tempo } from '../lib/tempo/tempo';
import { StackChart } from './stack-chart';

export interface BackendChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
}

/** Where zoned components pin their zones: the cluster's zones, in highly available environments. */
function availabilityZones(config: ResolvedStackConfig): readonly string[] | undefined {
  return config.highAvailability ? config.cluster.zones : undefined;
}

/** Metrics: Mimir. */
export class MimirChart extends StackChart {
  readonly mimir: Mimir;

  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { file: '20-mimir.yaml' });
    this.mimir = new Mimir(this, 'mimir', {
      namespace: props.config.namespace,
      wiring: props.wiring,
      tenant: props.config.tenant,
      objectStorage: props.config.objectStorage,
      kafka: props.config.kafka,
      highAvailability: props.config.highAvailability,
      availabilityZones: availabilityZones(props.config),
      ...props.config.mimir,
    });
  }
}

/** Logs: Loki. */
export class LokiChart extends StackChart {
  readonly loki: Loki;

  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { file: '21-loki.yaml' });
    this.loki = new Loki(this, 'loki', {
      namespace: props.config.namespace,
      wiring: props.wiring,
      objectStorage: props.config.objectStorage,
      highAvailability: props.config.highAvailability,
      availabilityZones: availabilityZones(props.config),
      ...props.config.loki,
    });
  }
}

export interface TempoChartProps extends BackendChartProps {
  /** Where the metrics-generator writes span metrics. */
  readonly metricsRemoteWrite: RemoteWriteTarget;
}

/** Traces: Tempo, whose metrics-generator writes to the metrics store. */
export class TempoChart extends StackChart {
  readonly tempo: Tempo;

  constructor(scope: Construct, id: string, props: TempoChartProps) {
    super(scope, id, { file: '22-tempo.yaml' });
    this.tempo = new Tempo(this, 'tempo', {
      namespace: props.config.namespace,
      wiring: props.wiring,
      metricsRemoteWrite: props.metricsRemoteWrite,
      clusterName: props.config.clusterName,
      objectStorage: props.config.objectStorage,
      kafka: props.config.kafka,
      highAvailability: props.config.highAvailability,
      availabilityZones: availabilityZones(props.config),
      ...props.config.tempo,
    });
  }
}

/** Profiles: Pyroscope. */
export class PyroscopeChart extends StackChart {
  readonly pyroscope: Pyroscope;

  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { file: '23-pyroscope.yaml' });
    this.pyroscope = new Pyroscope(this, 'pyroscope', {
      namespace: props.config.namespace,
      wiring: props.wiring,
      objectStorage: props.config.objectStorage,
      highAvailability: props.config.highAvailability,
      clusterDomain: props.config.clusterDomain,
      ...props.config.pyroscope,
    });
  }
}
