import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { dump } from 'js-yaml';
import { PodPeer, ServicePortSpec, ServiceRef } from './endpoints';
import { ComponentIdentity, standardLabels } from './labels';
import { monitorService } from './monitoring';
import { livenessProbe, readinessProbe, startupProbe } from './probes';
import { goMemoryLimitEnv, ResourceSpec } from './resources';
import { PersistentStorage, statefulWorkload } from './stateful-workload';
import { StackWiring } from './wiring';
import { configChecksum, ContainerPortSpec, podPeer, serviceAccount } from './workload';

/** `monolithic`: one binary on a volume. `scalable`: the upstream microservices on object storage. */
export type DeploymentMode = 'monolithic' | 'scalable';
export const DEPLOYMENT_MODES: readonly DeploymentMode[] = ['monolithic', 'scalable'];

/**
 * What every storage backend (Mimir, Loki, Tempo, Pyroscope) takes. Each backend documents its
 * defaults in its own `*_DEFAULTS`.
 */
export interface StorageBackendProps {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** How long data is kept; the backend's compactor deletes older data. Whole days or hours. */
  readonly retention?: string;
  /** Size of the PersistentVolumeClaim. */
  readonly storageSize?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  readonly resources?: ResourceSpec;
}

/** The file name of the rendered configuration inside its ConfigMap and mount. */
export const CONFIG_FILE = 'config.yaml';

export interface SingleBinaryProps {
  /** Who the workload is; `name` is also the name of its objects. */
  readonly identity: ComponentIdentity;
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** The component's configuration, rendered to YAML in a ConfigMap. */
  readonly config: object;
  /** Where the ConfigMap is mounted, e.g. `/etc/loki`. */
  readonly configDir: string;
  /** Further files beside the configuration, in the same ConfigMap and mount. @default - none */
  readonly extraConfigFiles?: Readonly<Record<string, string>>;
  /** Value of `-target`. */
  readonly target: string;
  /** The HTTP port (API, `/ready`, `/metrics`). */
  readonly httpPort: number;
  /** The gRPC port. */
  readonly grpcPort: number;
  /** Further ports, exposed on the Service under the same names (receivers...). @default - none */
  readonly extraPorts?: readonly (ContainerPortSpec & { readonly appProtocol?: string })[];
  /** Path of the persistent volume and its size. */
  readonly dataPath: string;
  readonly storage: PersistentStorage;
  readonly runAsUser: number;
  readonly resources: ResourceSpec;
  /** Further command-line flags. @default - none */
  readonly extraArgs?: readonly string[];
  /** Environment variables (credentials from Secrets, referenced by name). @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /**
   * Set GOMEMLIMIT below the container's memory limit (Go binaries that do not size their heap
   * from the cgroup themselves). @default false
   */
  readonly goMemoryLimit?: boolean;
  /** Working directory, for binaries that resolve relative paths against it. @default - the image's */
  readonly workingDir?: string;
  /** Longest expected start (WAL replay...). @default 300 */
  readonly maxStartupSeconds?: number;
}

/**
 * One of Grafana's databases (Loki, Tempo, Pyroscope, Mimir) run as a single binary: a
 * one-replica StatefulSet on a PersistentVolumeClaim, its rendered configuration in a ConfigMap
 * (hashed onto the pod template so a change rolls the pod), a Service and a ServiceMonitor.
 */
export class SingleBinary extends Construct {
  readonly service: ServiceRef;
  /** One DNS record per pod, every port: for clients that balance across pods themselves. */
  readonly headless: ServiceRef;
  readonly pods: PodPeer;
  /** The configuration exactly as rendered into the ConfigMap. */
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: SingleBinaryProps) {
    super(scope, id);
    const { identity, namespace } = props;
    const name = identity.name;
    const labels = standardLabels(identity);
    this.pods = podPeer(identity, namespace);
    this.configYaml = dump(props.config, { lineWidth: -1, noRefs: true, sortKeys: true });

    serviceAccount(this, 'service-account', { name, namespace, labels });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: { [CONFIG_FILE]: this.configYaml, ...props.extraConfigFiles },
    });

    const ports: ContainerPortSpec[] = [
      { name: 'http', containerPort: props.httpPort },
      { name: 'grpc', containerPort: props.grpcPort },
      ...(props.extraPorts ?? []).map(({ appProtocol: _, ...p }) => p),
    ];
    statefulWorkload(this, 'stateful-set', {
      identity,
      name,
      namespace,
      replicas: 1,
      serviceName: `${name}-headless`,
      serviceAccountName: name,
      runAsUser: props.runAsUser,
      configChecksum: configChecksum(this.configYaml, ...Object.values(props.extraConfigFiles ?? {})),
      storage: props.storage,
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'tmp', emptyDir: {} },
      ],
      containers: [
        {
          name,
          image: identity.image,
          args: [
            `-target=${props.target}`,
            `-config.file=${props.configDir}/${CONFIG_FILE}`,
            // ${VAR} in the config is filled from the environment: credentials stay in Secrets.
            '-config.expand-env=true',
            ...(props.extraArgs ?? []),
          ],
          ...(props.env || props.goMemoryLimit ? { env: [...(props.env ?? []), ...(props.goMemoryLimit ? [goMemoryLimitEnv(props.resources)] : [])] } : {}),
          ...(props.workingDir ? { workingDir: props.workingDir } : {}),
          ports,
          resources: props.resources,
          // Ready once the ring has settled and the WAL is replayed.
          readinessProbe: readinessProbe({ port: 'http', path: '/ready' }),
          // Alive while the HTTP server answers; a slow WAL replay is not a reason to restart.
          livenessProbe: livenessProbe({ port: 'http', path: '/metrics', periodSeconds: 30 }),
          startupProbe: startupProbe({ port: 'http', path: '/metrics', maxStartupSeconds: props.maxStartupSeconds ?? 300 }),
          volumeMounts: [
            { name: 'config', mountPath: props.configDir, readOnly: true },
            { name: props.storage.name, mountPath: props.dataPath },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
    });

    const servicePorts: ServicePortSpec[] = [
      { name: 'http', port: props.httpPort, targetPort: 'http', appProtocol: 'http' },
      { name: 'grpc', port: props.grpcPort, targetPort: 'grpc', appProtocol: 'grpc' },
      ...(props.extraPorts ?? []).map((p) => ({
        name: p.name,
        port: p.containerPort,
        targetPort: p.name,
        protocol: p.protocol,
        ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      })),
    ];
    this.service = new ServiceRef(this, 'service', { name, namespace, labels, pods: this.pods, ports: servicePorts });
    this.headless = new ServiceRef(this, 'headless-service', {
      name: `${name}-headless`,
      namespace,
      labels,
      pods: this.pods,
      headless: true,
      ports: servicePorts,
    });
    monitorService(this, 'service-monitor', { service: this.service, labels, wiring: props.wiring, endpoints: [{ port: 'http' }] });
  }
}
