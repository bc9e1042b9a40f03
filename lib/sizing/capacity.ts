/**
 * Upstream's capacity rules, each with its source: what one replica of a component carries. The
 * configuration checks and the tests read these, so a limit the stack enforces is one its pods
 * can reach without being OOM-killed.
 */

const GB = 1e9;

/**
 * Mimir's planning guide (docs/sources/mimir/manage/run-production-environment/planning-capacity.md):
 * an ingester needs 2.5 GB of memory (and 1 core) per 300,000 in-memory series, per copy.
 */
export const MIMIR_INGESTER_BYTES_PER_SERIES = (2.5 * GB) / 300_000;

/** Same guide: a distributor needs 1 GB of memory (and 1 core) per 25,000 samples/s it receives. */
export const MIMIR_DISTRIBUTOR_SAMPLES_PER_GB = 25_000;

/**
 * What a single-binary Mimir needs beside its ingester's series: the distributor, querier,
 * store-gateway, compactor, ruler and Alertmanager share the process (our own floor for a small
 * single binary, not an upstream figure).
 */
export const MIMIR_MONOLITHIC_BASE_BYTES = 512 * 2 ** 20;

/** The active series an ingester with `memoryLimit` bytes holds without reaching its limit. */
export function mimirIngesterSeriesCapacity(memoryLimit: number, baseBytes = 0): number {
  return Math.max(0, Math.floor((memoryLimit - baseBytes) / MIMIR_INGESTER_BYTES_PER_SERIES));
}

/** The samples/s a distributor with `memoryLimit` bytes takes without reaching its limit. */
export function mimirDistributorRateCapacity(memoryLimit: number): number {
  return Math.floor((memoryLimit / GB) * MIMIR_DISTRIBUTOR_SAMPLES_PER_GB);
}
