import { Construct } from 'constructs';
import {
  Prometheus as PrometheusResource,
  PrometheusSpecResourcesLimits,
  PrometheusSpecResourcesRequests,
  PrometheusSpecServiceDiscoveryRole,
  PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests,
} from '../../imports/monitoring.coreos.com';
import { Endpoint, PodPeer, RemoteWriteTarget, ServiceRef, TENANT_HEADER, WorkloadScope } from '../common/endpoints';
import { imageOf, versionOf } from '../common/images';
import { CLUSTER_LABEL, ComponentIdentity, PART_OF, selectorLabels, standardLabels } from '../common/labels';
import { monitorService } from '../common/monitoring';
import { ResourceSpec } from '../common/resources';
import { withDefaults } from '../common/defaults';
import { restrictedPodSecurityContext } from '../common/security';
import { StackWiring } from '../common/wiring';
import { podDisruptionBudget, podPeer, topologySpread } from '../common/workload';
import { clusterServiceAccount } from '../common/rbac';

/** What an environment sets for Prometheus (`prometheus:` in its config). */
export interface PrometheusSettings {
  /**
   * Prometheus replicas. Each scrapes every target; two or more keep metrics flowing through a
   * node loss (the metrics store de-duplicates the replicas). @default 1
   */
  readonly replicas?: number;
  /** How long the local TSDB keeps samples (Prometheus duration). @default '1d' */
  readonly retention?: string;
  /** Size cap of the local TSDB (Prometheus byte size), at most 90% of storageSize. @default '8GB' */
  readonly retentionSize?: string;
  /** PersistentVolumeClaim size per replica (Kubernetes quantity). @default '10Gi' */
  readonly storageSize?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Default scrape interval (Prometheus duration). @default '30s' */
  readonly scrapeInterval?: string;
  /** Rule evaluation interval (Prometheus duration). @default '30s' */
  readonly evaluationInterval?: string;
  /** @default PROMETHEUS_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
}

/** Prometheus as the charts build it: its settings, and what it is wired to. */
export interface PrometheusProps extends PrometheusSettings {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** Value of the `cluster` external label on every series. */
  readonly clusterName: string;
  /** PodDisruptionBudget and spreading across zones and nodes. @default false */
  readonly highAvailability?: boolean;
  /**
   * Long-term storage to send every sample to, as the metrics backend's construct provides it.
   * @default - no remote write: samples stay in the local TSDB only
   */
  readonly remoteWrite?: RemoteWriteTarget;
}

/** Prometheus' defaults for every optional setting. */
export const PROMETHEUS_DEFAULTS = {
  replicas: 1,
  highAvailability: false,
  retention: '1d',
  retentionSize: '8GB',
  storageSize: '10Gi',
  scrapeInterval: '30s',
  evaluationInterval: '30s',
  resources: { cpuRequest: '200m', memoryRequest: '1Gi', memoryLimit: '2Gi' },
} as const;

/** Exemplars each replica keeps in memory (Prometheus' own default for the feature). */
const PROMETHEUS_EXEMPLAR_STORAGE = 100_000;
/** Remote-write connections at the least: more than the distributors there are, so each gets some. */
const REMOTE_WRITE_MIN_SHARDS = 6;

/** The name of the Prometheus resource; the operator names the StatefulSet `prometheus-<name>`. */
const NAME = 'prometheus';
const IDENTITY: ComponentIdentity = { name: 'prometheus', instance: NAME, component: 'server', image: 'prometheus' };
/** The Prometheus image runs as `nobody`. */
const RUN_AS_USER = 65534;
/** Fixed by prometheus-operator: the web port of the `prometheus` container and of the config reloader. */
const WEB_PORT = 9090;
const RELOADER_PORT = 8080;

/**
 * The Prometheus server, as a prometheus-operator `Prometheus` resource. It selects every
 * ServiceMonitor, PodMonitor, Probe, ScrapeConfig and PrometheusRule in every namespace: a team
 * adds monitoring for its service by creating one of those next to it, with no label to remember.
 */
export class Prometheus extends Construct {
  readonly pods: PodPeer;
  /** The operator names the pods `prometheus-<resource name>-<ordinal>`. */
  readonly scope: WorkloadScope;
  /** The Prometheus HTTP API (queries, federation, `/-/ready`). */
  readonly web: Endpoint;
  /** The scrape interval every target gets unless its monitor sets one. */
  readonly scrapeInterval: string;

  constructor(scope: Construct, id: string, given: PrometheusProps) {
    super(scope, id);
    const props = withDefaults(given, PROMETHEUS_DEFAULTS);
    const { namespace, replicas, highAvailability } = props;
    const labels = standardLabels(IDENTITY);
    this.scrapeInterval = props.scrapeInterval;
    this.pods = podPeer(IDENTITY, namespace);
    this.scope = { namespace, podPattern: `prometheus-${NAME}-[0-9]+` };
    props.wiring.addScraper(this.pods);

    if (props.remoteWrite) {
      const target = props.remoteWrite.api.endpoint;
      props.wiring.connect({ from: this.pods, to: target.pods, ports: [target.targetPort], purpose: 'remote write' });
    }

    clusterServiceAccount(this, {
      name: NAME,
      namespace,
      labels,
      rules: [
        // Service discovery for ServiceMonitors/PodMonitors anywhere in the cluster.
        { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        // Scraping the API server and kubelets with the pod's token.
        { nonResourceUrLs: ['/metrics', '/metrics/cadvisor', '/metrics/probes', '/metrics/slis'], verbs: ['get'] },
      ],
    });

    const resources = props.resources;
    const everything = {};
    const dedup = props.remoteWrite?.deduplication;
    new PrometheusResource(this, 'prometheus', {
      metadata: { name: NAME, namespace, labels },
      spec: {
        version: `v${versionOf('prometheus')}`,
        image: imageOf('prometheus'),
        replicas,
        serviceAccountName: NAME,
        // The operator owns managed-by/name/instance on the pods; add the rest of our labels.
        podMetadata: {
          labels: {
            ...selectorLabels(IDENTITY),
            'app.kubernetes.io/version': versionOf('prometheus'),
            'app.kubernetes.io/part-of': PART_OF,
          },
        },
        serviceMonitorSelector: everything,
        serviceMonitorNamespaceSelector: everything,
        podMonitorSelector: everything,
        podMonitorNamespaceSelector: everything,
        probeSelector: everything,
        probeNamespaceSelector: everything,
        scrapeConfigSelector: everything,
        scrapeConfigNamespaceSelector: everything,
        ruleSelector: everything,
        ruleNamespaceSelector: everything,
        serviceDiscoveryRole: PrometheusSpecServiceDiscoveryRole.ENDPOINT_SLICE,
        scrapeInterval: props.scrapeInterval,
        evaluationInterval: props.evaluationInterval,
        // The replicas share the cluster label and differ in the replica label, as the metrics
        // store's de-duplication expects.
        externalLabels: { [dedup?.clusterLabel ?? CLUSTER_LABEL]: props.clusterName },
        ...(dedup ? { replicaExternalLabelName: dedup.replicaLabel } : {}),
        // Exemplars (trace IDs on samples) are kept only with this feature, and sent on below.
        enableFeatures: ['exemplar-storage'],
        exemplars: { maxSize: PROMETHEUS_EXEMPLAR_STORAGE },
        retention: props.retention,
        retentionSize: props.retentionSize,
        walCompression: true,
        ...(props.remoteWrite
          ? {
              remoteWrite: [
                {
                  url: props.remoteWrite.api.url(),
                  ...(props.remoteWrite.tenant ? { headers: { [TENANT_HEADER]: props.remoteWrite.tenant } } : {}),
                  sendExemplars: true,
                  queueConfig: {
                    // A 429 means "slow down", not "drop": each distributor enforces its share of
                    // the tenant's rate, and a busy one refuses while the others still accept.
                    retryOnRateLimit: true,
                    // Enough connections to reach every distributor behind the ClusterIP.
                    minShards: REMOTE_WRITE_MIN_SHARDS,
                  },
                },
              ],
            }
          : {}),
        enableAdminApi: false,
        storage: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
              resources: {
                requests: { storage: PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests.fromString(props.storageSize) },
              },
            },
          },
        },
        resources: {
          requests: {
            cpu: PrometheusSpecResourcesRequests.fromString(resources.cpuRequest),
            memory: PrometheusSpecResourcesRequests.fromString(resources.memoryRequest),
          },
          limits: {
            memory: PrometheusSpecResourcesLimits.fromString(resources.memoryLimit),
            ...(resources.cpuLimit ? { cpu: PrometheusSpecResourcesLimits.fromString(resources.cpuLimit) } : {}),
          },
        },
        // The operator already makes each container non-privileged with a read-only root
        // filesystem and all capabilities dropped; this is the pod-level half.
        securityContext: restrictedPodSecurityContext(RUN_AS_USER),
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        ...(highAvailability
          ? { topologySpreadConstraints: topologySpread(this.pods.podLabels, { acrossZones: true, acrossNodes: true }) }
          : {}),
      },
    });

    if (highAvailability) podDisruptionBudget(this, 'pdb', { name: NAME, namespace, identity: IDENTITY });

    const service = new ServiceRef(this, 'service', {
      name: NAME,
      namespace,
      labels,
      pods: this.pods,
      ports: [
        { name: 'web', port: WEB_PORT, targetPort: 'web', appProtocol: 'http' },
        { name: 'reloader-web', port: RELOADER_PORT, targetPort: 'reloader-web', appProtocol: 'http' },
      ],
    });
    this.web = service.endpoint('web');
    monitorService(this, 'service-monitor', {
      service,
      labels,
      wiring: props.wiring,
      endpoints: [{ port: 'web' }, { port: 'reloader-web' }],
    });
  }
}
