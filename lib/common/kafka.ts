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
   * Secret, created by you in the stack's namespace, with the SASL username and password under
   * KAFKA_SECRET_KEYS. @default - no authentication
   */
  readonly saslSecret?: string;
  /**
   * The SASL mechanism of those credentials. Operators such as Strimzi issue SCRAM-SHA-512 users;
   * Mimir 3.2 speaks all three, Tempo 3.0.3 only PLAIN. @default 'PLAIN'
   */
  readonly saslMechanism?: KafkaSaslMechanism;
  /**
   * Connect over TLS. `caSecret` names a Secret, created by you, whose key `ca.crt` holds the CA
   * that signed the brokers' certificates. @default - plain TCP
   */
  readonly tls?: { readonly caSecret?: string };
}

/** The username/password SASL mechanisms (Mimir's `ingest_storage.kafka.sasl_mechanism` values). */
export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];
export const KAFKA_DEFAULT_SASL_MECHANISM: KafkaSaslMechanism = 'PLAIN';

/** Key of the CA certificate in `tls.caSecret`, and where pods find it. */
export const KAFKA_CA_KEY = 'ca.crt';
export const KAFKA_CA_DIR = '/etc/kafka-tls';

/** The volume and mount of the Kafka CA, when one is configured. */
export function kafkaCaVolume(kafka: KafkaSettings): { volume: k8s.Volume; mount: k8s.VolumeMount } | undefined {
  if (!kafka.tls?.caSecret) return undefined;
  return {
    volume: { name: 'kafka-ca', secret: { secretName: kafka.tls.caSecret, items: [{ key: KAFKA_CA_KEY, path: KAFKA_CA_KEY }] } },
    mount: { name: 'kafka-ca', mountPath: KAFKA_CA_DIR, readOnly: true },
  };
}

/** Keys of the SASL Secret; also the environment variables the pods get. */
export const KAFKA_SECRET_KEYS = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;

/** Environment variables carrying the SASL credentials, by reference. */
export function kafkaEnv(kafka: KafkaSettings): k8s.EnvVar[] {
  if (!kafka.saslSecret) return [];
  return KAFKA_SECRET_KEYS.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: kafka.saslSecret!, key } } }));
}
