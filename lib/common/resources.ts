import { k8s } from 'cdk8s-plus-28';

/**
 * Requests and limits of one container. A memory limit is always set (an unbounded container can
 * take a node down); a CPU limit is optional, since CPU throttling hurts latency more than it
 * protects neighbours.
 */
export interface ResourceSpec {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  /** @default - no CPU limit */
  readonly cpuLimit?: string;
}

export function toResourceRequirements(spec: ResourceSpec): k8s.ResourceRequirements {
  const limits: Record<string, k8s.Quantity> = { memory: k8s.Quantity.fromString(spec.memoryLimit) };
  if (spec.cpuLimit !== undefined) limits.cpu = k8s.Quantity.fromString(spec.cpuLimit);
  return {
    requests: {
      cpu: k8s.Quantity.fromString(spec.cpuRequest),
      memory: k8s.Quantity.fromString(spec.memoryRequest),
    },
    limits,
  };
}

const QUANTITY = /^([+-]?[0-9.]+)([eE][-+]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SUFFIX_FACTOR: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * Parses a Kubernetes quantity ("250m", "1.5", "512Mi", "1e3") into a number of base units.
 * Returns undefined for anything the API server would reject.
 */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  if (!match || !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(match[1])) return undefined;
  const suffix = match[2] ?? '';
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX_FACTOR[suffix];
  return Number(match[1]) * factor;
}

/** Bytes as a whole number of MiB, the way Go runtimes and dskit byte sizes read it (`3686MiB`). */
export function mebibytes(bytes: number): string {
  return `${Math.floor(bytes / 2 ** 20)}MiB`;
}

/**
 * GOMEMLIMIT for a Go process: 90% of its container's memory limit. The runtime then collects
 * harder as the heap nears the limit instead of growing into an OOM kill.
 */
export function goMemoryLimitEnv(spec: ResourceSpec): { name: string; value: string } {
  const limit = parseQuantity(spec.memoryLimit);
  if (limit === undefined) throw new Error(`memoryLimit "${spec.memoryLimit}" is not a Kubernetes quantity`);
  return { name: 'GOMEMLIMIT', value: mebibytes(limit * 0.9) };
}
