/**
 * Chart specs compiled from Vega-Lite at build time, so that a run that writes a report neither loads nor runs the
 * Vega-Lite compiler (about 1 s of CPU per report).
 *
 * A chart kind is a Vega-Lite spec written as a function of a *shape* (the finite structural choices: which
 * tooltips, which layers, a time or a row axis) and of *holes* (the run's values: titles, axis domains, sizes).
 * `npm run build` (scripts/compile-charts.mjs) compiles every shape of every kind once, with each hole held by a
 * sentinel, and writes the Vega templates beside this module; a run fills the sentinels with its values. A
 * template is keyed by a hash of the Vega-Lite spec it came from (with the theme) and the Vega-Lite version, so an
 * edited spec never meets a stale template: a kind whose templates are missing (sources run unbuilt, as the unit
 * tests do) or stale is compiled here from Vega-Lite when its module loads. Vega-Lite stays the source of truth;
 * test/report/chartTemplates.test.ts checks that a filled template equals Vega-Lite's compile of the real spec.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Spec as VegaSpec } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG } from './theme.js';

/**
 * text: a string, filled as it is (inside a Vega expression with its double quotes escaped, as Vega-Lite writes a
 * tooltip key: keep such texts to one line); number; list: an array where Vega-Lite takes one as it is (axis
 * values); json: any value where Vega-Lite takes a string as it is (a title's subtitle lines).
 */
export type HoleKind = 'text' | 'number' | 'list' | 'json';
export type HoleValues = Record<string, unknown>;

export interface ChartKind<Shape extends Record<string, string | number | boolean>, Holes extends HoleValues> {
  /** Stable name of the kind (several charts may share one, e.g. the densities). */
  name: string;
  /** Every shape the kind takes: `spec` is compiled for each; a chart of a shape not listed is refused. */
  shapes: readonly Shape[];
  holes: { readonly [K in keyof Holes]: HoleKind };
  spec(shape: Shape, holes: Holes): TopLevelSpec;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of kinds of every shape and hole type
type AnyKind = ChartKind<any, any>;

/** The file the build writes: Vega templates by key. */
export interface TemplateFile {
  vegaLiteVersion: string;
  templates: Record<string, VegaSpec>;
}

export const TEMPLATE_FILE = 'chart-templates.json';
const HOLE_PREFIX = '__slhole_';
const HOLE_PATTERN = /__slhole_([A-Za-z0-9]+)__/g;
/** Number sentinels: exact binary fractions no chart computes, one per number hole (all begin NUMBER_MARK). */
const NUMBER_BASE = 964506.1728515625;
const NUMBER_STEP = 1 / 1024;
const NUMBER_MARK = '964506.1';
const MAX_NUMBER_HOLES = 64;
/** Keys of Vega properties that hold expressions: a text hole inside one sits in a quoted string literal. */
const EXPRESSION_KEYS = new Set(['signal', 'expr', 'update', 'test', 'init']);

const here = dirname(fileURLToPath(import.meta.url));
const vegaLiteVersion = readVegaLiteVersion();
const fromBuild = readTemplateFile(join(here, TEMPLATE_FILE));
/** Templates of the prepared kinds, by kind name and shape. */
const prepared = new Map<string, { key: string; template: VegaSpec }>();
let compiler: Promise<typeof import('vega-lite')> | null = null;

function readVegaLiteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('vega-lite');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function readTemplateFile(file: string): Map<string, VegaSpec> {
  let parsed: TemplateFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as TemplateFile;
  } catch {
    return new Map(); // not built (sources run directly): kinds compile when their modules load
  }
  if (parsed.vegaLiteVersion !== vegaLiteVersion) return new Map();
  return new Map(Object.entries(parsed.templates));
}

function shapeKey(kind: AnyKind, shape: Record<string, unknown>): string {
  return `${kind.name}:${JSON.stringify(shape, Object.keys(shape).sort())}`;
}

/** Each hole's sentinel: a marker string (text, json), a marker number (number), an array of one (list). */
function sentinels(kind: AnyKind): HoleValues {
  let n = 0;
  const out: HoleValues = {};
  for (const [name, holeKind] of Object.entries(kind.holes)) {
    if (!/^[A-Za-z0-9]+$/.test(name)) throw new Error(`chart ${kind.name}: hole name "${name}" must be alphanumeric`);
    if (holeKind === 'number') out[name] = NUMBER_BASE + NUMBER_STEP * n++;
    else if (holeKind === 'list') out[name] = [NUMBER_BASE + NUMBER_STEP * n++];
    else out[name] = `${HOLE_PREFIX}${name}__`;
  }
  if (n > MAX_NUMBER_HOLES) throw new Error(`chart ${kind.name}: more than ${MAX_NUMBER_HOLES} number holes`);
  return out;
}

/** The Vega-Lite spec of a shape with the report's theme, as compiled. */
function themed(spec: TopLevelSpec): TopLevelSpec {
  return { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
}

/** Vega-Lite → Vega, quiet: its warnings (e.g. a resolved config conflict) would print beside the CLI's lines. */
export async function compileVegaLite(spec: TopLevelSpec): Promise<VegaSpec> {
  compiler ??= import('vega-lite');
  const { compile } = await compiler;
  const quiet = () => logger;
  const say = (...args: unknown[]) => {
    if (process.env.SHIFTLENS_DEBUG) process.stderr.write(`vega-lite: ${args.join(' ')}\n`);
  };
  const logger = { level: quiet, error: say, warn: say, info: say, debug: () => logger };
  // As JSON (Vega-Lite leaves signal wrappers in its output), so a template compiled here equals one from the file.
  const vega = JSON.parse(JSON.stringify(compile(themed(spec), { logger: logger as never }).spec)) as VegaSpec;
  // vega-lite stamps a $schema URL on the output; the page never fetches it, but drop it so no URL remains.
  delete (vega as { $schema?: string }).$schema;
  return vega;
}

/**
 * Makes every shape of a kind ready to draw: its template from the build, or compiled now from Vega-Lite where the
 * build's is missing or stale. Each chart module awaits this for its kinds when it loads.
 */
export async function prepareChartKind(kind: AnyKind): Promise<void> {
  const holes = sentinels(kind);
  for (const shape of kind.shapes) {
    const spec = kind.spec(shape, holes);
    const key = createHash('sha256')
      .update(`${vegaLiteVersion}\n${kind.name}\n${JSON.stringify(themed(spec))}`)
      .digest('hex')
      .slice(0, 32);
    const template = fromBuild.get(key) ?? (await compileVegaLite(spec));
    prepared.set(shapeKey(kind, shape), { key, template });
  }
}

/** The templates of every prepared kind, as the build writes them. */
export function preparedTemplates(): TemplateFile {
  const templates: Record<string, VegaSpec> = {};
  for (const { key, template } of prepared.values()) templates[key] = template;
  return { vegaLiteVersion, templates };
}

/** The Vega spec of a chart: its shape's template with the holes filled. */
export function chartSpec<S extends Record<string, string | number | boolean>, H extends HoleValues>(
  kind: ChartKind<S, H>,
  shape: S,
  holes: H,
): VegaSpec {
  const entry = prepared.get(shapeKey(kind, shape));
  if (!entry) throw new Error(`chart ${kind.name}: shape ${JSON.stringify(shape)} is not among its kind's shapes`);
  return fillTemplate(entry.template, kind, holes);
}

/** A template with its sentinels replaced by values; throws where one cannot be filled. */
export function fillTemplate(template: VegaSpec, kind: AnyKind, holes: HoleValues): VegaSpec {
  const marks = sentinels(kind);
  const byText = new Map<string, string>();
  const byNumber = new Map<number, string>();
  const byList = new Map<number, string>();
  for (const [name, mark] of Object.entries(marks)) {
    if (!(name in holes)) throw new Error(`chart ${kind.name}: no value for hole "${name}"`);
    if (typeof mark === 'number') byNumber.set(mark, name);
    else if (Array.isArray(mark)) byList.set(mark[0] as number, name);
    else byText.set(mark as string, name);
  }
  // Set where a sentinel sits where it cannot be filled (a json hole inside a string, a sentinel as a key).
  let stranded = false;
  const text = (s: string, inExpression: boolean): unknown => {
    const whole = byText.get(s);
    if (whole !== undefined) return holes[whole];
    let out = s;
    // Numbers first: the texts filled next are the run's values, never scanned again.
    if (out.includes(NUMBER_MARK)) {
      for (const [mark, name] of byNumber) out = out.split(String(mark)).join(String(holes[name]));
      if (out.includes(NUMBER_MARK)) stranded = true; // a list's marker inside a string
    }
    if (out.includes(HOLE_PREFIX)) {
      out = out.replace(HOLE_PATTERN, (found, name: string) => {
        if (kind.holes[name] !== 'text') {
          stranded = true;
          return found;
        }
        const value = String(holes[name]);
        return inExpression ? escapeForExpression(value) : value;
      });
    }
    return out;
  };
  const fill = (node: unknown, inExpression: boolean): unknown => {
    if (typeof node === 'string') return text(node, inExpression);
    if (typeof node === 'number') {
      if (byList.has(node)) stranded = true; // a list's marker outside its array
      const name = byNumber.get(node);
      return name === undefined ? node : holes[name];
    }
    if (Array.isArray(node)) {
      const list = node.length === 1 && typeof node[0] === 'number' ? byList.get(node[0]) : undefined;
      if (list !== undefined) return holes[list];
      return node.map((v) => fill(v, inExpression));
    }
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (k.includes(HOLE_PREFIX) || k.includes(NUMBER_MARK)) stranded = true;
        out[k] = fill(v, EXPRESSION_KEYS.has(k));
      }
      return out;
    }
    return node;
  };
  const filled = fill(template, false) as VegaSpec;
  if (stranded) throw new Error(`chart ${kind.name}: Vega-Lite moved a hole where it cannot be filled`);
  return filled;
}

/** Inside a double-quoted string in a Vega expression, as Vega-Lite writes a tooltip key (quotes escaped). */
function escapeForExpression(value: string): string {
  return value.replace(/"/g, '\\"');
}

/** Every combination of the given values, as shapes. */
export function shapesOf<S extends Record<string, string | number | boolean>>(
  choices: {
    [K in keyof S]: readonly S[K][];
  },
): S[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(choices) as [string, unknown[]][]) {
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  }
  return out as S[];
}
