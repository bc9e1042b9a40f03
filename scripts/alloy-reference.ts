/**
 * Regenerates lib/alloy/component-reference.json: every component of one pinned Grafana Alloy
 * version with its arguments, blocks (by path), the arguments of each block and its exports,
 * read from that version's component reference. The tests check every component, argument,
 * block and referenced export of the rendered Alloy configurations against it.
 *
 * Usage, with a checkout (or `git archive`) of grafana/alloy at the release tag:
 *
 *   npx ts-node scripts/alloy-reference.ts 1.18.1 <alloy checkout at v1.18.1> "grafana/alloy v1.18.1"
 *
 * It reads docs/sources/reference/components/<namespace>/<component>.md, resolving the
 * `{{< docs/shared lookup="..." >}}` includes from docs/sources/shared/, and the flags of
 * `alloy run` from docs/sources/reference/cli/run.md.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface AlloyComponentReference {
  readonly arguments: readonly string[];
  /** Block path (`endpoint`, `endpoint.tls_config`, `stage.cri`) -> its arguments. */
  readonly blocks: Readonly<Record<string, readonly string[]>>;
  readonly exports: readonly string[];
}

export interface AlloyReference {
  readonly version: string;
  readonly source: string;
  readonly generatedBy: string;
  readonly components: Readonly<Record<string, AlloyComponentReference>>;
  /** Flags of `alloy run`, without the leading dashes. */
  readonly runFlags: readonly string[];
}

// Lazy up to `>}}`: the shortcode's own attributes contain `<ALLOY_VERSION>`.
const INCLUDE = /\{\{<\s*docs\/shared\s+lookup="([^"]+)"[\s\S]*?>\}\}/g;

function resolveIncludes(text: string, sharedDir: string, depth = 0): string {
  if (depth > 5) throw new Error('includes nested too deeply');
  return text.replace(INCLUDE, (_, lookup: string) => {
    const file = path.join(sharedDir, lookup);
    if (!fs.existsSync(file)) return '';
    const body = fs.readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    return resolveIncludes(body, sharedDir, depth + 1);
  });
}

/** The backticked names in the first column of every table row of `text`. */
function firstColumnNames(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line) || /^\|\s*(Name|Block)\s*\|/.test(line)) continue;
    const cell = line.split('|')[1] ?? '';
    const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    if (names.length) rows.push(names);
  }
  return rows;
}

/** The text between a heading and the next heading of the same or a higher level. */
function sections(markdown: string, level: number): Map<string, string> {
  const out = new Map<string, string>();
  const marker = '#'.repeat(level);
  const parts = markdown.split(new RegExp(`^${marker} `, 'm'));
  for (const part of parts.slice(1)) {
    const newline = part.indexOf('\n');
    const title = part.slice(0, newline).trim().replace(/`/g, '');
    out.set(title, part.slice(newline + 1).split(new RegExp(`^#{1,${level}} `, 'm'))[0]);
  }
  return out;
}

/** The first table of a section (the arguments of a block or component). */
function firstTable(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) return '';
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return lines.slice(start, end).join('\n');
}

export function parseComponentDoc(markdown: string, sharedDir: string): AlloyComponentReference {
  const text = resolveIncludes(markdown, sharedDir);
  const top = sections(text, 2);
  const args = firstColumnNames(firstTable(top.get('Arguments') ?? '')).map((n) => n[0]);
  const blockPaths = firstColumnNames(firstTable(top.get('Blocks') ?? '')).map((names) => names.join('.'));
  const blockSections = sections(text, 3);
  const blocks: Record<string, string[]> = {};
  for (const blockPath of blockPaths) {
    // A block's section is titled by its name, which may itself contain dots (`profile.block`).
    const segments = blockPath.split('.');
    const own = segments.map((_, i) => blockSections.get(segments.slice(i).join('.'))).find((section) => section !== undefined);
    blocks[blockPath] = own ? firstColumnNames(firstTable(own)).map((n) => n[0]) : [];
  }
  const exports = firstColumnNames(firstTable(top.get('Exported fields') ?? '')).map((n) => n[0]);
  return { arguments: args, blocks, exports };
}

function main(argv: string[]): void {
  const [version, checkout, source] = argv;
  if (!version || !checkout || !source) {
    console.error('usage: alloy-reference.ts <version> <alloy checkout> "<source description>"');
    process.exit(2);
  }
  const componentsDir = path.join(checkout, 'docs/sources/reference/components');
  const sharedDir = path.join(checkout, 'docs/sources/shared');
  const components: Record<string, AlloyComponentReference> = {};
  for (const namespace of fs.readdirSync(componentsDir).sort()) {
    const dir = path.join(componentsDir, namespace);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.md') && !f.startsWith('_')).sort()) {
      components[file.slice(0, -3)] = parseComponentDoc(fs.readFileSync(path.join(dir, file), 'utf8'), sharedDir);
    }
  }
  const runDoc = fs.readFileSync(path.join(checkout, 'docs/sources/reference/cli/run.md'), 'utf8');
  const runFlags = [...new Set([...runDoc.matchAll(/^\* `--([a-z0-9.-]+)`/gm)].map((m) => m[1]))].sort();
  const reference: AlloyReference = { version, source, generatedBy: 'scripts/alloy-reference.ts', components, runFlags };
  const out = path.join(__dirname, '..', 'lib', 'alloy', 'component-reference.json');
  fs.writeFileSync(out, `${JSON.stringify(reference, null, 1)}\n`);
  console.log(`${out}: ${Object.keys(components).length} components of Alloy ${version}`);
}

if (require.main === module) main(process.argv.slice(2));
