import * as fs from 'fs';
import * as path from 'path';

export interface ConfigReference {
  readonly component: string;
  readonly version: string;
  readonly source: string;
  readonly keys: Record<string, string>;
  readonly flags: readonly string[];
}

const LIB = path.join(__dirname, '..', '..', 'lib');

/** The recorded reference of a component, or undefined when it has none. */
export function loadReference(component: string): ConfigReference | undefined {
  const file = path.join(LIB, component, 'config-reference.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

const DURATION = /^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w|y))+)$/;
const BYTE_SIZE = /^\d+(\.\d+)?([KMGTPE]i?)?B$/;

function typeProblem(type: string, value: unknown): string | undefined {
  const is = (ok: boolean) => (ok ? undefined : `expected ${type}, got ${JSON.stringify(value)}`);
  switch (type) {
    case 'int':
      return is(Number.isInteger(value) || (typeof value === 'string' && BYTE_SIZE.test(value)));
    case 'float':
      return is(typeof value === 'number');
    case 'boolean':
      return is(typeof value === 'boolean');
    case 'duration':
      return is(typeof value === 'string' ? DURATION.test(value) : value === 0);
    case 'string':
    case 'url':
    case 'secret':
    case 'time':
    case 'daytime':
    case 'filepath':
      return is(typeof value === 'string');
    case 'list of strings':
      return is(Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'any':
      return undefined;
    default:
      if (type.startsWith('list')) return is(Array.isArray(value));
      if (type.startsWith('map')) return is(typeof value === 'object' && value !== null && !Array.isArray(value));
      return undefined;
  }
}

/**
 * Every key of `config` that the reference does not know, or whose value has the wrong type.
 * Walks blocks, lists of blocks (`key[]`) and maps of blocks (`key.*`) the way the reference
 * records them; free-form values (maps, `block`s without recorded children) are not descended.
 */
export function configProblems(config: unknown, reference: ConfigReference): string[] {
  const problems: string[] = [];
  const keys = reference.keys;
  const hasChildren = (p: string) => Object.keys(keys).some((k) => k.startsWith(`${p}.`) || k.startsWith(`${p}[]`));
  const walkObject = (value: any, prefix: string) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${prefix || '(root)'}: expected a block, got ${JSON.stringify(value)}`);
      return;
    }
    for (const [name, child] of Object.entries(value)) walk(child, prefix ? `${prefix}.${name}` : name);
  };
  const walk = (value: unknown, at: string) => {
    const type = keys[at];
    if (type === undefined) {
      problems.push(`${at}: not a configuration key of ${reference.component} ${reference.version}`);
      return;
    }
    if (type === 'block') {
      if (hasChildren(at)) walkObject(value, at);
    } else if (type.startsWith('list of ') && keys[`${at}[]`] === undefined && hasChildren(`${at}[]`)) {
      if (!Array.isArray(value)) problems.push(`${at}: expected a list`);
      else value.forEach((element) => walkObject(element, `${at}[]`));
    } else if (type.startsWith('map of ') && hasChildren(`${at}.*`)) {
      for (const child of Object.values(value as object)) walkObject(child, `${at}.*`);
    } else {
      const problem = typeProblem(type, value);
      if (problem) problems.push(`${at}: ${problem}`);
    }
  };
  walkObject(config, '');
  return problems;
}

/** Flags in `args` (`-name=value` or `-name`) that the binary does not have. */
export function flagProblems(args: readonly string[], reference: ConfigReference): string[] {
  return args
    .filter((a) => a.startsWith('-'))
    .map((a) => a.replace(/^--?/, '').split('=')[0])
    .filter((flag) => !reference.flags.includes(flag))
    .map((flag) => `-${flag}: not a flag of ${reference.component} ${reference.version}`);
}
