import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../environments';
import { RenderedFiles, synthesize } from '../../charts/synthesize';

/** One object of dist/, with where it comes from. */
export interface Manifest {
  readonly env: string;
  /** Path inside dist/<env>/. */
  readonly file: string;
  readonly object: any;
}

export interface SynthesizedStack {
  readonly files: RenderedFiles;
  /** Environment name -> its objects, in file order. */
  readonly byEnv: ReadonlyMap<string, readonly Manifest[]>;
}

const parsed = new Map<string, any[]>();

/** Parses multi-document YAML; identical contents (the CRDs of each environment) are parsed once. */
export function parseYaml(content: string): any[] {
  const key = createHash('sha256').update(content).digest('hex');
  let docs = parsed.get(key);
  if (!docs) {
    docs = loadAll(content).filter((d) => d !== null && d !== undefined);
    parsed.set(key, docs);
  }
  return docs;
}

let cached: SynthesizedStack | undefined;

/** The files of a dist/ folder, by path relative to it. */
function readDist(dir: string): RenderedFiles {
  const files: RenderedFiles = new Map();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/**
 * Synthesizes every environment in memory, exactly as `npm run synth` does. With STACK_DIST set
 * to a dist/ folder, the suites read that output instead (to check an older or hand-edited dist/,
 * e.g. `STACK_DIST=/tmp/old/dist npx jest test/readiness.test.ts`).
 */
export function synthesizedStack(): SynthesizedStack {
  if (cached) return cached;
  const files = process.env.STACK_DIST ? readDist(process.env.STACK_DIST) : synthesize(ENVIRONMENTS);
  const byEnv = new Map<string, Manifest[]>();
  for (const [path, content] of files) {
    // Not Kubernetes objects: the Keycloak client definition for the realm's admin.
    if (path.includes('/keycloak/')) continue;
    const [env, ...rest] = path.split('/');
    const list = byEnv.get(env) ?? [];
    for (const object of parseYaml(content)) list.push({ env, file: rest.join('/'), object });
    byEnv.set(env, list);
  }
  cached = { files, byEnv };
  return cached;
}

/** All objects of all environments. */
export function allManifests(): Manifest[] {
  return [...synthesizedStack().byEnv.values()].flat();
}

export function describeObject(m: Manifest): string {
  const o = m.object;
  return `${m.env}/${m.file}: ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** The pod template of a workload object, or undefined. */
export function podTemplateOf(object: any): any | undefined {
  if (WORKLOAD_KINDS.includes(object.kind)) return object.spec?.template;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template;
  if (object.kind === 'Pod') return object;
  return undefined;
}

/** Whether `labels` satisfy a LabelSelector (matchLabels and matchExpressions). */
export function selectorMatches(selector: any, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}
