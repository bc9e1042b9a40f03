import { IngressSettings, uiIngress } from '../common/ingress';
import { DashboardProvisioning, dashboardProvisioning, StackDashboard } from './dashboard-provisioning';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { dump } from 'js-yaml';
import { Endpoint, HttpApi, PodPeer, TENANT_HEADER, workloadScope, WorkloadScope } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { livenessProbe, readinessProbe, startupProbe } from '../common/probes';
import { goMemoryLimitEnv, ResourceSpec } from '../common/resources';
import { StackWiring } from '../common/wiring';
import { configChecksum } from '../common/workload';
import { ServiceWorkload } from '../common/service-workload';
import { Resolved, withDefaults } from '../common/defaults';
import { LOKI_QUERY_TIMEOUT_SECONDS } from '../loki/loki';

/** Grafana roles a Keycloak role or group can map to. `GrafanaAdmin` is the server administrator. */
export type GrafanaRole = 'GrafanaAdmin' | 'Admin' | 'Editor' | 'Viewer';
export const GRAFANA_ROLES: readonly GrafanaRole[] = ['GrafanaAdmin', 'Admin', 'Editor', 'Viewer'];

/** Single sign-on through a Keycloak realm (OpenID Connect). */
export interface KeycloakSso {
  /** The realm's issuer URL, e.g. `https://sso.example.com/realms/platform`. */
  readonly issuerUrl: string;
  /** The OIDC client Grafana is registered as. */
  readonly clientId: string;
  /** Secret (created by you) holding the client secret under the key `client-secret`. */
  readonly clientSecretSecret: string;
  /** The token claim that carries the user's roles or groups. @default 'roles' */
  readonly claim?: 'roles' | 'groups';
  /** Keycloak role (or group) names per Grafana role; the first match in GRAFANA_ROLES order wins. */
  readonly roleMapping: Readonly<Partial<Record<GrafanaRole, readonly string[]>>>;
  /** What a user whose roles map to nothing gets: refused, or Viewer. @default 'deny' */
  readonly unmappedUsers?: 'deny' | 'Viewer';
}

/** Grafana's Ingress: host, TLS Secret, class. */
export type GrafanaIngress = IngressSettings;

/** The query endpoints Grafana reads, as the backends expose them. */
/** The APIs Grafana's datasources query, one per signal. */
export interface GrafanaDatasourceApis {
  /** A Prometheus-compatible query API. */
  readonly metrics: HttpApi;
  /** An Alertmanager API (Grafana appends /alertmanager... itself). */
  readonly alertmanager: HttpApi;
  readonly logs: HttpApi;
  readonly traces: HttpApi;
  readonly profiles: HttpApi;
}

/** What an environment sets for Grafana (`grafana:` in its config). */
export interface GrafanaSettings {
  /** The URL users open Grafana at; OAuth redirects go back to it. @default - `https://<ingress host>`, else http://localhost:3000 */
  readonly rootUrl?: string;
  /**
   * Secret (created by you) with the keys `admin-user`, `admin-password` and `secret-key` (the key
   * Grafana encrypts its stored secrets with). @default 'grafana-admin'
   */
  readonly adminSecret?: string;
  /** @default - no SSO: the login form stays, for the admin from adminSecret */
  readonly sso?: KeycloakSso;
  /** @default - no Ingress */
  readonly ingress?: GrafanaIngress;
  /** Size of the PVC for Grafana's database and plugins. @default '5Gi' */
  readonly storageSize?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default GRAFANA_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
  /**
   * Install Grafana's default apps at start (the Drilldown apps for logs, traces, metrics and
   * profiles), downloaded from grafana.com. Turn off on clusters without internet access, where
   * each start would try and fail. @default true
   */
  readonly preinstallPlugins?: boolean;
}

/** Grafana as the charts build it: its settings, and what it reads. */
export interface GrafanaProps extends GrafanaSettings {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** The tenant Grafana reads as (`X-Scope-OrgID`). */
  readonly tenant: string;
  readonly datasources: GrafanaDatasourceApis;
  /** Dashboards provisioned read-only, each into its folder. @default - none */
  readonly dashboards?: readonly StackDashboard[];
  /**
   * The scrape interval of the metrics behind the Mimir datasource, so that `$__rate_interval`
   * always spans several samples. @default '30s'
   */
  readonly metricsScrapeInterval?: string;
}

export const GRAFANA_DEFAULTS = {
  adminSecret: 'grafana-admin',
  preinstallPlugins: true,
  metricsScrapeInterval: '30s',
  storageSize: '5Gi',
  resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  dashboards: [],
} as const;

/** GrafanaProps with every default applied: what the renderers below read. */
export type ResolvedGrafanaProps = Resolved<GrafanaProps, typeof GRAFANA_DEFAULTS>;
export function resolveGrafanaProps(props: GrafanaProps): ResolvedGrafanaProps {
  return withDefaults(props, GRAFANA_DEFAULTS);
}

/** The defaults of KeycloakSso's optional settings. */
export const KEYCLOAK_SSO_DEFAULTS = { claim: 'roles', unmappedUsers: 'deny' } as const;

/**
 * The labels exemplars carry a trace ID under: `traceID` from Tempo's metrics-generator (3.0.3,
 * modules/generator/registry), `trace_id` from OpenTelemetry SDKs through Alloy and from most
 * Prometheus client libraries.
 */
export const EXEMPLAR_TRACE_ID_LABELS = ['traceID', 'trace_id'] as const;

/**
 * A trace ID inside a log line: `trace_id=`, `traceID:`, `traceId`, and the `traceid` field that
 * Alloy's otelcol.exporter.loki writes into the JSON line of an OTLP log record.
 */
export const LOG_TRACE_ID_REGEX = '(?:[tT]race_?[iI][dD])"?[=:\\s]+"?([0-9a-fA-F]{16,32})';

/** The CPU profile type Pyroscope stores eBPF and pprof CPU profiles under. */
export const CPU_PROFILE_TYPE = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';

/**
 * How a span finds its pod's profiles: profile labels the node agent sets, from the span's
 * resource attributes that the collector's k8sattributes processor adds.
 */
export const SPAN_TO_PROFILE_LABELS = { namespace: 'k8s.namespace.name', pod: 'k8s.pod.name' } as const;

/** Fixed datasource UIDs: correlations, dashboards and links refer to them. */
export const DATASOURCE_UIDS = {
  metrics: 'mimir',
  alertmanager: 'mimir-alertmanager',
  logs: 'loki',
  traces: 'tempo',
  profiles: 'pyroscope',
} as const;

const IDENTITY: ComponentIdentity = { name: 'grafana', instance: 'grafana', component: 'ui', image: 'grafana' };
const HTTP_PORT = 3000;
/** The image's `grafana` user (Dockerfile: GF_UID 472). */
const RUN_AS_USER = 472;
const DATA = '/var/lib/grafana';

/** Grafana's INI settings: section -> key -> value. */
export type GrafanaIni = Record<string, Record<string, string | number | boolean>>;

/** Renders settings as INI, sections and keys in the order given. */
export function renderIni(ini: GrafanaIni): string {
  return Object.entries(ini)
    .map(([section, keys]) => `[${section}]\n${Object.entries(keys).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`)
    .join('\n');
}

/** The email Grafana records for a Keycloak user: theirs, else `<username>@keycloak.invalid` (a reserved domain). */
export const KEYCLOAK_EMAIL_PATH = "email || join('@', [preferred_username, 'keycloak.invalid'])";

/** JMESPath that picks the Grafana role from the token's roles/groups, first match wins. */
export function roleAttributePath(sso: KeycloakSso): string {
  const claim = sso.claim ?? KEYCLOAK_SSO_DEFAULTS.claim;
  const quote = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
  const branches = GRAFANA_ROLES.flatMap((role) =>
    (sso.roleMapping[role] ?? []).map((name) => `contains(${claim}[*], ${quote(name)}) && ${quote(role)}`),
  );
  if ((sso.unmappedUsers ?? KEYCLOAK_SSO_DEFAULTS.unmappedUsers) === 'Viewer') branches.push(quote('Viewer'));
  return branches.join(' || ');
}

function rootUrlOf(props: ResolvedGrafanaProps): string {
  return (props.rootUrl ?? (props.ingress ? `https://${props.ingress.host}` : `http://localhost:${HTTP_PORT}`)).replace(/\/$/, '');
}

export function grafanaIni(props: ResolvedGrafanaProps): GrafanaIni {
  const rootUrl = rootUrlOf(props);
  const sso = props.sso;
  const ini: GrafanaIni = {
    server: { root_url: `${rootUrl}/`, domain: new URL(rootUrl).hostname },
    paths: { data: DATA, plugins: `${DATA}/plugins`, provisioning: '/etc/grafana/provisioning' },
    // Grafana 13 would update its bundled datasource plugins in place at start: on a read-only
    // root filesystem that unregisters them (grafana/grafana#130921, #131490). Keep the bundled ones.
    plugins: {
      preinstall_auto_update: false,
      ...(props.preinstallPlugins ? {} : { preinstall_disabled: true }),
    },
    // Snapshots stay inside: the external service would publish dashboard data on the internet.
    snapshots: { external_enabled: false },
    analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
    log: { mode: 'console' },
    users: { allow_sign_up: false },
    'auth.anonymous': { enabled: false },
    security: { cookie_secure: rootUrl.startsWith('https://') },
  };
  if (sso) {
    const issuer = sso.issuerUrl.replace(/\/$/, '');
    const oidc = `${issuer}/protocol/openid-connect`;
    const strict = (sso.unmappedUsers ?? KEYCLOAK_SSO_DEFAULTS.unmappedUsers) === 'deny';
    ini.auth = {
      disable_login_form: true,
      // Single logout: Keycloak ends its session, then comes back to Grafana's login page.
      signout_redirect_url: `${oidc}/logout?post_logout_redirect_uri=${encodeURIComponent(`${rootUrl}/login`)}&client_id=${encodeURIComponent(sso.clientId)}`,
    };
    ini['auth.generic_oauth'] = {
      enabled: true,
      name: 'Keycloak',
      client_id: sso.clientId,
      scopes: 'openid email profile',
      auth_url: `${oidc}/auth`,
      token_url: `${oidc}/token`,
      api_url: `${oidc}/userinfo`,
      use_pkce: true,
      use_refresh_token: true,
      auto_login: true,
      allow_sign_up: true,
      login_attribute_path: 'preferred_username',
      name_attribute_path: 'name',
      // Grafana needs an email: without one it asks `<api_url>/emails`, which Keycloak does not
      // serve, and refuses the login. A user without one gets a stable placeholder instead.
      email_attribute_path: KEYCLOAK_EMAIL_PATH,
      groups_attribute_path: sso.claim === 'groups' ? 'groups' : 'roles',
      role_attribute_path: roleAttributePath(sso),
      role_attribute_strict: strict,
      allow_assign_grafana_admin: (sso.roleMapping.GrafanaAdmin ?? []).length > 0,
    };
  }
  return ini;
}

/** The datasources, with fixed UIDs, the tenant header, and the links between signals. */
export function datasourceProvisioning(props: ResolvedGrafanaProps): object {
  const d = props.datasources;
  const tenant = { httpHeaderName1: TENANT_HEADER };
  const secure = { httpHeaderValue1: props.tenant };
  const common = { access: 'proxy', editable: false };
  return {
    apiVersion: 1,
    // `$$` is a literal `$`: provisioning expands environment variables.
    datasources: [
      {
        ...common,
        name: 'Mimir',
        type: 'prometheus',
        uid: DATASOURCE_UIDS.metrics,
        url: d.metrics.url(),
        isDefault: true,
        jsonData: {
          ...tenant,
          prometheusType: 'Mimir',
          timeInterval: props.metricsScrapeInterval,
          // Exemplars (trace IDs on histogram samples) open the trace in Tempo, under either name.
          exemplarTraceIdDestinations: EXEMPLAR_TRACE_ID_LABELS.map((name) => ({ name, datasourceUid: DATASOURCE_UIDS.traces, urlDisplayLabel: 'Open trace' })),
        },
        secureJsonData: secure,
      },
      {
        ...common,
        name: 'Mimir Alertmanager',
        type: 'alertmanager',
        uid: DATASOURCE_UIDS.alertmanager,
        url: d.alertmanager.url(),
        jsonData: { ...tenant, implementation: 'mimir', handleGrafanaManagedAlerts: false },
        secureJsonData: secure,
      },
      {
        ...common,
        name: 'Loki',
        type: 'loki',
        uid: DATASOURCE_UIDS.logs,
        url: d.logs.url(),
        jsonData: {
          ...tenant,
          // As long as Loki lets a query run (its own timeout is Grafana's 30s otherwise).
          timeout: LOKI_QUERY_TIMEOUT_SECONDS,
          // A trace ID in a log line links to the trace.
          derivedFields: [
            { name: 'TraceID', matcherType: 'regex', matcherRegex: LOG_TRACE_ID_REGEX, url: '$${__value.raw}', datasourceUid: DATASOURCE_UIDS.traces },
          ],
        },
        secureJsonData: secure,
      },
      {
        ...common,
        name: 'Tempo',
        type: 'tempo',
        uid: DATASOURCE_UIDS.traces,
        url: d.traces.url(),
        jsonData: {
          ...tenant,
          tracesToLogsV2: {
            datasourceUid: DATASOURCE_UIDS.logs,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            filterByTraceID: true,
            tags: [
              { key: 'k8s.namespace.name', value: 'namespace' },
              { key: 'k8s.pod.name', value: 'pod' },
            ],
          },
          tracesToMetrics: {
            datasourceUid: DATASOURCE_UIDS.metrics,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            tags: [{ key: 'service.name', value: 'service' }],
            queries: [
              { name: 'Request rate', query: 'sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))' },
              { name: 'Error rate', query: 'sum(rate(traces_spanmetrics_calls_total{$$__tags, status_code="STATUS_CODE_ERROR"}[5m]))' },
            ],
          },
          // The precise link, for spans of applications with SDK span profiling: Grafana shows it
          // (and an embedded flame graph) only on spans that carry pyroscope.profile.id.
          tracesToProfiles: {
            datasourceUid: DATASOURCE_UIDS.profiles,
            profileTypeId: CPU_PROFILE_TYPE,
            tags: [{ key: 'service.name', value: 'service_name' }],
          },
          serviceMap: { datasourceUid: DATASOURCE_UIDS.metrics },
          nodeGraph: { enabled: true },
          streamingEnabled: { search: true },
        },
        secureJsonData: secure,
        // For every span of a pod: the CPU profiles the node agents' eBPF collects of that pod,
        // over the span's time range (a trace correlation, Grafana 12 and later).
        correlations: [
          {
            targetUID: DATASOURCE_UIDS.profiles,
            label: 'CPU profile of the pod',
            description: "The pod's eBPF CPU profile over the span's time range",
            config: {
              type: 'query',
              field: 'traceID',
              target: {
                labelSelector: `{${Object.entries(SPAN_TO_PROFILE_LABELS)
                  .map(([label, attribute]) => `${label}="$\${__span.tags["${attribute}"]}"`)
                  .join(', ')}}`,
                profileTypeId: CPU_PROFILE_TYPE,
                queryType: 'both',
                groupBy: [],
              },
            },
          },
        ],
      },
      {
        ...common,
        name: 'Pyroscope',
        type: 'grafana-pyroscope-datasource',
        uid: DATASOURCE_UIDS.profiles,
        url: d.profiles.url(),
        jsonData: tenant,
        secureJsonData: secure,
      },
    ],
  };
}

/**
 * The Keycloak client Grafana signs in with, in Keycloak's import format: a Keycloak admin
 * imports it into the realm, and both sides agree on redirect URIs and token claims.
 */
export function keycloakClient(props: ResolvedGrafanaProps): object | undefined {
  if (!props.sso) return undefined;
  const rootUrl = rootUrlOf(props);
  const claim = props.sso.claim ?? KEYCLOAK_SSO_DEFAULTS.claim;
  const inAllTokens = { 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' };
  return {
    clientId: props.sso.clientId,
    name: 'Grafana',
    protocol: 'openid-connect',
    enabled: true,
    publicClient: false,
    standardFlowEnabled: true,
    directAccessGrantsEnabled: false,
    implicitFlowEnabled: false,
    rootUrl,
    baseUrl: '/',
    redirectUris: [`${rootUrl}/login/generic_oauth`],
    webOrigins: [rootUrl],
    attributes: { 'post.logout.redirect.uris': `${rootUrl}/login`, 'pkce.code.challenge.method': 'S256' },
    protocolMappers:
      claim === 'roles'
        ? [
            {
              name: 'realm roles',
              protocol: 'openid-connect',
              protocolMapper: 'oidc-usermodel-realm-role-mapper',
              config: { ...inAllTokens, 'claim.name': 'roles', multivalued: 'true', 'jsonType.label': 'String' },
            },
          ]
        : [
            {
              name: 'groups',
              protocol: 'openid-connect',
              protocolMapper: 'oidc-group-membership-mapper',
              config: { ...inAllTokens, 'claim.name': 'groups', 'full.path': 'false' },
            },
          ],
  };
}

/**
 * Grafana, the one UI: datasources for every signal with their cross-links, single sign-on
 * through Keycloak, admin credentials from a Secret, state on a PersistentVolumeClaim.
 */
export class Grafana extends Construct {
  readonly pods: PodPeer;
  readonly scope: WorkloadScope;
  readonly http: Endpoint;
  readonly ini: string;
  readonly datasourcesYaml: string;
  readonly dashboards: DashboardProvisioning;
  /** The Keycloak client to import into the realm, with SSO. */
  readonly keycloakClient?: object;

  /** Where Grafana's pods run, known before it is built: its own dashboard is one of its props. */
  static scopeIn(namespace: string): WorkloadScope {
    return workloadScope(IDENTITY.instance, namespace);
  }

  constructor(scope: Construct, id: string, given: GrafanaProps) {
    super(scope, id);
    const props = resolveGrafanaProps(given);
    this.keycloakClient = keycloakClient(props);
    const name = IDENTITY.instance;
    this.ini = renderIni(grafanaIni(props));
    this.datasourcesYaml = dump(datasourceProvisioning(props), { lineWidth: -1, noRefs: true });
    this.dashboards = dashboardProvisioning(name, props.dashboards);
    const { adminSecret, resources } = props;
    const fromSecret = (env: string, secret: string, key: string): k8s.EnvVar => ({ name: env, valueFrom: { secretKeyRef: { name: secret, key } } });

    const workload = new ServiceWorkload(this, 'workload', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      // SQLite on a ReadWriteOnce volume: one replica, replaced, never doubled.
      replicas: 1,
      recreate: true,
      configMaps: [
        { name: `${name}-config`, data: { 'grafana.ini': this.ini } },
        { name: `${name}-datasources`, data: { 'datasources.yaml': this.datasourcesYaml } },
        { name: `${name}-dashboard-providers`, data: { 'dashboards.yaml': this.dashboards.providersYaml } },
        ...this.dashboards.folders.flatMap((f) => f.dashboards.map((d) => ({ name: d.configMapName, data: { [d.file]: d.json } }))),
      ],
      dataClaim: { size: props.storageSize, storageClassName: props.storageClassName },
      pod: {
        runAsUser: RUN_AS_USER,
        // Dashboards are left out: Grafana rereads them from the projected volumes without a restart.
        configChecksum: configChecksum(this.ini, this.datasourcesYaml, this.dashboards.providersYaml),
        containers: [
          {
            name: 'grafana',
            image: 'grafana',
            env: [
              fromSecret('GF_SECURITY_ADMIN_USER', adminSecret, 'admin-user'),
              fromSecret('GF_SECURITY_ADMIN_PASSWORD', adminSecret, 'admin-password'),
              // Encrypts the secrets Grafana stores (contact points, tokens); the built-in default is public.
              fromSecret('GF_SECURITY_SECRET_KEY', adminSecret, 'secret-key'),
              // The Go runtime collects harder near the container's limit instead of being killed at it.
              goMemoryLimitEnv(resources),
              ...(props.sso ? [fromSecret('GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET', props.sso.clientSecretSecret, 'client-secret')] : []),
            ],
            ports: [{ name: 'http', containerPort: HTTP_PORT }],
            resources,
            readinessProbe: readinessProbe({ port: 'http', path: '/api/health' }),
            livenessProbe: livenessProbe({ port: 'http', path: '/api/health', timeoutSeconds: 10 }),
            // Database migrations on an upgrade can take minutes: no liveness restart meanwhile.
            startupProbe: startupProbe({ port: 'http', path: '/api/health', maxStartupSeconds: 600 }),
            volumeMounts: [
              { name: 'config', mountPath: '/etc/grafana/grafana.ini', subPath: 'grafana.ini', readOnly: true },
              { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
              { name: 'dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
              ...this.dashboards.folders.map((f) => ({ name: f.volumeName, mountPath: f.mountPath, readOnly: true })),
              { name: 'data', mountPath: DATA },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: `${name}-config` } },
          { name: 'datasources', configMap: { name: `${name}-datasources` } },
          { name: 'dashboard-providers', configMap: { name: `${name}-dashboard-providers` } },
          ...this.dashboards.folders.map((f) => ({
            name: f.volumeName,
            projected: { sources: f.dashboards.map((d) => ({ configMap: { name: d.configMapName } })) },
          })),
          { name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
      ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http', appProtocol: 'http' }],
      monitor: { endpoints: [{ port: 'http' }] },
    });
    this.pods = workload.pods;
    this.scope = workload.scope;
    this.http = workload.service.endpoint('http');
    if (props.ingress) uiIngress(this, 'ingress', { labels: workload.labels, settings: props.ingress, service: workload.service, port: 'http' });

    for (const { endpoint } of Object.values(props.datasources)) {
      props.wiring.connect({ from: this.pods, to: endpoint.pods, ports: [endpoint.targetPort], purpose: 'queries' });
    }
    // Users reach Grafana through the cluster's ingress controller, wherever it runs.
    props.wiring.openToCluster({ to: this.pods, ports: ['http'], purpose: 'users, through the ingress controller' });
  }
}
