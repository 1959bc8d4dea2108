import { spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** First line of `tshark --version`, or null when tshark is not installed. */
  tshark: string | null;
  /** 1-minute load average when the run started: above the core count, other work skews every row. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${process.platform} ${release()}`,
    node: process.version,
    tshark: tsharkVersion(),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}

function tsharkVersion(): string | null {
  const probe = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return null;
  return probe.stdout.split('\n')[0]?.trim() ?? 'tshark';
}
