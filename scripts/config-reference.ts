/**
 * Regenerates lib/<component>/config-reference.json: every configuration key path of one pinned
 * upstream version, with its type, derived from that version's own generated reference. The tests
 * check every key of every rendered config against it, so an upgrade is: extract the new
 * reference, run this script, review the diff, fix what the tests then name.
 *
 * Usage (the source files come from a checkout of the upstream repository at the release tag):
 *
 *   git -C loki show v3.7.6:docs/sources/shared/configuration.md > /tmp/loki.md
 *   npx ts-node scripts/config-reference.ts loki 3.7.6 doc-generator /tmp/loki.md \
 *     "grafana/loki v3.7.6 docs/sources/shared/configuration.md" --go-source <loki checkout at v3.7.6>
 *
 *   git -C pyroscope show v2.2.1:docs/sources/configure-server/reference-configuration-parameters/index.md > /tmp/pyro.md
 *   git -C pyroscope show v2.2.1:cmd/pyroscope/help-all.txt.tmpl > /tmp/pyro-help.txt
 *   npx ts-node scripts/config-reference.ts pyroscope 2.2.1 doc-generator /tmp/pyro.md "..." \
 *     --help-text /tmp/pyro-help.txt --go-source <pyroscope checkout at v2.2.1>
 *
 *   git -C tempo show v3.0.3:docs/sources/tempo/configuration/manifest.md > /tmp/tempo.md
 *   npx ts-node scripts/config-reference.ts tempo 3.0.3 yaml-dump /tmp/tempo.md "..." --go-source <tempo checkout at v3.0.3>
 *
 * Formats:
 *   doc-generator  the markdown reference that Grafana's tools/doc-generator writes (Loki, Mimir,
 *                  Pyroscope): `[key: <type> | default = ...]` lines inside ```yaml blocks, one
 *                  `### <block>` section per reusable block.
 *   ini            an INI file of every setting with its default (Grafana's conf/defaults.ini);
 *                  keys are `section.key`, commented-out `;key =` lines count too.
 *   yaml-dump      a YAML dump of the default configuration (Tempo's manifest.md). Fields tagged
 *                  `omitempty` are missing from such a dump; the SUPPLEMENTS below add them, and
 *                  each is verified against the Go source of the same tag (--go-source).
 */
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';

export interface ConfigReference {
  readonly component: string;
  readonly version: string;
  /** Where the key list comes from: repository, tag and file. */
  readonly source: string;
  readonly generatedBy: string;
  /**
   * Key path -> type. Paths use `.` between keys, `[]` for the elements of a list of blocks and
   * `*` for the free keys of a map of blocks. Types are the upstream names (`int`, `duration`,
   * `list of strings`, `map of string to string`...); `block` marks a block whose keys are free
   * (e.g. OpenTelemetry receiver settings) and are not checked further.
   */
  readonly keys: Record<string, string>;
  /** Every command-line flag of the binary, without the leading dash. */
  readonly flags: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// doc-generator markdown

interface FieldNode {
  readonly kind: 'field';
  readonly type: string;
}
interface BlockNode {
  readonly kind: 'block';
  readonly children: Map<string, Node>;
}
interface RefNode {
  readonly kind: 'ref';
  readonly block: string;
  readonly container: 'single' | 'list' | 'map';
}
type Node = FieldNode | BlockNode | RefNode;

const FIELD = /^(\s*)\[([A-Za-z0-9_]+): <(.+?)>(?: \| default = .*)?\]\s*$/;
const INLINE_BLOCK = /^(\s*)([A-Za-z0-9_]+):\s*$/;

function yamlBlocks(markdown: string): { heading: string; body: string }[] {
  const blocks: { heading: string; body: string }[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{2,3} (.+)$/.exec(lines[i]);
    if (h) heading = h[1].trim();
    if (lines[i].trim() === '```yaml') {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
      blocks.push({ heading, body: body.join('\n') });
    }
  }
  return blocks;
}

function parseBlock(body: string, namedBlocks: Set<string>): BlockNode {
  const root: BlockNode = { kind: 'block', children: new Map() };
  const stack: { indent: number; node: BlockNode }[] = [{ indent: -1, node: root }];
  for (const line of body.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const field = FIELD.exec(line);
    const inline = field ? null : INLINE_BLOCK.exec(line);
    const indent = (field ?? inline)?.[1].length;
    if (indent === undefined) continue;
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1].node;
    if (inline) {
      const node: BlockNode = { kind: 'block', children: new Map() };
      parent.children.set(inline[2], node);
      stack.push({ indent, node });
      continue;
    }
    const [, , name, rawType] = field!;
    const type = rawType.trim();
    const list = /^list of (.+?)s?$/.exec(type);
    const map = /^map of string to (.+)$/.exec(type);
    if (namedBlocks.has(type)) parent.children.set(name, { kind: 'ref', block: type, container: 'single' });
    else if (list && namedBlocks.has(list[1])) parent.children.set(name, { kind: 'ref', block: list[1], container: 'list' });
    else if (map && namedBlocks.has(map[1])) parent.children.set(name, { kind: 'ref', block: map[1], container: 'map' });
    else parent.children.set(name, { kind: 'field', type });
  }
  return root;
}

export function parseDocGenerator(markdown: string): Record<string, string> {
  const blocks = yamlBlocks(markdown);
  const namedBlocks = new Set(blocks.map((b) => b.heading).filter((h) => /^[a-z0-9_]+$/.test(h)));
  const parsed = new Map<string, BlockNode>();
  for (const b of blocks) if (namedBlocks.has(b.heading)) parsed.set(b.heading, parseBlock(b.body, namedBlocks));
  // The root is the one block that references the server block.
  const rootBlock = blocks.find((b) => /\[server: <server>\]/.test(b.body) && !namedBlocks.has(b.heading));
  if (!rootBlock) throw new Error('no root configuration block (one that references <server>) found');
  const keys: Record<string, string> = {};
  const walk = (node: BlockNode, prefix: string, depth: number) => {
    if (depth > 12) throw new Error(`block nesting too deep at ${prefix}`);
    for (const [name, child] of node.children) {
      const at = prefix ? `${prefix}.${name}` : name;
      if (child.kind === 'field') keys[at] = child.type;
      else if (child.kind === 'block') {
        keys[at] = 'block';
        walk(child, at, depth + 1);
      } else {
        const target = parsed.get(child.block);
        if (!target) throw new Error(`${at}: unknown block <${child.block}>`);
        const base = child.container === 'list' ? `${at}[]` : child.container === 'map' ? `${at}.*` : at;
        keys[at] = child.container === 'single' ? 'block' : `${child.container} of ${child.block}`;
        walk(target, base, depth + 1);
      }
    }
  };
  walk(parseBlock(rootBlock.body, namedBlocks), '', 0);
  return keys;
}

// ---------------------------------------------------------------------------------------------
// INI defaults (Grafana)

export function parseIniDefaults(text: string): Record<string, string> {
  const keys: Record<string, string> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1];
      keys[section] = 'section';
      continue;
    }
    const entry = /^;?\s*([A-Za-z0-9_.\-]+)\s*=/.exec(line);
    if (entry) keys[section ? `${section}.${entry[1]}` : entry[1]] = 'string';
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// YAML dump of the default configuration (Tempo)

/**
 * A key that the generated reference leaves out (`omitempty` in a dump, `doc:"hidden"` in the
 * markdown), with the upstream file at the same tag that defines its yaml tag.
 */
interface Supplement {
  readonly path: string;
  readonly type: string;
  /** File of the upstream source, at the same tag, that defines the key. */
  readonly goFile: string;
  /** The yaml tag name that must appear in goFile. */
  readonly yamlTag: string;
  /** For a key that reaches its parent through `yaml:",inline"`: the file and the embedding line. */
  readonly inlinedBy?: { readonly goFile: string; readonly contains: string };
}

/**
 * Flags that the generated reference does not list, with the file that registers each
 * (`SOURCE` for the reference file itself, when only its prose names the flag).
 */
interface FlagSupplement {
  readonly flag: string;
  readonly goFile: string;
  /** Text that proves the flag; @default `"<flag>"` (a Go string literal) */
  readonly contains?: string;
  /** For a flag built from a prefix: the file and line that register the prefix. */
  readonly prefixedBy?: { readonly goFile: string; readonly contains: string };
}

const SOURCE = '<reference source>';

const FLAG_SUPPLEMENTS: Record<string, readonly FlagSupplement[]> = {
  mimir: [
    { flag: 'config.file', goFile: SOURCE, contains: 'use the `-config.file` command-line option' },
    { flag: 'config.expand-env', goFile: SOURCE, contains: 'pass `-config.expand-env=true` on the command line' },
  ],
  loki: [
    { flag: 'config.file', goFile: 'pkg/loki/config_wrapper.go' },
    { flag: 'config.expand-env', goFile: 'pkg/loki/config_wrapper.go' },
  ],
  tempo: [
    { flag: 'config.file', goFile: 'cmd/tempo/main.go' },
    { flag: 'config.expand-env', goFile: 'cmd/tempo/main.go' },
    { flag: 'target', goFile: 'cmd/tempo/app/config.go' },
    { flag: 'multitenancy.enabled', goFile: 'cmd/tempo/app/config.go' },
    {
      flag: 'live-store.instance-availability-zone',
      goFile: 'pkg/ring/config.go',
      contains: 'prefix+".instance-availability-zone"',
      prefixedBy: { goFile: 'cmd/tempo/app/config.go', contains: 'c.LiveStore.RegisterFlagsAndApplyDefaults(util.PrefixConfig(prefix, "live-store")' },
    },
  ],
};

const SUPPLEMENTS: Record<string, readonly Supplement[]> = {
  tempo: [
    { path: 'multitenancy_enabled', type: 'boolean', goFile: 'cmd/tempo/app/config.go', yamlTag: 'multitenancy_enabled' },
    { path: 'stream_over_http_enabled', type: 'boolean', goFile: 'cmd/tempo/app/config.go', yamlTag: 'stream_over_http_enabled' },
    // OpenTelemetry Collector receiver settings: a free-form map, checked by the Tempo construct.
    { path: 'distributor.receivers', type: 'block', goFile: 'modules/distributor/config.go', yamlTag: 'receivers' },
    { path: 'metrics_generator.storage.remote_write', type: 'list of remote_write', goFile: 'modules/generator/storage/config.go', yamlTag: 'remote_write' },
    { path: 'metrics_generator.storage.remote_write[].url', type: 'url', goFile: 'vendor/github.com/prometheus/prometheus/config/config.go', yamlTag: 'url' },
    { path: 'metrics_generator.storage.remote_write[].name', type: 'string', goFile: 'vendor/github.com/prometheus/prometheus/config/config.go', yamlTag: 'name' },
    { path: 'metrics_generator.storage.remote_write[].headers', type: 'map of string to string', goFile: 'vendor/github.com/prometheus/prometheus/config/config.go', yamlTag: 'headers' },
    { path: 'metrics_generator.storage.remote_write[].send_exemplars', type: 'boolean', goFile: 'vendor/github.com/prometheus/prometheus/config/config.go', yamlTag: 'send_exemplars' },
    { path: 'metrics_generator.registry.external_labels', type: 'map of string to string', goFile: 'modules/generator/registry/config.go', yamlTag: 'external_labels' },
    { path: 'overrides.defaults.metrics_generator.processors', type: 'list of strings', goFile: 'modules/overrides/config.go', yamlTag: 'processors' },
    { path: 'overrides.defaults.compaction', type: 'block', goFile: 'modules/overrides/config.go', yamlTag: 'compaction' },
    { path: 'overrides.defaults.compaction.block_retention', type: 'duration', goFile: 'modules/overrides/config.go', yamlTag: 'block_retention' },
  ],
  pyroscope: [
    // v2 storage: retention is enforced by the metastore cleaner, configured per tenant in limits.
    {
      path: 'limits.retention_period',
      type: 'duration',
      goFile: 'pkg/metastore/index/cleaner/retention/retention.go',
      yamlTag: 'retention_period',
      inlinedBy: { goFile: 'pkg/validation/limits.go', contains: 'Retention retention.Config `yaml:",inline"' },
    },
  ],
};

function typeOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'any';
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'list of strings' : 'list';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value) ? 'duration' : 'string';
  return 'block';
}

export function parseYamlDump(markdown: string): Record<string, string> {
  const block = yamlBlocks(markdown)[0];
  if (!block) throw new Error('no ```yaml block found');
  const keys: Record<string, string> = {};
  const walk = (value: any, prefix: string) => {
    for (const [name, child] of Object.entries(value)) {
      const at = prefix ? `${prefix}.${name}` : name;
      const type = typeOfValue(child);
      keys[at] = type;
      // An empty map in a dump is a map with free keys (e.g. object_metadata: {}).
      if (type === 'block' && Object.keys(child as object).length === 0) keys[at] = 'map';
      if (type === 'block') walk(child, at);
    }
  };
  walk(load(block.body), '');
  return keys;
}

function addSupplements(component: string, keys: Record<string, string>, flags: Set<string>, sourceText: string, goSource: string | undefined): void {
  const supplements = SUPPLEMENTS[component] ?? [];
  const flagSupplements = FLAG_SUPPLEMENTS[component] ?? [];
  const needsGoSource = supplements.length > 0 || flagSupplements.some((f) => f.goFile !== SOURCE);
  if (needsGoSource && !goSource) {
    throw new Error(`${component} needs --go-source <checkout at the same tag> to verify its supplements`);
  }
  const read = (file: string) => (file === SOURCE ? sourceText : fs.readFileSync(path.join(goSource!, file), 'utf8'));
  for (const s of supplements) {
    if (!read(s.goFile).includes(`yaml:"${s.yamlTag}`)) throw new Error(`${s.path}: no yaml tag "${s.yamlTag}" in ${s.goFile}; the key changed upstream`);
    if (s.inlinedBy && !read(s.inlinedBy.goFile).includes(s.inlinedBy.contains)) throw new Error(`${s.path}: ${s.inlinedBy.goFile} no longer inlines it`);
    keys[s.path] = s.type;
  }
  for (const f of flagSupplements) {
    if (!read(f.goFile).includes(f.contains ?? `"${f.flag}"`)) throw new Error(`flag -${f.flag} is not registered in ${f.goFile}`);
    if (f.prefixedBy && !read(f.prefixedBy.goFile).includes(f.prefixedBy.contains)) throw new Error(`flag -${f.flag}: prefix not registered in ${f.prefixedBy.goFile}`);
    flags.add(f.flag);
  }
}

/** Flags named in a doc-generator reference (`# CLI flag: -name`). */
function docGeneratorFlags(markdown: string): string[] {
  return [...markdown.matchAll(/# CLI flag: -([A-Za-z0-9._-]+)/g)].map((m) => m[1]);
}

/** Flags listed in Go `flag` usage output (help-all.txt.tmpl): `  -name type`. */
function helpTextFlags(text: string): string[] {
  return [...text.matchAll(/^\s{2}-([A-Za-z0-9._-]+)/gm)].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------

function main(argv: string[]): void {
  const [component, version, format, sourceFile, source, ...rest] = argv;
  if (!component || !version || !sourceFile || !source || !['doc-generator', 'yaml-dump', 'ini'].includes(format)) {
    console.error('usage: config-reference.ts <component> <version> doc-generator|yaml-dump|ini <file> "<source description>" [--go-source <dir>]');
    process.exit(2);
  }
  const option = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
  const goSource = option('--go-source');
  const helpText = option('--help-text');
  const markdown = fs.readFileSync(sourceFile, 'utf8');
  const keys = format === 'doc-generator' ? parseDocGenerator(markdown) : format === 'ini' ? parseIniDefaults(markdown) : parseYamlDump(markdown);
  const flags = new Set(format === 'doc-generator' ? docGeneratorFlags(markdown) : []);
  if (helpText) for (const f of helpTextFlags(fs.readFileSync(helpText, 'utf8'))) flags.add(f);
  addSupplements(component, keys, flags, markdown, goSource);
  const sorted = Object.fromEntries(Object.entries(keys).sort(([a], [b]) => a.localeCompare(b)));
  const reference: ConfigReference = {
    component,
    version,
    source,
    generatedBy: 'scripts/config-reference.ts',
    keys: sorted,
    flags: [...flags].sort(),
  };
  const out = path.join(__dirname, '..', 'lib', component, 'config-reference.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(reference, null, 1)}\n`);
  console.log(`${out}: ${Object.keys(sorted).length} keys, ${flags.size} flags of ${component} ${version}`);
}

if (require.main === module) main(process.argv.slice(2));
