import { Construct } from 'constructs';
import { withDefaults } from '../common/defaults';
import { PodPeer } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { livenessProbe, readinessProbe } from '../common/probes';
import { ResourceSpec } from '../common/resources';
import { HostAccess } from '../common/security';
import { StackWiring } from '../common/wiring';
import { NODE_AGENT_PRIORITY_CLASS } from '../namespaces/namespaces';
import { ServiceWorkload } from '../common/service-workload';

/** What an environment sets for node-exporter (`nodeExporter:` in its config). */
export interface NodeExporterSettings {
  /** @default NODE_EXPORTER_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
}

export interface NodeExporterProps extends NodeExporterSettings {
  /** A namespace whose Pod Security level admits host access ("privileged"). */
  readonly namespace: string;
  readonly wiring: StackWiring;
}

export const NODE_EXPORTER_DEFAULTS = {
  resources: { cpuRequest: '20m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
} as const;

const IDENTITY: ComponentIdentity = {
  name: 'node-exporter',
  instance: 'node-exporter',
  component: 'exporter',
  image: 'nodeExporter',
};
const RUN_AS_USER = 65534;
const METRICS_PORT = 9100;
const HOST_ROOT = '/host/root';
const HOST_SYS = '/host/sys';

/** Why node-exporter needs each piece of host access it gets. */
export const NODE_EXPORTER_HOST_ACCESS: HostAccess = {
  hostNetwork: "network metrics (node_network_*) must describe the node's interfaces, not the pod's",
  hostPID: "/proc must show the node's processes for node_processes_* and the host's network stats",
  hostPaths: {
    '/': 'filesystem usage of every node mount (node_filesystem_*), mounted read-only',
    '/sys': 'hardware, pressure and thermal metrics from sysfs, mounted read-only',
  },
};

/** Mount points and filesystems that describe containers, not the node. */
const MOUNT_POINTS_EXCLUDE = '^/(dev|proc|sys|run/credentials/.+|run/containerd/.+|var/lib/docker/.+|var/lib/containers/storage/.+|var/lib/kubelet/pods/.+)($|/)';
const NETWORK_DEVICES_EXCLUDE = '^(veth.*|cali.*|cilium.*|lxc.*|flannel.*|cni.*|[a-f0-9]{15})$';

/**
 * node-exporter on every node (DaemonSet, tolerating every taint): CPU, memory, disk, network and
 * filesystem metrics of the node itself. It runs in the node-agent namespace because it needs the
 * host access declared in NODE_EXPORTER_HOST_ACCESS, and nothing more: it runs as `nobody`, with
 * no capabilities, on read-only mounts.
 */
export class NodeExporter extends Construct {
  readonly pods: PodPeer;

  constructor(scope: Construct, id: string, given: NodeExporterProps) {
    super(scope, id);
    const props = withDefaults(given, NODE_EXPORTER_DEFAULTS);
    const workload = new ServiceWorkload(this, 'workload', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      kind: 'DaemonSet',
      // It calls no API: the namespace's default account, without a token.
      serviceAccount: false,
      pod: {
        runAsUser: RUN_AS_USER,
        hostAccess: NODE_EXPORTER_HOST_ACCESS,
        priorityClassName: NODE_AGENT_PRIORITY_CLASS,
        tolerations: [{ operator: 'Exists' }],
        containers: [
          {
            name: 'node-exporter',
            image: 'nodeExporter',
            args: [
              // Listen on the node IP only: the host network namespace is shared with the node.
              `--web.listen-address=[$(HOST_IP)]:${METRICS_PORT}`,
              `--path.procfs=${HOST_ROOT}/proc`,
              `--path.sysfs=${HOST_SYS}`,
              `--path.rootfs=${HOST_ROOT}`,
              `--path.udev.data=${HOST_ROOT}/run/udev/data`,
              `--collector.filesystem.mount-points-exclude=${MOUNT_POINTS_EXCLUDE}`,
              `--collector.netclass.ignored-devices=${NETWORK_DEVICES_EXCLUDE}`,
              `--collector.netdev.device-exclude=${NETWORK_DEVICES_EXCLUDE}`,
            ],
            env: [{ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }],
            ports: [{ name: 'metrics', containerPort: METRICS_PORT, hostPort: METRICS_PORT }],
            resources: props.resources,
            // node-exporter has no health endpoint; its landing page answers when it serves.
            readinessProbe: readinessProbe({ port: 'metrics', path: '/' }),
            livenessProbe: livenessProbe({ port: 'metrics', path: '/' }),
            volumeMounts: [
              { name: 'root', mountPath: HOST_ROOT, readOnly: true, mountPropagation: 'HostToContainer' },
              { name: 'sys', mountPath: HOST_SYS, readOnly: true, mountPropagation: 'HostToContainer' },
            ],
          },
        ],
        volumes: [
          { name: 'root', hostPath: { path: '/', type: 'Directory' } },
          { name: 'sys', hostPath: { path: '/sys', type: 'Directory' } },
        ],
      },
      headless: true,
      ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', appProtocol: 'http' }],
      // OpenCost groups node CPU by `kubernetes_node`.
      monitor: { endpoints: [{ port: 'metrics' }], hostNetwork: true, nodeNameLabels: ['instance', 'kubernetes_node'] },
    });
    this.pods = workload.pods;
  }
}
