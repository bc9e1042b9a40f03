/**
 * Services that exist on every cluster but are not rendered by this project. ServiceMonitors that
 * scrape them, and the flags that make them exist, read the same typed value, and the wiring tests
 * treat these as known objects.
 */
export interface ExternalService {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  /** Who creates it, for the docs and the test output. */
  readonly createdBy: string;
}

/**
 * The kubelet Service that prometheus-operator maintains (flag `--kubelet-service`): one endpoint
 * per node. Labels and ports as written by prometheus-operator v0.93.0 (pkg/kubelet/controller.go).
 */
export const KUBELET_SERVICE: ExternalService = {
  namespace: 'kube-system',
  name: 'kubelet',
  labels: { 'app.kubernetes.io/name': 'kubelet', 'k8s-app': 'kubelet' },
  ports: [
    { name: 'https-metrics', port: 10250 },
    { name: 'http-metrics', port: 10255 },
    { name: 'cadvisor', port: 4194 },
  ],
  createdBy: 'prometheus-operator (--kubelet-service)',
};

/** The API server's own Service, which Kubernetes creates in `default`. */
export const API_SERVER_SERVICE: ExternalService = {
  namespace: 'default',
  name: 'kubernetes',
  labels: { component: 'apiserver', provider: 'kubernetes' },
  ports: [{ name: 'https', port: 443 }],
  createdBy: 'Kubernetes (kube-apiserver)',
};

export const EXTERNAL_SERVICES: readonly ExternalService[] = [KUBELET_SERVICE, API_SERVER_SERVICE];
