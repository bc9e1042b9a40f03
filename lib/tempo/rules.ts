import { kafkaTopicRules, replicasOf, storageBackendRules } from '../common/database-rules';
import { Problems, RuleContext } from '../common/problems';
import { TEMPO_TARGETS, TempoSettings } from './tempo';

/** Tempo's rules, with the setting each one names (`tempo.` in the environment). */
export function tempoRules(p: Problems, tempo: TempoSettings, context: RuleContext): void {
  if (storageBackendRules(p, 'tempo', tempo, TEMPO_TARGETS, 'traces', context)) scalableRules(p, tempo, context);
  p.positiveNumber('tempo.ingestionRateLimitBytes', tempo.ingestionRateLimitBytes, true);
  p.positiveNumber('tempo.ingestionBurstSizeBytes', tempo.ingestionBurstSizeBytes, true);
  p.positiveNumber('tempo.maxTracesPerUser', tempo.maxTracesPerUser, true);
}

function scalableRules(p: Problems, tempo: TempoSettings, context: RuleContext): void {
  const partitions = kafkaTopicRules(p, 'traces', 'tempo', context, 'Tempo 3 writes through Kafka in microservices mode');
  if (partitions !== undefined) {
    const builders = replicasOf(tempo, 'block-builder') ?? 1;
    if (Number.isInteger(builders) && builders > 0 && partitions % builders !== 0) {
      p.add('tempo.components.block-builder.replicas', builders, `a divisor of kafka.partitions.traces (${partitions}): each block-builder owns an equal run of partitions`);
    }
    const liveStores = replicasOf(tempo, 'live-store');
    if (liveStores !== undefined && liveStores !== partitions) {
      p.add('tempo.components.live-store.replicas', liveStores, `exactly kafka.partitions.traces (${partitions}): each live-store owns the partition of its ordinal`);
    }
  }
  const kafka = context.kafka;
  if (kafka?.tls) p.add('kafka.tls', kafka.tls, 'unset while tempo.mode is "scalable": Tempo 3.0.3 cannot use TLS to Kafka');
  if (kafka?.saslMechanism !== undefined && kafka.saslMechanism !== 'PLAIN') {
    p.add('kafka.saslMechanism', kafka.saslMechanism, '"PLAIN" while tempo.mode is "scalable": Tempo 3.0.3 speaks SASL/PLAIN only (let Tempo use a PLAIN listener)');
  }
  const schedulers = replicasOf(tempo, 'backend-scheduler');
  if (schedulers !== undefined && schedulers !== 1) p.add('tempo.components.backend-scheduler.replicas', schedulers, 'exactly 1: the backend scheduler is a singleton');
  const storage = context.objectStorage;
  if (storage?.provider === 'gcs' && storage.credentialsSecret) {
    p.add('objectStorage.credentialsSecret', storage.credentialsSecret, 'none with provider gcs while tempo.mode is "scalable": this stack gives Tempo GCS access through workload identity only');
  }
}
