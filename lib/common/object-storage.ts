import { k8s } from 'cdk8s-plus-28';

/** Bucket (Azure: container) names, one per kind of data; each backend needs its own. */
export interface BucketNames {
  /** Mimir blocks. */
  readonly metrics?: string;
  /** Mimir ruler rules. */
  readonly metricsRuler?: string;
  /** Mimir Alertmanager state. */
  readonly metricsAlertmanager?: string;
  /** Loki chunks and index. */
  readonly logs?: string;
  /** Tempo blocks. */
  readonly traces?: string;
  /** Pyroscope blocks. */
  readonly profiles?: string;
}

interface ObjectStorageBase {
  readonly buckets: BucketNames;
  /**
   * Name of a Secret, created by you in the stack's namespace, that holds the credentials under
   * the keys of OBJECT_STORAGE_SECRET_KEYS for the provider. Nothing from it is rendered: pods
   * read it as environment variables.
   * @default - no static credentials: the pods' cloud identity (IRSA, GKE/Azure workload identity)
   */
  readonly credentialsSecret?: string;
}

/** Amazon S3 or an S3-compatible store (MinIO, Ceph RGW, R2...). */
export interface S3ObjectStorage extends ObjectStorageBase {
  readonly provider: 's3';
  /** Host (and port) of the S3 API, without scheme, e.g. `s3.eu-west-1.amazonaws.com`. */
  readonly endpoint: string;
  /** @default - detected by the client */
  readonly region?: string;
  /** Plain HTTP to the endpoint (in-cluster MinIO). @default false */
  readonly insecure?: boolean;
  /** Path-style bucket addressing (`endpoint/bucket`), as MinIO and Ceph need. @default false */
  readonly forcePathStyle?: boolean;
}

export interface GcsObjectStorage extends ObjectStorageBase {
  readonly provider: 'gcs';
}

export interface AzureObjectStorage extends ObjectStorageBase {
  readonly provider: 'azure';
  /** Storage account holding the containers. */
  readonly accountName: string;
}

export type ObjectStorage = S3ObjectStorage | GcsObjectStorage | AzureObjectStorage;
export const OBJECT_STORAGE_PROVIDERS: readonly ObjectStorage['provider'][] = ['s3', 'gcs', 'azure'];

/**
 * The keys the credentials Secret must have, per provider. Each is also the environment
 * variable the pods get, and `${KEY}` in the rendered configs (expanded with -config.expand-env).
 */
export const OBJECT_STORAGE_SECRET_KEYS = {
  s3: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  /** The service account key, as JSON content. */
  gcs: ['GCS_SERVICE_ACCOUNT_JSON'],
  azure: ['AZURE_STORAGE_ACCOUNT_KEY'],
} as const satisfies Record<ObjectStorage['provider'], readonly string[]>;

/** `${NAME}`, for a config value filled from the environment at start. */
export function fromEnv(name: string): string {
  return `\${${name}}`;
}

/** Environment variables carrying the credentials, read from the Secret by reference. */
export function credentialEnv(storage: ObjectStorage): k8s.EnvVar[] {
  if (!storage.credentialsSecret) return [];
  return OBJECT_STORAGE_SECRET_KEYS[storage.provider].map((key) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: storage.credentialsSecret!, key } },
  }));
}

/** The bucket of one kind of data; throws naming the setting when it is missing. */
export function bucketFor(storage: ObjectStorage, kind: keyof BucketNames): string {
  const bucket = storage.buckets[kind];
  if (!bucket) throw new Error(`objectStorage.buckets.${kind} is required to store ${kind} in object storage`);
  return bucket;
}
