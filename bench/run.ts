/**
 * `npm run bench [-- --quick] [-- --only kernel,probe] [-- --write]`: runs each area's benchmark in one process,
 * prints the markdown sections, and with --write replaces docs/BENCHMARKS.md with them (stamped with the command,
 * date and machine), so the figures in the docs always come from one recorded run.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type BenchModule = { runBench(options: { quick: boolean }): Promise<string> };

const AREAS: Record<string, () => Promise<BenchModule>> = {
  ingest: () => import('./ingest.js'),
  embed: () => import('./embed.js'),
  'transformer-overhead': () => import('./transformerOverhead.js'),
  kernel: () => import('./kernel.js'),
  gemm: () => import('./gemmReference.js'),
  'exact-mmd-large': () => import('./exactMmdLarge.js'),
  projection: () => import('./projection.js'),
  probe: () => import('./probe.js'),
  'probe-row-cap': () => import('./probeRowCap.js'),
  report: () => import('./report.js'),
  calibration: () => import('./calibration.js'),
  power: () => import('./power.js'),
  scale: () => import('./scale.js'),
  decisionTable: () => import('./decisionTable.js'),
  'detection-grid': () => import('./detectionGrid.js'),
  finetune: () => import('./finetune.js'),
  monitor: () => import('./monitor.js'),
  bundle: () => import('./bundle.js'),
  'cli-cost': () => import('./cliRunCost.js'),
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const write = args.includes('--write');
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? args[onlyIndex + 1].split(',') : Object.keys(AREAS);
  for (const name of only)
    if (!AREAS[name]) throw new Error(`unknown bench area "${name}"; have ${Object.keys(AREAS).join(', ')}`);

  const sections: string[] = [];
  for (const name of only) {
    process.stderr.write(`bench: ${name}...\n`);
    const started = performance.now();
    const mod = await AREAS[name]();
    const section = await mod.runBench({ quick });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    sections.push(`${section.trim()}\n\n_(${name}: ${seconds} s)_`);
    process.stdout.write(`${section.trim()}\n\n`);
  }
  if (write) {
    const command = `npm run bench --${args.length ? ` ${args.join(' ')}` : ''}`;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const header = [
      '# Benchmarks',
      '',
      `Produced by \`${command}\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ` +
        `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Every ratio compares two implementations measured in the same run.`,
      '',
    ].join('\n');
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'BENCHMARKS.md');
    await writeFile(file, `${header}\n${sections.join('\n\n')}\n`);
    process.stderr.write(`bench: wrote ${file}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
