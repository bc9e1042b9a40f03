import { Manifest, podTemplateOf } from './manifests';

/** A pod as it will run: from a workload's template, or modelled from an operator's resource. */
export interface RenderedPod {
  readonly source: Manifest;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: any;
  /** Set when the pod is not in dist/ but created by an operator from `source`. */
  readonly modelledFrom?: string;
}

/**
 * The pods prometheus-operator v0.93.1 creates for a `Prometheus` resource
 * (pkg/prometheus/server/statefulset.go): selector labels of its own plus podMetadata labels, a
 * `prometheus` container on port 9090 (named after spec.portName, default `web`) and a
 * `config-reloader` on 8080 (`reloader-web`); each container non-privileged, read-only root,
 * all capabilities dropped; the pod security context copied from spec.securityContext.
 */
function prometheusPods(m: Manifest): RenderedPod {
  const spec = m.object.spec;
  const name = m.object.metadata.name;
  const containerSecurity = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  return {
    source: m,
    namespace: m.object.metadata.namespace,
    labels: {
      ...(spec.podMetadata?.labels ?? {}),
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      'operator.prometheus.io/name': name,
      'operator.prometheus.io/shard': '0',
      prometheus: name,
    },
    annotations: spec.podMetadata?.annotations ?? {},
    modelledFrom: 'prometheus-operator v0.93.1',
    spec: {
      serviceAccountName: spec.serviceAccountName,
      securityContext: spec.securityContext,
      hostNetwork: spec.hostNetwork,
      containers: [
        { name: 'prometheus', ports: [{ name: spec.portName ?? 'web', containerPort: 9090 }], securityContext: containerSecurity },
        { name: 'config-reloader', ports: [{ name: 'reloader-web', containerPort: 8080 }], securityContext: containerSecurity },
      ],
      volumes: [{ name: 'config', secret: {} }, { name: 'data', persistentVolumeClaim: {} }, { name: 'tmp', emptyDir: {} }],
    },
  };
}

export function renderedPods(manifests: readonly Manifest[]): RenderedPod[] {
  const pods: RenderedPod[] = [];
  for (const m of manifests) {
    const template = podTemplateOf(m.object);
    if (template) {
      pods.push({
        source: m,
        namespace: m.object.metadata.namespace,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec,
      });
    } else if (m.object.apiVersion === 'monitoring.coreos.com/v1' && m.object.kind === 'Prometheus') {
      pods.push(prometheusPods(m));
    }
  }
  return pods;
}

export function allContainers(spec: any): any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}
