import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { dump } from 'js-yaml';

/** One file of dist/<env>/. */
export interface ManifestFile {
  /** Path inside dist/<env>/, e.g. `setup/01-crds.yaml`. */
  readonly file: string;
  /** The file's YAML documents, each starting with `---`. */
  render(): string;
  /** Whether the file gets the generated-file header comment (not for JSON). @default true */
  readonly header?: boolean;
}

export interface StackChartProps {
  /** Path of the chart's manifest file inside dist/<env>/. */
  readonly file: string;
  /**
   * ArgoCD sync wave of every object in the chart: lower waves are applied, and must be healthy,
   * before higher ones.
   * @default 0
   */
  readonly syncWave?: number;
}

/** Renders objects as multi-document YAML, never folding long lines. */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => `---\n${dump(o, { lineWidth: -1, noRefs: true })}`).join('');
}

/**
 * A unit of manifests applied together, written to one file. Object names are never
 * hash-suffixed: other components and users address them by name.
 */
export class StackChart extends Chart implements ManifestFile {
  readonly file: string;
  readonly syncWave: number;

  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.file = props.file;
    this.syncWave = props.syncWave ?? 0;
  }

  /** The chart's objects, with the sync-wave annotation on each. */
  objects(): any[] {
    if (this.syncWave !== 0) {
      for (const child of this.node.findAll()) {
        if (child instanceof ApiObject) child.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(this.syncWave));
      }
    }
    return this.toJson();
  }

  render(): string {
    return toYaml(this.objects());
  }
}
