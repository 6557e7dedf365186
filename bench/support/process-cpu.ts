import { readdirSync, readFileSync } from 'node:fs';
import { ROLES } from '../../infra/runner.js';
import { SERVICE_NAMES, type ServiceName } from '../../infra/services.js';

/**
 * CPU time of a process and all its descendants, from /proc (Linux), by the
 * role on each one's command line: where a multi-process layout spends its
 * cores. Elsewhere it returns nothing, and the report says so.
 */

const TICKS_PER_SECOND = 100;

interface Proc {
  pid: number;
  ppid: number;
  cpuSeconds: number;
  label: string;
}

/** A process's roles as CLUSTER_GROUPS spells them: the seven services together as `services`. */
function groupLabel(roles: string[]): string {
  const services = SERVICE_NAMES.every((name) => roles.includes(name));
  return [...(services ? ['services'] : []), ...roles.filter((role) => !services || !SERVICE_NAMES.includes(role as ServiceName))].join('+');
}

function readProcs(): Proc[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return []; // not Linux: no figures, and the report says "—"
  }
  const procs: Proc[] = [];
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: fields after its last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const roles = cmdline.flatMap((arg, i) => (arg === '--service' ? [cmdline[i + 1]!] : []));
      const label = cmdline.includes('--cluster') ? 'supervisor' : roles.length === 0 || roles.length === ROLES.length ? 'all roles' : groupLabel(roles);
      procs.push({ pid: Number(name), ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, label });
    } catch {
      continue; // exited between the listing and the read
    }
  }
  return procs;
}

/** `root` and every process below it. */
function family(root: number): Proc[] {
  const procs = readProcs();
  const children = new Map<number, Proc[]>();
  for (const proc of procs) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc]);
  const found: Proc[] = [];
  const visit = (proc: Proc) => {
    found.push(proc);
    for (const child of children.get(proc.pid) ?? []) visit(child);
  };
  const top = procs.find((proc) => proc.pid === root);
  if (top) visit(top);
  return found;
}

/** CPU seconds used so far by `root` and its descendants, summed per role label. */
export function cpuByRole(root: number): Map<string, number> {
  const byRole = new Map<string, number>();
  for (const proc of family(root)) byRole.set(proc.label, (byRole.get(proc.label) ?? 0) + proc.cpuSeconds);
  return byRole;
}

/** The role of `root` and of each of its descendants, by pid: which profile is whose once they have exited. */
export function rolesByPid(root: number): Map<number, string> {
  return new Map(family(root).map((proc) => [proc.pid, proc.label]));
}

/** What each role used between two samples. */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([role, seconds]) => [role, seconds - (before.get(role) ?? 0)]));
}
