import { k8s } from 'cdk8s-plus-28';

/**
 * An existing Kafka (or Kafka-compatible: Redpanda, WarpStream...) cluster that the scalable
 * metrics and trace stores use as their write-ahead log. The stack does not run Kafka.
 */
export interface KafkaSettings {
  /**
   * `host:port` of the cluster's bootstrap endpoint (a Service or DNS name that reaches the
   * brokers). One address: Tempo 3.0 takes a single seed broker.
   */
  readonly address: string;
  /** Topic per signal. Create each beforehand with `partitions` partitions. */
  readonly topics: { readonly traces?: string; readonly metrics?: string };
  /**
   * Partitions of each topic. The consumers that own partitions by ordinal (Tempo's live-stores
   * and block-builders, Mimir's ingesters) are sized from it.
   */
  readonly partitions: { readonly traces?: number; readonly metrics?: number };
  /**
   * Secret, created by you in the stack's namespace, with the SASL/PLAIN credentials under
   * KAFKA_SECRET_KEYS. @default - no authentication
   */
  readonly saslSecret?: string;
}

/** Keys of the SASL Secret; also the environment variables the pods get. */
export const KAFKA_SECRET_KEYS = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;

/** Environment variables carrying the SASL credentials, by reference. */
export function kafkaEnv(kafka: KafkaSettings): k8s.EnvVar[] {
  if (!kafka.saslSecret) return [];
  return KAFKA_SECRET_KEYS.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: kafka.saslSecret!, key } } }));
}
