import { Construct } from 'constructs';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { Grafana, GrafanaDatasourceApis } from '../lib/grafana/grafana';
import { StackScopes, stackDashboards } from '../lib/dashboards';
import { pricingCurrency } from '../lib/opencost/opencost';
import { ManifestFile, StackChart } from './stack-chart';

export interface UiChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
  readonly datasources: GrafanaDatasourceApis;
  /** The scrape interval of the metrics behind the metrics datasource. */
  readonly metricsScrapeInterval: string;
  /** Where the other components' pods run, for their dashboards. */
  readonly scopes: Omit<StackScopes, 'grafana'>;
}

/** Grafana. */
export class UiChart extends StackChart {
  readonly grafana: Grafana;
  /** The pods each component dashboard selects. */
  readonly scopes: StackScopes;

  constructor(scope: Construct, id: string, props: UiChartProps) {
    super(scope, id, { file: '50-grafana.yaml' });
    this.scopes = { ...props.scopes, grafana: Grafana.scopeIn(props.config.namespace) };
    this.grafana = new Grafana(this, 'grafana', {
      namespace: props.config.namespace,
      wiring: props.wiring,
      tenant: props.config.tenant,
      datasources: props.datasources,
      metricsScrapeInterval: props.metricsScrapeInterval,
      dashboards: stackDashboards(this.scopes, {
        costCurrency: props.config.opencost.enabled ? pricingCurrency(props.config.opencost.pricing) : undefined,
      }),
      ...props.config.grafana,
    });
  }
}

/**
 * The Keycloak client definition, for a Keycloak admin to import: not a Kubernetes object, so it
 * lives in its own folder that `kubectl apply -f dist/<env>` does not read (ArgoCD: exclude it).
 */
export class KeycloakClientFile implements ManifestFile {
  readonly file = 'keycloak/grafana-client.json';
  readonly header = false;

  constructor(private readonly client: object) {}

  render(): string {
    return `${JSON.stringify(this.client, null, 2)}\n`;
  }

  static of(grafana: Grafana): KeycloakClientFile | undefined {
    return grafana.keycloakClient ? new KeycloakClientFile(grafana.keycloakClient) : undefined;
  }
}
