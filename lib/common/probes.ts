import { k8s } from 'cdk8s-plus-28';

export interface HttpProbeOptions {
  /** Named container port. */
  readonly port: string;
  readonly path: string;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default - 3 (readiness) / 6 (liveness) */
  readonly failureThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
}

function httpGet(options: HttpProbeOptions, failureThreshold: number): k8s.Probe {
  return {
    httpGet: {
      path: options.path,
      port: k8s.IntOrString.fromString(options.port),
      scheme: options.scheme ?? 'HTTP',
    },
    initialDelaySeconds: options.initialDelaySeconds ?? 0,
    periodSeconds: options.periodSeconds ?? 10,
    timeoutSeconds: options.timeoutSeconds ?? 5,
    successThreshold: 1,
    failureThreshold: options.failureThreshold ?? failureThreshold,
  };
}

/** Readiness: take the pod out of its Service quickly when it cannot serve. */
export function readinessProbe(options: HttpProbeOptions): k8s.Probe {
  return httpGet(options, 3);
}

/** Liveness: restart only a process that is truly stuck, so tolerate a minute of failures. */
export function livenessProbe(options: HttpProbeOptions): k8s.Probe {
  return httpGet(options, 6);
}

/** Startup: give slow starts (WAL replay, cache warm-up) time before liveness applies. */
export function startupProbe(options: HttpProbeOptions & { readonly maxStartupSeconds: number }): k8s.Probe {
  const period = options.periodSeconds ?? 10;
  return httpGet({ ...options, periodSeconds: period }, Math.ceil(options.maxStartupSeconds / period));
}
