import { Testing } from 'cdk8s';
import { HOST_ACCESS_ANNOTATION } from '../../lib/common/security';
import { StackWiring } from '../../lib/common/wiring';
import { KSM_RESOURCES, KubeStateMetrics } from '../../lib/kube-state-metrics/kube-state-metrics';
import { NODE_EXPORTER_HOST_ACCESS, NodeExporter } from '../../lib/node-exporter/node-exporter';

describe('KubeStateMetrics', () => {
  const chart = Testing.chart();
  new KubeStateMetrics(chart, 'ksm', { namespace: 'obs', wiring: new StackWiring() });
  const objects = Testing.synth(chart);
  const container = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
  const role = objects.find((o) => o.kind === 'ClusterRole');

  test('may list and watch exactly the resources it is told to export', () => {
    const flag = container.args.find((a: string) => a.startsWith('--resources='));
    const enabled = flag.slice('--resources='.length).split(',').sort();
    const granted = role.rules.flatMap((r: any) => r.resources).sort();
    expect(granted).toEqual(enabled);
    for (const rule of role.rules) expect(rule.verbs).toEqual(['list', 'watch']);
  });

  test('skips the admission-policy APIs that Kubernetes 1.28 does not serve at v1', () => {
    expect(KSM_RESOURCES.map((r) => r.resource)).not.toEqual(expect.arrayContaining(['validatingadmissionpolicies']));
    expect(KSM_RESOURCES.map((r) => r.resource).filter((r) => r.includes('admissionpolic'))).toEqual([]);
  });

  test('keeps the labels of the objects it describes (honorLabels on the main port only)', () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    expect(monitor.spec.endpoints.map((e: any) => [e.port, e.honorLabels ?? false])).toEqual([['http-metrics', true], ['telemetry', false]]);
  });

  test('is ready when it serves metrics, not merely when the process is up', () => {
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'telemetry' });
  });
});

describe('NodeExporter', () => {
  const chart = Testing.chart();
  new NodeExporter(chart, 'ne', { namespace: 'agents', wiring: new StackWiring() });
  const objects = Testing.synth(chart);
  const daemonSet = objects.find((o) => o.kind === 'DaemonSet');
  const pod = daemonSet.spec.template;
  const container = pod.spec.containers[0];

  test('runs on every node, whatever its taints', () => {
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('declares each piece of host access it takes, with the reason', () => {
    const declared = JSON.parse(pod.metadata.annotations[HOST_ACCESS_ANNOTATION]);
    expect(Object.keys(declared).sort()).toEqual(['hostNetwork', 'hostPID', 'hostPath:/', 'hostPath:/sys']);
    expect(declared.hostNetwork).toBe(NODE_EXPORTER_HOST_ACCESS.hostNetwork);
    expect(pod.spec.volumes.map((v: any) => v.hostPath.path).sort()).toEqual(['/', '/sys']);
  });

  test('takes no privilege with it: non-root, no capabilities, read-only host mounts', () => {
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(container.securityContext.privileged).toBeUndefined();
    for (const mount of container.volumeMounts) expect(mount.readOnly).toBe(true);
  });

  test('listens on the node IP only, and reads the host filesystems', () => {
    expect(container.args).toContain('--web.listen-address=[$(HOST_IP)]:9100');
    expect(container.env).toContainEqual({ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } });
    expect(container.args).toEqual(expect.arrayContaining(['--path.rootfs=/host/root', '--path.sysfs=/host/sys', '--path.procfs=/host/root/proc']));
  });

  test('sets instance (and kubernetes_node, which OpenCost groups by) to the node name, so series join kube-state-metrics node labels', () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    expect(monitor.spec.endpoints[0].relabelings).toEqual(
      ['instance', 'kubernetes_node'].map((targetLabel) => ({ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel })),
    );
  });
});
