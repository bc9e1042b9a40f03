import { Construct } from 'constructs';
import { withDefaults } from '../common/defaults';
import { k8s } from 'cdk8s-plus-28';
import { PodPeer } from '../common/endpoints';
import { ComponentIdentity, standardLabels } from '../common/labels';
import { livenessProbe, readinessProbe } from '../common/probes';
import { ResourceSpec } from '../common/resources';
import { StackWiring } from '../common/wiring';
import { ServiceWorkload } from '../common/service-workload';
import { CRD_ANNOTATIONS } from '../crds/crds';

export interface RolloutOperatorProps {
  /** The namespace whose rollout groups it rolls (it watches no other). */
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** The rollout groups that exist in the namespace, for the record on the Deployment. */
  readonly rolloutGroups: readonly string[];
  /** @default ROLLOUT_OPERATOR_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
}

export const ROLLOUT_OPERATOR_DEFAULTS = {
  /** The requests and limit of upstream's chart (grafana/helm-charts rollout-operator). */
  resources: { cpuRequest: '100m', memoryRequest: '100Mi', memoryLimit: '200Mi' },
} as const;

const IDENTITY: ComponentIdentity = { name: 'rollout-operator', instance: 'rollout-operator', component: 'controller', image: 'rolloutOperator' };
/** The image's distroless `nonroot` user. */
const RUN_AS_USER = 65532;
/** `-server.port`: metrics and /ready. */
const HTTP_PORT = 8001;

/** The zone-aware disruption budget kind the operator watches at start (pkg/zpdb/config.go). */
export const ZPDB = {
  group: 'rollout-operator.grafana.com',
  version: 'v1',
  kind: 'ZoneAwarePodDisruptionBudget',
  plural: 'zoneawarepoddisruptionbudgets',
} as const;

/**
 * The ZoneAwarePodDisruptionBudget CRD. rollout-operator v0.38.1 lists this kind before it starts
 * rolling (its eviction controller waits for the informer to sync), so the CRD must exist even
 * though the stack creates no such object: drains are bounded by a plain PodDisruptionBudget over
 * all zones instead. The schema names the fields the operator reads and keeps the rest open.
 */
export class ZoneAwarePdbCrd extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeCustomResourceDefinition(this, 'crd', {
      metadata: { name: `${ZPDB.plural}.${ZPDB.group}`, labels: standardLabels(IDENTITY), annotations: { ...CRD_ANNOTATIONS } },
      spec: {
        group: ZPDB.group,
        scope: 'Namespaced',
        names: { kind: ZPDB.kind, listKind: `${ZPDB.kind}List`, plural: ZPDB.plural, singular: ZPDB.kind.toLowerCase(), shortNames: ['zpdb'] },
        versions: [
          {
            name: ZPDB.version,
            served: true,
            storage: true,
            schema: {
              openApiv3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['selector'],
                    properties: {
                      maxUnavailable: { type: 'integer', minimum: 0 },
                      maxUnavailablePercentage: { type: 'integer', minimum: 0, maximum: 100 },
                      selector: { type: 'object', xKubernetesPreserveUnknownFields: true },
                      podNamePartitionRegex: { type: 'string' },
                      podNameRegexGroup: { type: 'integer', minimum: 1 },
                    },
                  },
                  status: { type: 'object', xKubernetesPreserveUnknownFields: true },
                },
              },
            },
          },
        ],
      },
    });
  }
}

/**
 * grafana/rollout-operator: rolls the StatefulSets of each `rollout-group` one after another
 * (the zones of Mimir's ingesters, Tempo's live-stores), so that the owners of a Kafka partition
 * in two zones are never restarted together. Namespaced RBAC only; no admission webhooks.
 */
export class RolloutOperator extends Construct {
  readonly pods: PodPeer;

  constructor(scope: Construct, id: string, given: RolloutOperatorProps) {
    super(scope, id);
    const props = withDefaults(given, ROLLOUT_OPERATOR_DEFAULTS);
    const workload = new ServiceWorkload(this, 'workload', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      annotations: { 'observability-stack.io/rollout-groups': props.rolloutGroups.join(',') },
      // The rules of upstream's chart (templates/role.yaml), without the webhook ones.
      access: {
        namespaceRules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['list', 'get', 'watch', 'delete'] },
          { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['list', 'get', 'watch', 'patch'] },
          { apiGroups: ['apps'], resources: ['statefulsets/status'], verbs: ['update'] },
          { apiGroups: [ZPDB.group], resources: [ZPDB.plural], verbs: ['get', 'list', 'watch'] },
        ],
      },
      // One replica, never two: two would each delete pods of the same group.
      replicas: 1,
      recreate: true,
      minReadySeconds: 10,
      pod: {
        apiAccess: true,
        runAsUser: RUN_AS_USER,
        containers: [
          {
            name: 'rollout-operator',
            image: 'rolloutOperator',
            args: [`-kubernetes.namespace=${props.namespace}`, `-server.port=${HTTP_PORT}`, '-log.level=info'],
            ports: [{ name: 'http-metrics', containerPort: HTTP_PORT }],
            resources: props.resources,
            readinessProbe: readinessProbe({ port: 'http-metrics', path: '/ready' }),
            livenessProbe: livenessProbe({ port: 'http-metrics', path: '/metrics' }),
          },
        ],
      },
      ports: [{ name: 'http-metrics', port: HTTP_PORT, targetPort: 'http-metrics', appProtocol: 'http' }],
      monitor: { endpoints: [{ port: 'http-metrics' }] },
    });
    this.pods = workload.pods;
  }
}
