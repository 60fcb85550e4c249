/** The monitor's output folder as one set (result/writeOutputs.ts): monitor-result.json and monitor-report.html. */
import { renderMonitorReport } from '../report/monitor/renderMonitorReport.js';
import { writeOutputsAtomically } from '../result/writeOutputs.js';
import type { MonitorRun } from './runMonitor.js';

export const MONITOR_RESULT_FILE = 'monitor-result.json';
export const MONITOR_REPORT_FILE = 'monitor-report.html';

export async function writeMonitorOutputs(run: MonitorRun, outDir: string): Promise<string[]> {
  return writeOutputsAtomically(outDir, [
    { name: MONITOR_RESULT_FILE, contents: `${JSON.stringify(run.result, null, 2)}\n` },
    { name: MONITOR_REPORT_FILE, contents: renderMonitorReport(run.result, run.timeline) },
  ]);
}
