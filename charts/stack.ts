import { App } from 'cdk8s';
import { mergeScopes } from '../lib/common/endpoints';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { LokiChart, MimirChart, PyroscopeChart, TempoChart } from './backends';
import { CollectorsChart } from './collectors';
import { CostChart } from './cost';
import { KeycloakClientFile, UiChart } from './ui';
import { MetricsCollectionChart } from './metrics-collection';
import { NetworkPoliciesChart } from './network-policies';
import { PrometheusOperatorChart } from './prometheus-operator';
import { RolloutOperatorChart, RolloutOperatorCrdChart } from './rollout-operator';
import { CrdsFile, NamespacesChart } from './setup';
import { ManifestFile } from './stack-chart';

/** The charts of one environment, in apply order. */
export interface Stack {
  readonly app: App;
  /** The files of dist/<env>/, in apply order. */
  readonly files: readonly ManifestFile[];
  readonly wiring: StackWiring;
}

/**
 * Composes every chart of one environment. Each chart receives the endpoints it needs from the
 * charts built before it; the network-policy chart comes last because it reads every wire.
 */
export function buildStack(config: ResolvedStackConfig): Stack {
  const app = new App();
  const wiring = new StackWiring();
  const files: ManifestFile[] = [];
  files.push(new NamespacesChart(app, 'namespaces', config));
  files.push(new CrdsFile());
  files.push(new PrometheusOperatorChart(app, 'prometheus-operator', { config, wiring }));
  const metrics = new MimirChart(app, 'mimir', { config, wiring });
  files.push(metrics);
  const logs = new LokiChart(app, 'loki', { config, wiring });
  const traces = new TempoChart(app, 'tempo', { config, wiring, metricsRemoteWrite: metrics.mimir.remoteWrite });
  const profiles = new PyroscopeChart(app, 'pyroscope', { config, wiring });
  files.push(logs, traces, profiles);
  // Zoned StatefulSets roll only through the rollout-operator (their update strategy is OnDelete).
  const rolloutGroups = [...metrics.mimir.rolloutGroups, ...logs.loki.rolloutGroups, ...traces.tempo.rolloutGroups];
  if (rolloutGroups.length > 0) {
    files.splice(2, 0, new RolloutOperatorCrdChart(app, 'rollout-operator-crd'));
    files.splice(4, 0, new RolloutOperatorChart(app, 'rollout-operator', { config, wiring, rolloutGroups }));
  }
  const collection = new MetricsCollectionChart(app, 'metrics-collection', { config, wiring, remoteWrite: metrics.mimir.remoteWrite });
  files.push(collection);
  const collectors = new CollectorsChart(app, 'alloy', {
      config,
      wiring,
      destinations: {
        logs: logs.loki.pushApi,
        metrics: metrics.mimir.remoteWrite,
        traces: traces.tempo.balancedReceivers['otlp-grpc'],
        profiles: profiles.pyroscope.pushApi,
        tenant: config.tenant,
        clusterName: config.clusterName,
      },
  });
  files.push(collectors);
  const ui = new UiChart(app, 'grafana', {
    config,
    wiring,
    metricsScrapeInterval: collection.prometheus.scrapeInterval,
    scopes: {
      prometheus: collection.prometheus.scope,
      mimir: metrics.mimir.scope,
      loki: logs.loki.scope,
      tempo: traces.tempo.scope,
      pyroscope: profiles.pyroscope.scope,
      alloy: mergeScopes(collectors.nodeAgent.scope, collectors.collector.scope),
    },
    datasources: {
      metrics: metrics.mimir.prometheusApi,
      alertmanager: metrics.mimir.alertmanagerApi,
      logs: logs.loki.queryApi,
      traces: traces.tempo.queryApi,
      profiles: profiles.pyroscope.queryApi,
    },
  });
  files.push(ui);
  const keycloak = KeycloakClientFile.of(ui.grafana);
  if (keycloak) files.push(keycloak);
  if (config.opencost.enabled) {
    files.push(new CostChart(app, 'opencost', { config, wiring, metrics: metrics.mimir.prometheusApi }));
  }
  files.push(new NetworkPoliciesChart(app, 'network-policies', wiring));
  return { app, files, wiring };
}
