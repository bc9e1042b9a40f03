import { Construct } from 'constructs';
import { renderCrds } from '../lib/crds/crds';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { StackNamespaces } from '../lib/namespaces/namespaces';
import { ManifestFile, StackChart } from './stack-chart';

/** Namespaces with their Pod Security levels and default-deny ingress. Applied first. */
export class NamespacesChart extends StackChart {
  readonly namespaces: StackNamespaces;

  constructor(scope: Construct, id: string, config: ResolvedStackConfig) {
    super(scope, id, { file: 'setup/00-namespaces.yaml', syncWave: -20 });
    this.namespaces = new StackNamespaces(this, 'namespaces', {
      platform: config.namespace,
      nodeAgents: config.nodeAgentNamespace,
    });
  }
}

/** The prometheus-operator CRDs, in their own file so they can be applied (server-side) first. */
export class CrdsFile implements ManifestFile {
  readonly file = 'setup/01-crds.yaml';

  render(): string {
    return renderCrds();
  }
}
