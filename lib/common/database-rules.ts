import { ComponentSizing, DEPLOYMENT_MODES, StorageBackendSettings } from './database';
import { BucketNames } from './object-storage';
import { Problems, RuleContext } from './problems';

/**
 * The rules every storage backend shares: retention, volume, resources, and for `scalable` mode
 * object storage with the backend's bucket and only its own components. Returns whether the
 * backend runs scalable (and its topology rules apply).
 */
export function storageBackendRules<T extends string>(
  p: Problems,
  prefix: string,
  settings: StorageBackendSettings<T>,
  targets: readonly T[],
  bucket: keyof BucketNames,
  context: RuleContext,
): boolean {
  p.retention(`${prefix}.retention`, settings.retention);
  if (settings.storageSize !== undefined) p.positiveQuantity(`${prefix}.storageSize`, settings.storageSize, 'memory');
  p.storageClass(`${prefix}.storageClassName`, settings.storageClassName);
  p.resources(`${prefix}.resources`, settings.resources);
  const mode = settings.mode;
  if (mode === undefined || mode === 'monolithic') return false;
  if (!DEPLOYMENT_MODES.includes(mode)) {
    p.add(`${prefix}.mode`, mode, DEPLOYMENT_MODES.join(', '));
    return false;
  }
  const storage = context.objectStorage;
  if (!storage) {
    p.add(`${prefix}.mode`, mode, "\"scalable\" only with 'objectStorage' set (provider, endpoint, buckets); otherwise \"monolithic\"");
  } else if (!storage.buckets?.[bucket]) {
    p.add(`objectStorage.buckets.${bucket}`, storage.buckets?.[bucket], `a bucket name: ${prefix}.mode is "scalable"`);
  }
  componentRules(p, prefix, settings.components, targets);
  return true;
}

function componentRules<T extends string>(p: Problems, prefix: string, components: ComponentSizing<T> | undefined, targets: readonly T[]): void {
  for (const [target, sizing] of Object.entries(components ?? {}) as [string, { replicas?: number; resources?: never } | undefined][]) {
    if (!targets.includes(target as T)) {
      p.add(`${prefix}.components.${target}`, target, `one of ${targets.join(', ')}`);
      continue;
    }
    if (sizing?.replicas !== undefined) p.integer(`${prefix}.components.${target}.replicas`, sizing.replicas, 1, 100);
    p.resources(`${prefix}.components.${target}.resources`, sizing?.resources);
  }
}

/** The replicas a scalable backend's environment gives `target`, if it sets them. */
export function replicasOf<T extends string>(settings: StorageBackendSettings<T>, target: T): number | undefined {
  return settings.components?.[target]?.replicas;
}

/** A topic and a partition count for `signal`: what a backend that writes through Kafka needs. */
export function kafkaTopicRules(p: Problems, signal: 'metrics' | 'traces', owner: string, context: RuleContext, why: string): number | undefined {
  const kafka = context.kafka;
  if (!kafka) {
    p.add(`${owner}.mode`, 'scalable', `"scalable" only with 'kafka' set: ${why}`);
    return undefined;
  }
  const partitions = kafka.partitions?.[signal];
  if (!kafka.topics?.[signal]) p.add(`kafka.topics.${signal}`, kafka.topics?.[signal], `a topic name: ${owner}.mode is "scalable"`);
  if (partitions === undefined) p.add(`kafka.partitions.${signal}`, partitions, `the partition count of the ${signal} topic: ${owner}.mode is "scalable"`);
  return partitions;
}
