/**
 * The monitor's history: one SQLite file the user names (`--history monitor.sqlite`, better-sqlite3), appended by
 * every run, so the false-alarm budget and the drift-over-time report span runs.
 *
 * Tables: `monitors` (one per reference checksum × window spec, with the α and horizon it was started with), `runs`
 * (one per run), `windows` (one row per window: bounds, n, content hash, horizon and slot spent, per-window α,
 * combined and adjusted p, verdict, alarm flag, reference checksum, run id, and every test's statistic, p-values and
 * effect size as a JSON object keyed by test name), and the view `window_tests` (one row per window and test, from
 * that JSON) for SQL users.
 *
 * A run is appended in ONE transaction (BEGIN IMMEDIATE), after every window is computed, and committed only once
 * the run's output files are written: a failed or killed run leaves the history as it was.
 *
 * Re-running windows: a window is identified by its time bucket (time windows) or by its content hash (row
 * windows). The same window with the same rows is not tested again (no α is spent; its stored result is reported as
 * already-in-history); the same time bucket with different rows (a day that was partial last time) is tested again,
 * spends a slot, and the older row is marked superseded by the new run.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { InputError } from '../core/errors.js';
import { databaseUserError } from '../core/sqliteErrors.js';
import type { WindowResult, WindowTestResult } from './monitorSchema.js';

const HISTORY_SCHEMA_VERSION = 1;
const HISTORY_KIND = 'shiftlens-monitor-history';

export interface MonitorConfig {
  referenceChecksum: string;
  referenceSource: string;
  windowSpec: string;
  alpha: number;
  horizon: number;
  model: string;
}

export interface RunRecord {
  runId: string;
  startedAt: string;
  targetSource: string;
  seed: number;
  toolVersion: string;
  tests: string[];
  permutations: number;
}

/** What the history already knows about this monitor, read before any work. */
export interface HistoryState {
  monitorId: number | null;
  /** Windows tested so far (superseded ones included: they spent their α). */
  testedBefore: number;
  /** Current (not superseded) windows by key. */
  windows: Map<string, StoredWindow>;
}

export interface StoredWindow {
  key: string;
  result: WindowResult;
}

interface WindowRow {
  window_key: string;
  run_id: string;
  label: string;
  start_ms: number | null;
  end_ms: number | null;
  first_time_ms: number | null;
  last_time_ms: number | null;
  n: number;
  content_hash: string;
  status: 'tested' | 'too-small';
  family: number | null;
  slot: number | null;
  per_window_alpha: number | null;
  combined_p: number | null;
  adjusted_p: number | null;
  verdict: WindowResult['verdict'];
  alarm: number;
  tests: string;
  warnings: string;
  note: string | null;
  seq: number;
}

/** A window's identity across runs. */
export function windowKey(w: Pick<WindowResult, 'start' | 'contentHash'>): string {
  return w.start !== null ? `time:${w.start}` : `rows:${w.contentHash}`;
}

export interface StagedRun {
  appended: number;
  superseded: number;
  commit(): void;
  rollback(): void;
}

export class MonitorHistory {
  private db: Database.Database;
  /** Whether this open created the file (a run that fails then removes it: no partial output). */
  readonly created: boolean;

  private constructor(readonly file: string) {
    this.created = !fs.existsSync(file);
    try {
      this.db = new Database(file, { timeout: 10_000 });
    } catch (error) {
      throw this.userError(error, 'open');
    }
    try {
      this.setUp();
    } catch (error) {
      this.db.close();
      throw this.userError(error, 'open');
    }
  }

  /** Opens (creating if needed) a history file; a file that is not one is a one-line error. */
  static open(file: string): MonitorHistory {
    return new MonitorHistory(file);
  }

  private setUp(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const tables = (
      this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    if (tables.length > 0) {
      const kind = tables.includes('meta')
        ? (this.db.prepare("SELECT value FROM meta WHERE key = 'kind'").get() as { value: string } | undefined)?.value
        : undefined;
      if (kind !== HISTORY_KIND) {
        throw new InputError(
          `${this.file} is an SQLite database but not a shiftlens monitor history (tables: ${tables.join(', ')}): give --history a new file or an existing history`,
        );
      }
      if (version !== HISTORY_SCHEMA_VERSION) {
        throw new InputError(
          `${this.file} is a monitor history of schema version ${version}, this shiftlens reads version ${HISTORY_SCHEMA_VERSION}: give --history a new file`,
        );
      }
      return;
    }
    this.db.exec(`
      BEGIN;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta (key, value) VALUES ('kind', '${HISTORY_KIND}');
      CREATE TABLE monitors (
        id INTEGER PRIMARY KEY,
        reference_checksum TEXT NOT NULL,
        reference_source TEXT NOT NULL,
        window_spec TEXT NOT NULL,
        alpha REAL NOT NULL,
        horizon INTEGER NOT NULL,
        model TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (reference_checksum, window_spec)
      );
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        monitor_id INTEGER NOT NULL REFERENCES monitors(id),
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        target_source TEXT NOT NULL,
        seed INTEGER NOT NULL,
        tool_version TEXT NOT NULL,
        tests TEXT NOT NULL,
        permutations INTEGER NOT NULL,
        n_tested INTEGER NOT NULL,
        n_alarms INTEGER NOT NULL
      );
      CREATE TABLE windows (
        id INTEGER PRIMARY KEY,
        monitor_id INTEGER NOT NULL REFERENCES monitors(id),
        run_id TEXT NOT NULL REFERENCES runs(run_id),
        seq INTEGER NOT NULL,
        window_key TEXT NOT NULL,
        label TEXT NOT NULL,
        start_ms INTEGER,
        end_ms INTEGER,
        first_time_ms INTEGER,
        last_time_ms INTEGER,
        n INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('tested', 'too-small')),
        family INTEGER,
        slot INTEGER,
        per_window_alpha REAL,
        combined_p REAL,
        adjusted_p REAL,
        verdict TEXT,
        alarm INTEGER NOT NULL,
        reference_checksum TEXT NOT NULL,
        tests TEXT NOT NULL,
        warnings TEXT NOT NULL,
        note TEXT,
        superseded_by TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX windows_by_monitor ON windows (monitor_id, window_key);
      CREATE VIEW window_tests AS
        SELECT w.id AS window_id, w.monitor_id, w.run_id, w.label, w.start_ms, w.n, w.alarm, w.superseded_by,
               j.key AS test,
               json_extract(j.value, '$.statistic') AS statistic,
               json_extract(j.value, '$.pValue') AS p_value,
               json_extract(j.value, '$.pValueSuite') AS p_value_suite,
               json_extract(j.value, '$.pValueAdjusted') AS p_value_adjusted,
               json_extract(j.value, '$.effectSize') AS effect_size,
               json_extract(j.value, '$.effectSizeName') AS effect_size_name,
               json_extract(j.value, '$.shift') AS shift
        FROM windows w, json_each(w.tests) j;
      PRAGMA user_version = ${HISTORY_SCHEMA_VERSION};
      COMMIT;
    `);
  }

  /** The monitor's state; refuses a history started with another α or horizon for this reference and window. */
  state(config: MonitorConfig): HistoryState {
    return this.guard('read', () => this.readState(config));
  }

  private readState(config: MonitorConfig): HistoryState {
    const monitor = this.db
      .prepare('SELECT id, alpha, horizon FROM monitors WHERE reference_checksum = ? AND window_spec = ?')
      .get(config.referenceChecksum, config.windowSpec) as { id: number; alpha: number; horizon: number } | undefined;
    if (!monitor) return { monitorId: null, testedBefore: 0, windows: new Map() };
    if (monitor.alpha !== config.alpha || monitor.horizon !== config.horizon) {
      throw new InputError(
        `${this.file} monitors this reference with --window ${config.windowSpec} at --alpha ${monitor.alpha} over --horizon ${monitor.horizon}; this run asks --alpha ${config.alpha} --horizon ${config.horizon}: changing them midway voids the false-alarm guarantee, so give the same values or a new --history file`,
      );
    }
    const tested = this.db
      .prepare("SELECT COUNT(*) AS n FROM windows WHERE monitor_id = ? AND status = 'tested'")
      .get(monitor.id) as { n: number };
    const rows = this.db
      .prepare('SELECT * FROM windows WHERE monitor_id = ? AND superseded_by IS NULL ORDER BY seq')
      .all(monitor.id) as WindowRow[];
    const windows = new Map<string, StoredWindow>();
    for (const row of rows) windows.set(row.window_key, { key: row.window_key, result: fromRow(row) });
    return { monitorId: monitor.id, testedBefore: tested.n, windows };
  }

  /**
   * Stages a run in one open transaction (BEGIN IMMEDIATE: other writers wait): its run row, every window it tested
   * or found too small, and the marks on the windows they replace. Nothing is visible to others until `commit`;
   * `rollback` (or a crash) leaves the history as it was. Refuses (nothing written) if another run appended to this
   * monitor since `state` was read.
   */
  stage(config: MonitorConfig, run: RunRecord, expected: HistoryState, windows: readonly WindowResult[]): StagedRun {
    return this.guard('write', () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const now = this.readState(config);
        if (now.testedBefore !== expected.testedBefore || now.windows.size !== expected.windows.size) {
          throw new InputError(
            `${this.file} was appended to by another run while this one worked (its false-alarm budget moved): run the monitor again`,
          );
        }
        let monitorId = now.monitorId;
        if (monitorId === null) {
          monitorId = Number(
            this.db
              .prepare(
                'INSERT INTO monitors (reference_checksum, reference_source, window_spec, alpha, horizon, model, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
              )
              .run(
                config.referenceChecksum,
                config.referenceSource,
                config.windowSpec,
                config.alpha,
                config.horizon,
                config.model,
                run.startedAt,
              ).lastInsertRowid,
          );
        }
        const fresh = windows.filter((w) => w.status !== 'already-in-history');
        this.db
          .prepare(
            'INSERT INTO runs (run_id, monitor_id, started_at, finished_at, target_source, seed, tool_version, tests, permutations, n_tested, n_alarms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            run.runId,
            monitorId,
            run.startedAt,
            new Date().toISOString(),
            run.targetSource,
            run.seed,
            run.toolVersion,
            run.tests.join(','),
            run.permutations,
            fresh.filter((w) => w.status === 'tested').length,
            fresh.filter((w) => w.alarm).length,
          );
        let seq = (
          this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM windows WHERE monitor_id = ?').get(monitorId) as {
            s: number;
          }
        ).s;
        const supersede = this.db.prepare(
          'UPDATE windows SET superseded_by = ? WHERE monitor_id = ? AND window_key = ? AND superseded_by IS NULL',
        );
        const insert =
          this.db.prepare(`INSERT INTO windows (monitor_id, run_id, seq, window_key, label, start_ms, end_ms,
          first_time_ms, last_time_ms, n, content_hash, status, family, slot, per_window_alpha, combined_p, adjusted_p,
          verdict, alarm, reference_checksum, tests, warnings, note, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        let superseded = 0;
        for (const w of fresh) {
          const key = windowKey(w);
          superseded += supersede.run(run.runId, monitorId, key).changes;
          insert.run(
            monitorId,
            run.runId,
            ++seq,
            key,
            w.label,
            toMs(w.start),
            toMs(w.end),
            toMs(w.firstTime),
            toMs(w.lastTime),
            w.n,
            w.contentHash,
            w.status,
            w.family,
            w.slot,
            w.perWindowAlpha,
            w.combinedPValue,
            w.adjustedPValue,
            w.verdict,
            w.alarm ? 1 : 0,
            config.referenceChecksum,
            JSON.stringify(Object.fromEntries(w.tests.map((t) => [t.name, t]))),
            JSON.stringify(w.warnings),
            w.note,
            run.startedAt,
          );
        }
        return {
          appended: fresh.length,
          superseded,
          commit: () => this.guard('write', () => this.db.exec('COMMIT')),
          rollback: () => {
            if (this.db.inTransaction) this.db.exec('ROLLBACK');
          },
        };
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** stage + commit. */
  append(config: MonitorConfig, run: RunRecord, expected: HistoryState, windows: readonly WindowResult[]): StagedRun {
    const staged = this.stage(config, run, expected, windows);
    staged.commit();
    return staged;
  }

  /** Every current window of the monitor (all runs), in time order (row windows: in the order they were added). */
  windows(config: MonitorConfig): WindowResult[] {
    return this.guard('read', () => {
      const state = this.readState(config);
      return [...state.windows.values()]
        .map((w) => w.result)
        .sort((a, b) => (a.start !== null && b.start !== null ? a.start.localeCompare(b.start) : 0));
    });
  }

  close(): void {
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    }
  }

  /** Closes, and removes the file if this open created it and nothing was committed to it. */
  discard(): void {
    this.close();
    if (!this.created) return;
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${this.file}${suffix}`, { force: true });
  }

  private guard<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.userError(error, action);
    }
  }

  private userError(error: unknown, action: string): Error {
    return databaseUserError(error, action, {
      file: this.file,
      what: 'the monitor history',
      advice: 'choose another --history file',
    });
  }
}

function toMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

function fromMs(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function fromRow(row: WindowRow): WindowResult {
  const tests = JSON.parse(row.tests) as Record<string, WindowTestResult>;
  return {
    index: row.seq - 1,
    label: row.label,
    start: fromMs(row.start_ms),
    end: fromMs(row.end_ms),
    firstTime: fromMs(row.first_time_ms),
    lastTime: fromMs(row.last_time_ms),
    n: row.n,
    status: row.status,
    contentHash: row.content_hash,
    family: row.family,
    slot: row.slot,
    perWindowAlpha: row.per_window_alpha,
    combinedPValue: row.combined_p,
    adjustedPValue: row.adjusted_p,
    verdict: row.verdict,
    alarm: row.alarm === 1,
    runId: row.run_id,
    tests: Object.values(tests),
    warnings: JSON.parse(row.warnings) as string[],
    note: row.note,
  };
}
