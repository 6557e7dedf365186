import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { markdownTable } from './table.js';

/**
 * The functions a `node --cpu-prof` profile spent its own time in (self
 * time, not counting callees), heaviest first: where a saturated process
 * actually burns its CPU.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  name: string;
  /** file:line, shortened to the project or the package it is in. */
  where: string;
  selfMs: number;
  share: number;
  /** The nearest project functions up the stack that led here, heaviest first, with their share of this function's self time. */
  callers: Array<{ caller: string; share: number }>;
}

const isProjectFrame = (url: string) => url !== '' && !url.includes('node_modules/') && !url.startsWith('node:');
const frameName = (frame: ProfileNode['callFrame']) => `${frame.functionName || '(anonymous)'} (${shorten(frame.url)}:${frame.lineNumber + 1})`;

function shorten(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) return path.slice(inModules + 'node_modules/'.length);
  const inDist = path.lastIndexOf('/dist/');
  if (inDist >= 0) return path.slice(inDist + '/dist/'.length);
  return path.startsWith('node:') ? path : relative(process.cwd(), path);
}

export function hotFunctions(profile: CpuProfile, top = 25): { totalMs: number; idleMs: number; functions: HotFunction[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  /** The first project function above `id` other than the function itself (the leaf's own frame when it is project code). */
  const callerOf = (id: number): string => {
    const leaf = byId.get(id)!.callFrame;
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (isProjectFrame(frame.url) && frame.functionName !== leaf.functionName) return frameName(frame);
    }
    return '(none)';
  };
  const self = new Map<string, { name: string; where: string; us: number; callers: Map<string, number> }>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    totalUs += delta;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    if (frame.functionName === '(idle)') idleUs += delta;
    const where = `${shorten(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    const key = `${frame.functionName}@${where}`;
    const entry = self.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0, callers: new Map<string, number>() };
    entry.us += delta;
    const caller = callerOf(id);
    entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + delta);
    self.set(key, entry);
  });
  const functions = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((entry) => ({
      name: entry.name,
      where: entry.where,
      selfMs: entry.us / 1000,
      share: totalUs > 0 ? entry.us / totalUs : 0,
      callers: [...entry.callers]
        .sort((a, b) => b[1] - a[1])
        .map(([caller, us]) => ({ caller, share: entry.us > 0 ? us / entry.us : 0 })),
    }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, functions };
}

/** A project file as it is, a dependency as its package: "infra/readstore/sqlite.js", "better-sqlite3". */
function fileOrPackage(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules < 0) return shorten(url);
  const parts = path.slice(inModules + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The self time summed per file (or package): which layer the time goes to. */
export function hotFiles(profile: CpuProfile, top = 15): Array<{ where: string; selfMs: number; share: number }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const files = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    totalUs += delta;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const where = frame.url ? fileOrPackage(frame.url) : frame.functionName;
    files.set(where, (files.get(where) ?? 0) + delta);
  });
  return [...files]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({ where, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
}

/** The one profile `node --cpu-prof --cpu-prof-dir <dir>` wrote. */
export function readProfile(dir: string): CpuProfile {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as CpuProfile;
}

/** The profile as a report section: the hottest functions and files by self time, as shares of the time the process was busy. */
export function profileSection(dir: string, heading = '## Where the system process spends its CPU'): string {
  const profile = readProfile(dir);
  const { totalMs, idleMs, functions } = hotFunctions(profile, 20);
  const busy = totalMs - idleMs;
  const share = (ms: number) => `${((ms / busy) * 100).toFixed(1)}%`;
  const callers = (f: HotFunction) =>
    f.callers
      .filter((c) => c.share >= 0.1 && c.caller !== '(none)')
      .slice(0, 3)
      .map((c) => `${c.caller} ${Math.round(c.share * 100)}%`)
      .join('; ') || '—';
  const fnRows = functions
    .filter((f) => f.name !== '(idle)')
    .slice(0, 15)
    .map((f) => [f.name, f.where, `${(f.selfMs / 1000).toFixed(1)} s`, share(f.selfMs), callers(f)]);
  const fileRows = hotFiles(profile, 12)
    .filter((f) => f.where !== '(idle)')
    .map((f) => [f.where, `${(f.selfMs / 1000).toFixed(1)} s`, share(f.selfMs)]);
  return [
    heading,
    '',
    `\`node --cpu-prof\` on the system process over its whole run: ${(totalMs / 1000).toFixed(0)} s profiled, ${(busy / 1000).toFixed(0)} s of it busy (not idle). Self time (a function's own, not its callees'), as a share of the busy time:`,
    '',
    markdownTable(['function', 'where', 'self time', 'share of busy', 'called from (nearest project function, share of its time)'], fnRows),
    '',
    'By file or package:',
    '',
    markdownTable(['file or package', 'self time', 'share of busy'], fileRows),
  ].join('\n');
}

/**
 * One line per role of a multi-process run: its busy time and its hottest
 * functions, from the profiles `--cpu-prof` wrote into `dir` (named
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile), matched to roles by pid.
 * Several processes of one role are summed by function.
 */
export function roleProfilesSection(dir: string, roleOf: Map<number, string>, top = 6): string {
  const byRole = new Map<string, { busyMs: number; self: Map<string, number> }>();
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'))) {
    const role = roleOf.get(Number(name.split('.')[3]));
    if (role === undefined) continue;
    const { totalMs, idleMs, functions } = hotFunctions(JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile, 40);
    const entry = byRole.get(role) ?? { busyMs: 0, self: new Map<string, number>() };
    entry.busyMs += totalMs - idleMs;
    for (const f of functions.filter((f) => f.name !== '(idle)')) {
      const key = `${f.name} (${f.where})`;
      entry.self.set(key, (entry.self.get(key) ?? 0) + f.selfMs);
    }
    byRole.set(role, entry);
  }
  const rows = [...byRole]
    .sort((a, b) => b[1].busyMs - a[1].busyMs)
    .map(([role, { busyMs, self }]) => [
      role,
      `${(busyMs / 1000).toFixed(1)} s`,
      [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([fn, ms]) => `${fn} ${((100 * ms) / busyMs).toFixed(0)}%`)
        .join('; '),
    ]);
  return markdownTable(['role', 'busy (whole run)', `hottest functions by self time, share of the role's busy time`], rows);
}
