import { RETENTION } from './durations';
import { KafkaSettings } from './kafka';
import { ObjectStorage } from './object-storage';
import { parseQuantity, ResourceSpec } from './resources';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Prometheus duration, as the Prometheus CRD of prometheus-operator v0.93.1 validates it. */
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/**
 * What the rules of one component may read of the rest of the environment: the shared
 * infrastructure and the stack-wide switches, never another component's settings.
 */
export interface RuleContext {
  readonly highAvailability: boolean;
  /** The availability zones of the environment's cluster. */
  readonly zones: readonly string[];
  readonly clusterDomain: string;
  /** @default - none */
  readonly objectStorage?: ObjectStorage;
  /** @default - none */
  readonly kafka?: KafkaSettings;
}

/**
 * The problems found in one environment's configuration. Each is reported as the setting's
 * path, its value and what is allowed, so the message says what to edit. The checks that many
 * settings share live here; each component's own rules live beside it (lib/<component>/rules.ts).
 */
export class Problems {
  readonly list: string[] = [];

  add(setting: string, value: unknown, allowed: string): void {
    this.list.push(`${setting} is ${JSON.stringify(value)}; allowed: ${allowed}`);
  }

  dnsLabel(setting: string, value: string): void {
    if (!DNS_LABEL.test(value) || value.length > 63) {
      this.add(setting, value, 'a DNS label: lowercase letters, digits and "-", at most 63 characters');
    }
  }

  dnsName(setting: string, value: string | undefined, example: string): void {
    if (value !== undefined && !DNS_SUBDOMAIN.test(value)) this.add(setting, value, `a DNS name such as "${example}"`);
  }

  secretName(setting: string, value: string | undefined): void {
    if (value !== undefined && !DNS_SUBDOMAIN.test(value)) this.add(setting, value, 'the name of a Secret in the stack namespace (a DNS subdomain)');
  }

  duration(setting: string, value: string, allowZero = false): void {
    if (!PROMETHEUS_DURATION.test(value) || value === '' || (!allowZero && /^0+[a-z]*$/.test(value))) {
      this.add(setting, value, `a ${allowZero ? '' : 'non-zero '}Prometheus duration such as "30s", "15d" or "1h30m"`);
    }
  }

  integer(setting: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(setting, value, `an integer from ${min} to ${max}`);
    }
  }

  /** At least 2 replicas of `setting` when the environment runs for availability. */
  replicatedWhenHighlyAvailable(setting: string, replicas: number, context: RuleContext): void {
    if (context.highAvailability && replicas < 2) {
      this.add(setting, replicas, 'at least 2 when highAvailability is true (or set highAvailability: false)');
    }
  }

  positiveQuantity(setting: string, value: string, kind: 'cpu' | 'memory'): number | undefined {
    const parsed = parseQuantity(value);
    if (parsed === undefined || parsed <= 0) {
      this.add(setting, value, kind === 'cpu' ? 'a CPU quantity such as "100m" or "1.5"' : 'a memory quantity such as "256Mi" or "2Gi"');
      return undefined;
    }
    return parsed;
  }

  positiveNumber(setting: string, value: number | undefined, integer: boolean): void {
    if (value === undefined) return;
    if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      this.add(setting, value, integer ? 'a whole number above 0' : 'a number above 0');
    }
  }

  retention(setting: string, value: string | undefined): void {
    if (value !== undefined && !RETENTION.test(value)) this.add(setting, value, 'whole days or hours, such as "30d" or "336h"');
  }

  storageClass(setting: string, value: string | undefined): void {
    if (value !== undefined && (!DNS_SUBDOMAIN.test(value) || value.length > 253)) {
      this.add(setting, value, 'a DNS subdomain: lowercase letters, digits, "-" and "."');
    }
  }

  resources(setting: string, spec: ResourceSpec | undefined): void {
    if (spec === undefined) return;
    const cpuRequest = this.positiveQuantity(`${setting}.cpuRequest`, spec.cpuRequest, 'cpu');
    const memoryRequest = this.positiveQuantity(`${setting}.memoryRequest`, spec.memoryRequest, 'memory');
    const memoryLimit = this.positiveQuantity(`${setting}.memoryLimit`, spec.memoryLimit, 'memory');
    if (memoryRequest !== undefined && memoryLimit !== undefined && memoryLimit < memoryRequest) {
      this.add(`${setting}.memoryLimit`, spec.memoryLimit, `at least memoryRequest (${spec.memoryRequest})`);
    }
    if (spec.cpuLimit !== undefined) {
      const cpuLimit = this.positiveQuantity(`${setting}.cpuLimit`, spec.cpuLimit, 'cpu');
      if (cpuRequest !== undefined && cpuLimit !== undefined && cpuLimit < cpuRequest) {
        this.add(`${setting}.cpuLimit`, spec.cpuLimit, `at least cpuRequest (${spec.cpuRequest})`);
      }
    }
  }

  /** An Ingress: a host name and, where set, the name of its TLS Secret. */
  ingress(setting: string, ingress: { readonly host: string; readonly tlsSecretName?: string } | undefined, example: string): void {
    if (!ingress) return;
    if (!DNS_SUBDOMAIN.test(ingress.host)) this.add(`${setting}.host`, ingress.host, `a DNS name such as "${example}"`);
    this.secretName(`${setting}.tlsSecretName`, ingress.tlsSecretName);
  }
}
