import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { Labels } from './labels';

/**
 * A set of pods, named the way a NetworkPolicy peer or a Service selector names them. Constructs
 * expose one for their pods; other constructs take it in props instead of repeating labels.
 */
export interface PodPeer {
  readonly namespace: string;
  readonly podLabels: Labels;
  /** Human name for error messages and generated policy names, e.g. `prometheus`. */
  readonly name: string;
}

/**
 * Where a component's pods run, as queries select them: namespace and pod-name patterns (RE2,
 * anchored by PromQL). Constructs expose one derived from the names they give their workloads.
 */
export interface WorkloadScope {
  /** The namespace, or several joined by `|`: the node agents run in a namespace of their own. */
  readonly namespace: string;
  /** The pod names. */
  readonly podPattern: string;
}

/** The pods of a workload named `name` (or of workloads named with that prefix): `<name>-<suffix>`. */
export function workloadScope(name: string, namespace: string): WorkloadScope {
  return { namespace, podPattern: `${name}-.+` };
}

/** One scope for the pods of several constructs (a component's workloads in two namespaces). */
export function mergeScopes(...scopes: readonly WorkloadScope[]): WorkloadScope {
  const union = (parts: string[]) => [...new Set(parts)].join('|');
  return { namespace: union(scopes.map((s) => s.namespace)), podPattern: union(scopes.map((s) => s.podPattern)) };
}

/**
 * Label every Service of the stack carries with its own name, so that a ServiceMonitor selects
 * exactly one Service even where a headless twin shares the component's labels.
 */
export const SERVICE_NAME_LABEL = 'observability-stack.io/service';

/** Labels that are the same on every object of the stack, or change on upgrade. */
const UNSELECTABLE_LABELS = ['app.kubernetes.io/version', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];

/** One named port of a Service as rendered in dist/. */
export interface ServicePortSpec {
  /** Port name on the Service; ServiceMonitors and consumers address it by this name. */
  readonly name: string;
  readonly port: number;
  /** Name of the container port the Service forwards to. */
  readonly targetPort: string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** appProtocol hint (e.g. `http`, `grpc`) for meshes and Gateway API. @default - none */
  readonly appProtocol?: string;
}

/** A typed address of one port of a Service: what a consumer needs to reach a component. */
export class Endpoint {
  constructor(
    readonly serviceName: string,
    readonly namespace: string,
    readonly port: number,
    readonly portName: string,
    /** The container port the Service forwards to, for NetworkPolicies. */
    readonly targetPort: string,
    /** The pods behind the Service. */
    readonly pods: PodPeer,
  ) {}

  /** Namespace-qualified DNS name; independent of the cluster domain. */
  get host(): string {
    return `${this.serviceName}.${this.namespace}.svc`;
  }

  get hostPort(): string {
    return `${this.host}:${this.port}`;
  }

  url(path = '', scheme: 'http' | 'https' = 'http'): string {
    if (path && !path.startsWith('/')) throw new Error(`Endpoint.url: path "${path}" must start with "/"`);
    return `${scheme}://${this.hostPort}${path}`;
  }
}

/**
 * An HTTP API: an endpoint and the path its API lives under, e.g. Mimir's Prometheus-compatible
 * API at `/prometheus`, Loki's push API at `/loki/api/v1/push`. Consumers take one of these, never
 * a path string beside an endpoint.
 */
export class HttpApi {
  constructor(
    readonly endpoint: Endpoint,
    /** The API's base path, without a trailing slash; '' for the server's root. */
    readonly path: string,
  ) {
    if (path && (!path.startsWith('/') || path.endsWith('/'))) throw new Error(`HttpApi: path "${path}" must start with "/" and not end with one`);
  }

  /** The URL of the API, or of a path below it. */
  url(subPath = ''): string {
    return this.endpoint.url(`${this.path}${subPath}`);
  }
}

export interface ServiceProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** Pods the Service forwards to. */
  readonly pods: PodPeer;
  readonly ports: readonly ServicePortSpec[];
  /** Headless Services give every pod its own DNS record (StatefulSets, per-pod scraping). @default false */
  readonly headless?: boolean;
  /** List pods before they are ready (peers that must find each other to become ready). @default false */
  readonly publishNotReadyAddresses?: boolean;
}

/**
 * Creates a Service and returns the typed view of it that other constructs consume. Endpoints are
 * derived from the very values the Service is rendered from, so a renamed port or Service
 * propagates to every consumer.
 */
export class ServiceRef {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly pods: PodPeer;
  readonly ports: readonly ServicePortSpec[];
  readonly headless: boolean;
  /**
   * The labels that identify this Service among others, for ServiceMonitor selectors: its labels
   * without the version (which changes on upgrade) and the stack-wide ones.
   */
  readonly selectorLabels: Labels;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    if (props.ports.length === 0) throw new Error(`Service "${props.name}": 'ports' must not be empty`);
    this.name = props.name;
    this.namespace = props.namespace;
    this.labels = { ...props.labels, [SERVICE_NAME_LABEL]: props.name };
    this.pods = props.pods;
    this.ports = props.ports;
    this.headless = props.headless ?? false;
    this.selectorLabels = Object.fromEntries(
      Object.entries(this.labels).filter(([key]) => !UNSELECTABLE_LABELS.includes(key)),
    );
    new k8s.KubeService(scope, id, {
      metadata: { name: props.name, namespace: props.namespace, labels: this.labels },
      spec: {
        // Named properties, not spreads: a misspelled field must fail to compile.
        type: this.headless ? undefined : 'ClusterIP',
        clusterIp: this.headless ? 'None' : undefined,
        publishNotReadyAddresses: props.publishNotReadyAddresses ? true : undefined,
        selector: props.pods.podLabels,
        ports: props.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: k8s.IntOrString.fromString(p.targetPort),
          protocol: p.protocol ?? 'TCP',
          appProtocol: p.appProtocol,
        })),
      },
    });
  }

  /** The endpoint of the named port; throws when the Service has no such port. */
  endpoint(portName: string): Endpoint {
    const port = this.ports.find((p) => p.name === portName);
    if (!port) {
      throw new Error(
        `Service "${this.name}" has no port named "${portName}"; it has: ${this.ports.map((p) => p.name).join(', ')}`,
      );
    }
    return new Endpoint(this.name, this.namespace, port.port, port.name, port.targetPort, this.pods);
  }
}

/**
 * Where a Prometheus-compatible writer sends samples: an endpoint of the metrics backend, the
 * push path and, where the backend is multi-tenant, the tenant to write as.
 */
export interface RemoteWriteTarget {
  /** The push API, e.g. Mimir's distributors at `/api/v1/push`. */
  readonly api: HttpApi;
  /** Sent as `X-Scope-OrgID`. @default - no tenant header (single-tenant backend) */
  readonly tenant?: string;
  /**
   * The labels the backend de-duplicates replicated writers on (Mimir's HA tracker): writers
   * that run as replicas put their group in `clusterLabel` and their replica in `replicaLabel`.
   * @default - no de-duplication
   */
  readonly deduplication?: { readonly clusterLabel: string; readonly replicaLabel: string };
}

/** The header multi-tenant Grafana backends (Mimir, Loki, Tempo, Pyroscope) read the tenant from. */
export const TENANT_HEADER = 'X-Scope-OrgID';
