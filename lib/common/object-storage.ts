import { k8s } from 'cdk8s-plus-28';

/** Bucket (Azure: container) names, one per kind of data; each backend needs its own. */
export interface BucketNames {
  /** Mimir blocks. @default - none: Mimir cannot run scalable */
  readonly metrics?: string;
  /** Mimir ruler rules. @default - none: Mimir cannot run scalable */
  readonly metricsRuler?: string;
  /** Mimir Alertmanager state. @default - none: Mimir cannot run scalable */
  readonly metricsAlertmanager?: string;
  /** Loki chunks and index. @default - none: Loki cannot run scalable */
  readonly logs?: string;
  /** Tempo blocks. @default - none: Tempo cannot run scalable */
  readonly traces?: string;
  /** Pyroscope blocks. @default - none: Pyroscope cannot run scalable */
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

/**
 * How one backend names the settings of each object store: the four databases share one client
 * library design but spell its keys differently (Loki `bucketnames`, Tempo `bucket`, Mimir's
 * bucket in each store). One table per backend; objectStoreClient renders any of them.
 */
export interface ObjectStoreDialect {
  readonly s3: {
    /** The bucket's key, where it sits beside the client settings. @default - not rendered */
    readonly bucket?: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    /** Path-style addressing: a boolean key always rendered, or a key and value set only when forced. */
    readonly pathStyle: { readonly boolean: string } | { readonly key: string; readonly value: string };
  };
  readonly gcs: {
    /** @default - not rendered */
    readonly bucket?: string;
    /** The key of the service account's JSON; unset where the backend reads credentials only from the pod's identity. @default - none */
    readonly serviceAccount?: string;
  };
  readonly azure: {
    /** @default - not rendered */
    readonly bucket?: string;
    readonly accountName: string;
    readonly accountKey: string;
  };
}

/** The client settings of `storage` in a backend's dialect, credentials as `${ENV}` references. */
export function objectStoreClient(storage: ObjectStorage, dialect: ObjectStoreDialect, bucket?: string): Record<string, unknown> {
  const secret = storage.credentialsSecret !== undefined;
  const withBucket = (key: string | undefined) => (key && bucket !== undefined ? { [key]: bucket } : {});
  switch (storage.provider) {
    case 's3': {
      const d = dialect.s3;
      const [accessKey, secretKey] = OBJECT_STORAGE_SECRET_KEYS.s3;
      const force = storage.forcePathStyle ?? false;
      return {
        ...withBucket(d.bucket),
        endpoint: storage.endpoint,
        ...(storage.region ? { region: storage.region } : {}),
        ...(secret ? { [d.accessKeyId]: fromEnv(accessKey), [d.secretAccessKey]: fromEnv(secretKey) } : {}),
        insecure: storage.insecure ?? false,
        ...('boolean' in d.pathStyle ? { [d.pathStyle.boolean]: force } : force ? { [d.pathStyle.key]: d.pathStyle.value } : {}),
      };
    }
    case 'gcs': {
      const d = dialect.gcs;
      return { ...withBucket(d.bucket), ...(secret && d.serviceAccount ? { [d.serviceAccount]: fromEnv(OBJECT_STORAGE_SECRET_KEYS.gcs[0]) } : {}) };
    }
    case 'azure': {
      const d = dialect.azure;
      return {
        ...withBucket(d.bucket),
        [d.accountName]: storage.accountName,
        ...(secret ? { [d.accountKey]: fromEnv(OBJECT_STORAGE_SECRET_KEYS.azure[0]) } : {}),
      };
    }
  }
}
