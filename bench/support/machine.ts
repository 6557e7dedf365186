import Database from 'better-sqlite3';
import os from 'node:os';

/** What a benchmark figure depends on, printed beside it so figures from different machines are not compared blindly. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  sqlite: string;
  /** The 1-minute load average when described: other work on the machine moves every figure. */
  load: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
    sqlite: sqliteVersion(),
    load: loadAverage(),
  };
}

/** The SQLite library better-sqlite3 was built with, which is not the one the OS may have. */
export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
  } finally {
    db.close();
  }
}

export const loadAverage = (): number => os.loadavg()[0] ?? 0;

export function machineLines(machine: Machine): string[] {
  return [
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores (os.cpus())`,
    `- memory: ${machine.memoryGiB} GiB`,
    `- OS: ${machine.platform}`,
    `- Node: ${machine.node}`,
    `- SQLite: ${machine.sqlite} (better-sqlite3)`,
    `- load average (1 min) at the start: ${machine.load.toFixed(2)}`,
  ];
}
