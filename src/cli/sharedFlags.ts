/**
 * Flags that `compare`, `demo` and `probe` share: how to read each side, and how to embed it. One definition,
 * one conversion to the pipeline's InputOptions.
 */
import { type Command, Option } from 'commander';
import { DEFAULT_MODEL, MAX_EXACT_BUDGET_SECONDS, type SideOptions } from '../pipeline/compareOptions.js';
import { DEFAULT_EXACT_BUDGET_SECONDS } from '../twosample/kernels/exactBudgetDefault.js';
import type { InputOptions, ModelOptions } from '../pipeline/prepareEmbeddings.js';
import type { Pooling } from '../embed/embedder.js';
import { DEFAULT_EMBED_URL, DEFAULT_KEY_ENV, type EmbedEndpointOptions } from '../embed/openai/endpointOptions.js';
import { modelSpecUsage } from '../embed/modelKinds.js';
import { AUTO_WORKER_CAP } from '../embed/transformers/workerCap.js';
import { INPUT_FORMATS } from '../ingest/dataset.js';
import { DEFAULT_MAX_FIT_ROWS } from '../probe/probeTypes.js';
import { MAX_SEED, parseChoice, parseIntegerOption, parseLabelMap, parseNumberOption } from './parseOptions.js';

export interface InputCliFlags {
  reference: string;
  target: string;
  textColumn?: string;
  labelColumn?: string;
  idColumn?: string;
  referenceIdColumn?: string;
  targetIdColumn?: string;
  groupColumn?: string;
  referenceGroupColumn?: string;
  targetGroupColumn?: string;
  referenceTextColumn?: string;
  targetTextColumn?: string;
  referenceLabelColumn?: string;
  targetLabelColumn?: string;
  labelMap?: Record<string, string>;
  inputFormat?: SideOptions['format'];
  vectorField?: string;
  encoding?: 'utf8' | 'latin1';
}

export interface EmbeddingCliFlags {
  model: string;
  pooling?: Exclude<Pooling, 'precomputed'>;
  maxLength?: number;
  batchSize?: number;
  normalize?: boolean;
  cache: boolean;
  cacheDir?: string;
  maxRows?: number;
  seed: number;
  embedUrl?: string;
  embedKeyEnv?: string;
  embedDimensions?: number;
  embedConcurrency?: number;
  /** Seconds. */
  embedTimeout?: number;
  embedRetries?: number;
  embedMaxTokens?: number;
  embedWorkers?: number | 'auto';
}

export function addInputOptions(command: Command): Command {
  command
    .option('--text-column <name>', 'text column/field for both sides (default: text)')
    .option('--label-column <name>', 'label column/field for both sides (enables the linear probe)')
    .option('--reference-text-column <name>', 'text column of the reference only')
    .option('--target-text-column <name>', 'text column of the target only')
    .option('--reference-label-column <name>', 'label column of the reference only')
    .option('--target-label-column <name>', 'label column of the target only')
    .option('--id-column <name>', "column/field with each sample's own id, shown in the outputs (both sides)")
    .option('--reference-id-column <name>', 'id column of the reference only')
    .option('--target-id-column <name>', 'id column of the target only');
  return addGroupColumnOptions(command)
    .option('--label-map <map>', 'rename labels, e.g. "0=negative,4=positive"', parseLabelMap)
    .addOption(
      new Option('--input-format <fmt>', 'force the input format instead of guessing from the extension').choices(
        INPUT_FORMATS,
      ),
    )
    .option('--vector-field <name>', 'vector column of embeddings JSONL or Parquet (default: embedding)')
    .option(
      '--encoding <enc>',
      'text encoding of CSV/TSV/text files (default: utf8; latin1 for sentiment140)',
      parseChoice('--encoding', ['utf8', 'latin1'] as const),
    );
}

/** --group-column and its per-side variants (compare, probe, check, monitor: one meaning everywhere). */
export function addGroupColumnOptions(command: Command, targetIs = 'the target'): Command {
  return command
    .option(
      '--group-column <name>',
      'column/field whose value groups rows that belong together (document, thread, user): tests then move whole groups',
    )
    .option('--reference-group-column <name>', 'group column of the reference only')
    .option('--target-group-column <name>', `group column of ${targetIs} only`);
}

export function addEmbeddingOptions(command: Command): Command {
  return command
    .option('--model <spec>', `embedding model: ${modelSpecUsage()}`, DEFAULT_MODEL)
    .addOption(
      new Option('--pooling <how>', 'pooling of token vectors (default: mean)').choices([
        'mean',
        'cls',
        'last',
        'sif',
        'max',
      ]),
    )
    .option(
      '--max-length <tokens>',
      'truncate texts to this many tokens (transformers)',
      parseIntegerOption('--max-length', 1),
    )
    .option(
      '--batch-size <n>',
      'texts per model call (openai: inputs per request)',
      parseIntegerOption('--batch-size', 1),
    )
    .option('--normalize', 'L2-normalise embeddings')
    .option('--no-cache', 'do not read or write the embedding cache (the word-vector table stays in --cache-dir)')
    .option(
      '--cache-dir <dir>',
      'embedding cache and converted word vectors (default: $SHIFTLENS_CACHE_DIR or ~/.cache/shiftlens)',
    )
    .option(
      '--max-rows <n>',
      'keep at most about n samples per side (a seeded sample; whole groups with --group-column)',
      parseIntegerOption('--max-rows', 2),
    )
    .option(
      '--seed <n>',
      `seed for every random choice (0 to ${MAX_SEED})`,
      parseIntegerOption('--seed', 0, MAX_SEED),
      0,
    )
    .option('--embed-url <url>', `openai: API base of the embeddings server (default ${DEFAULT_EMBED_URL})`)
    .option(
      '--embed-key-env <name>',
      `openai: environment variable that holds the API key (default ${DEFAULT_KEY_ENV}; the key is never a flag)`,
    )
    .option(
      '--embed-dimensions <n>',
      'openai: output dimensions to request (text-embedding-3 models)',
      parseIntegerOption('--embed-dimensions', 1),
    )
    .option(
      '--embed-concurrency <n>',
      'openai: requests in flight at once (default 4)',
      parseIntegerOption('--embed-concurrency', 1),
    )
    .option(
      '--embed-timeout <seconds>',
      'openai: per-request timeout (default 60)',
      parseNumberOption('--embed-timeout', 0.001, 86_400),
    )
    .option(
      '--embed-retries <n>',
      'openai: retries per request on 429/5xx/timeouts (default 6)',
      parseIntegerOption('--embed-retries', 0),
    )
    .option(
      '--embed-max-tokens <n>',
      'openai: approximate tokens per request (default 250000)',
      parseIntegerOption('--embed-max-tokens', 1),
    )
    .option(
      '--embed-workers <n>',
      `transformers: worker threads, each with its own model session (default auto: the cores, at most ${AUTO_WORKER_CAP}); the vectors do not depend on it`,
      parseWorkers,
    );
}

function parseWorkers(value: string): number | 'auto' {
  return value.trim() === 'auto' ? 'auto' : parseIntegerOption('--embed-workers', 1)(value);
}

/** The --embed-* flags as the openai backend's endpoint options (undefined ones keep their defaults). */
export function toEndpointOptions(flags: EmbeddingCliFlags): EmbedEndpointOptions {
  return {
    url: flags.embedUrl,
    keyEnv: flags.embedKeyEnv,
    dimensions: flags.embedDimensions,
    concurrency: flags.embedConcurrency,
    timeoutMs: flags.embedTimeout === undefined ? undefined : Math.max(1, Math.round(flags.embedTimeout * 1000)),
    maxRetries: flags.embedRetries,
    maxTokensPerRequest: flags.embedMaxTokens,
  };
}

function sideOptions(flags: InputCliFlags, side: 'reference' | 'target'): SideOptions {
  return {
    source: flags[side],
    textColumn: (side === 'reference' ? flags.referenceTextColumn : flags.targetTextColumn) ?? flags.textColumn,
    labelColumn: (side === 'reference' ? flags.referenceLabelColumn : flags.targetLabelColumn) ?? flags.labelColumn,
    idColumn: (side === 'reference' ? flags.referenceIdColumn : flags.targetIdColumn) ?? flags.idColumn,
    groupColumn: (side === 'reference' ? flags.referenceGroupColumn : flags.targetGroupColumn) ?? flags.groupColumn,
    format: flags.inputFormat,
  };
}

/** The model flags as the pipeline's model options (one mapping for compare, probe and embed). */
export function toModelOptions(flags: EmbeddingCliFlags): ModelOptions {
  return {
    model: flags.model,
    pooling: flags.pooling,
    maxLength: flags.maxLength,
    batchSize: flags.batchSize,
    normalize: Boolean(flags.normalize),
    cacheDir: flags.cache ? flags.cacheDir : null,
    // The word-vector table and downloaded models go to --cache-dir even with --no-cache.
    artifactsDir: flags.cacheDir,
    endpoint: toEndpointOptions(flags),
    embedWorkers: flags.embedWorkers ?? 'auto',
  };
}

/**
 * --exact-budget <seconds> (flag value `exactBudget`), for every command that runs the test suite: how long the
 * exact MMD may be estimated to take before the suite uses the linear-time random-feature MMD instead.
 */
export function addExactBudgetOption(command: Command): Command {
  return command.option(
    '--exact-budget <seconds>',
    `time the exact MMD permutation test may take, estimated from the sample size, dimension and permutations (default ${DEFAULT_EXACT_BUDGET_SECONDS}: about 22,000 rows per side at 384 dims and 1000 permutations); above it MMD uses the linear-time random-feature test. 0: always linear-time`,
    parseNumberOption('--exact-budget', 0, MAX_EXACT_BUDGET_SECONDS),
    DEFAULT_EXACT_BUDGET_SECONDS,
  );
}

/**
 * --probe-max-fit-rows <n> (flag value `probeMaxFitRows`), for compare, probe and reference build: most rows one
 * linear-probe fit trains on; 0 or "all": no cap (Number.POSITIVE_INFINITY).
 */
export function addProbeMaxFitRowsOption(command: Command): Command {
  return command.option(
    '--probe-max-fit-rows <n>',
    `most rows one linear-probe fit trains on (a seeded sample above it; every row is still scored out of fold); default ${DEFAULT_MAX_FIT_ROWS}, 0 or all: no cap`,
    parseProbeMaxFitRows,
  );
}

function parseProbeMaxFitRows(value: string): number {
  const v = value.trim().toLowerCase();
  if (v === 'all' || v === '0') return Number.POSITIVE_INFINITY;
  return parseIntegerOption('--probe-max-fit-rows', 4, Number.MAX_SAFE_INTEGER, ' (or 0 or all: no cap)')(value);
}

export function toInputOptions(flags: InputCliFlags & EmbeddingCliFlags): InputOptions {
  return {
    reference: sideOptions(flags, 'reference'),
    target: sideOptions(flags, 'target'),
    ...toModelOptions(flags),
    vectorField: flags.vectorField,
    encoding: flags.encoding,
    maxRows: flags.maxRows,
    seed: flags.seed,
  };
}
