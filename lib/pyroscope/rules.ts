import { replicasOf, storageBackendRules } from '../common/database-rules';
import { Problems, RuleContext } from '../common/problems';
import { PYROSCOPE_DEFAULTS, PYROSCOPE_TARGETS, PyroscopeSettings } from './pyroscope';

/** Pyroscope's rules, with the setting each one names (`pyroscope.` in the environment). */
export function pyroscopeRules(p: Problems, pyroscope: PyroscopeSettings, context: RuleContext): void {
  if (storageBackendRules(p, 'pyroscope', pyroscope, PYROSCOPE_TARGETS, 'profiles', context)) {
    const metastores = replicasOf(pyroscope, 'metastore');
    if (metastores !== undefined && metastores % 2 === 0) {
      p.add('pyroscope.components.metastore.replicas', metastores, 'an odd number (1, 3, 5): the metastores form a Raft group');
    }
    if (context.clusterDomain !== PYROSCOPE_DEFAULTS.clusterDomain) {
      // 2.2.1's kubernetes:/// resolver builds metastore addresses with svc.cluster.local. (kuberesolver.go).
      p.add('clusterDomain', context.clusterDomain, '"cluster.local" while pyroscope.mode is "scalable": Pyroscope 2.2.1 finds its metastore leader under svc.cluster.local');
    }
  }
  p.positiveNumber('pyroscope.ingestionRateMb', pyroscope.ingestionRateMb, false);
  p.positiveNumber('pyroscope.ingestionBurstSizeMb', pyroscope.ingestionBurstSizeMb, false);
}
