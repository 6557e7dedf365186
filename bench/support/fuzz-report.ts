import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BadInputKind, BadRequest } from './bad-requests.js';
import { describeRequest } from './bad-requests.js';
import { loadAverage, machineLines, type describeMachine } from './machine.js';
import type { RoleProcesses } from './role-processes.js';
import { formatCount, formatRatio, markdownTable } from './table.js';

/**
 * What bench:fuzz counts of the answers, and the report it writes from them
 * (bench/results/fuzz.md): statuses by route and by kind of bad input, the
 * findings shrunk to their smallest form, the baseline and the verdict.
 */

/** What came back: a status, or no answer (the socket closed, or nothing within the timeout). */
export interface Outcome {
  status: number | null;
  error?: string;
  wrote: boolean;
}

export type Finding = 'server error' | 'wrote' | 'accepted' | 'no answer';

export interface Tallies {
  /** route → status label → count */
  byRoute: Map<string, Map<string, number>>;
  byKind: Map<BadInputKind, Map<string, number>>;
  /** What exactly was sent over a bare socket → status label → count. */
  raw: Map<string, Map<string, number>>;
  writes: Map<string, number>;
  /** Why a request got no answer, with how often. */
  unanswered: Map<string, number>;
  sent: number;
}

export const emptyTallies = (): Tallies => ({ byRoute: new Map(), byKind: new Map(), raw: new Map(), writes: new Map(), unanswered: new Map(), sent: 0 });
export const statusLabel = (outcome: Outcome) => (outcome.status === null ? 'no answer' : String(outcome.status));

export function tally(t: Tallies, request: BadRequest, outcome: Outcome): void {
  const bump = <K>(map: Map<K, Map<string, number>>, key: K) => {
    const inner = map.get(key) ?? new Map<string, number>();
    inner.set(statusLabel(outcome), (inner.get(statusLabel(outcome)) ?? 0) + 1);
    map.set(key, inner);
  };
  bump(t.byRoute, request.route);
  bump(t.byKind, request.kind);
  if (request.raw !== undefined) bump(t.raw, request.what);
  if (outcome.status === null) {
    const why = `${request.raw !== undefined ? 'raw: ' : request.bodyBytes !== undefined ? 'oversized upload: ' : ''}${outcome.error ?? 'unknown'}`;
    t.unanswered.set(why, (t.unanswered.get(why) ?? 0) + 1);
  }
  if (outcome.wrote) t.writes.set(request.route, (t.writes.get(request.route) ?? 0) + 1);
  t.sent++;
}

export interface Shrunk {
  route: string;
  finding: Finding;
  /** Sent once more after shrinking, it failed the same way. */
  reproduced: boolean;
  request: BadRequest;
  outcome: Outcome;
}

export interface ReportInput {
  knobs: { requests: number; seed: number };
  started: Date;
  machine: ReturnType<typeof describeMachine>;
  main: Tallies;
  shrinking: Tallies;
  shrunk: Shrunk[];
  fuzzMs: number;
  baselineMs: number;
  baselineBad: number;
  journey: { ok: boolean; steps: string[] };
  settledAfter: boolean;
  processes: RoleProcesses;
  verdictText: string;
  verdictOk: boolean;
}

function countWhere(t: Tallies, test: (status: string) => boolean): number {
  let n = 0;
  for (const inner of t.byRoute.values()) for (const [status, count] of inner) if (test(status)) n += count;
  return n;
}

function statusTable(rows: Map<string, Map<string, number>>, writes: Map<string, number> | undefined, first: string): string {
  const statuses = [...new Set([...rows.values()].flatMap((inner) => [...inner.keys()]))].sort();
  const body = [...rows].map(([name, inner]) => {
    const total = [...inner.values()].reduce((a, b) => a + b, 0);
    return [name, formatCount(total), ...statuses.map((s) => (inner.get(s) ? formatCount(inner.get(s)!) : '·')), ...(writes ? [String(writes.get(name) ?? 0)] : [])];
  });
  return markdownTable([first, 'requests', ...statuses, ...(writes ? ['wrote'] : [])], body);
}

export function writeReport(input: ReportInput): void {
  const { main, knobs } = input;
  const serverErrors = countWhere(main, (s) => s !== 'no answer' && Number(s) >= 500);
  const noAnswer = countWhere(main, (s) => s === 'no answer');
  const writes = [...main.writes.values()].reduce((a, b) => a + b, 0);
  const accepted = input.shrunk.filter((s) => s.finding === 'accepted').length;
  const ratio = input.fuzzMs / input.baselineMs;
  const perRequest = (ms: number) => `${(ms / main.sent).toFixed(2)} ms`;
  const rows = [
    ['bad requests sent', formatCount(main.sent), formatCount(main.sent) + ' valid GETs', '—', `${formatCount(knobs.requests)}`, main.sent >= knobs.requests ? 'yes' : 'no'],
    ['answered 5xx', String(serverErrors), '0', '—', '0', serverErrors === 0 ? 'yes' : 'NO'],
    ['requests that appended events', String(writes), '0', '—', '0', writes === 0 ? 'yes' : 'NO'],
    ['built to be refused, yet accepted (2xx) — shrunk findings', String(accepted), '—', '—', '0', accepted === 0 ? 'yes' : 'NO'],
    ['no answer (junk over a bare socket and cut-off uploads listed below)', String(input.shrunk.filter((s) => s.finding === 'no answer').length), '—', '—', '0', input.shrunk.some((s) => s.finding === 'no answer') ? 'NO' : 'yes'],
    ['time for all of them (shrinking excluded)', `${(input.fuzzMs / 1000).toFixed(1)} s`, `${(input.baselineMs / 1000).toFixed(1)} s`, formatRatio(ratio), '—', '—'],
    ['time per request', perRequest(input.fuzzMs), perRequest(input.baselineMs), formatRatio(ratio), '—', '—'],
    ['a normal journey afterwards', input.journey.ok ? 'works' : 'FAILS', '—', '—', 'works', input.journey.ok ? 'yes' : 'NO'],
  ];
  const findings = input.shrunk.map((s) => `- **${s.finding}**${s.reproduced ? '' : ' (not reproduced when sent again)'} on ${s.route}: \`${describeRequest(s.request)}\` → ${statusLabel(s.outcome)}${s.outcome.error ? ` (${s.outcome.error})` : ''}${s.outcome.wrote ? ', wrote events' : ''} — ${s.request.kind}: ${s.request.what}`);
  const warnings = [...(input.processes.warnings.get('system') ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
  const ok = serverErrors === 0 && writes === 0 && input.shrunk.length === 0 && input.journey.ok && input.verdictOk && input.baselineBad === 0;
  const seconds = ((Date.now() - input.started.getTime()) / 1000).toFixed(0);
  const report = [
    '# Bad input benchmark: generated bad requests',
    '',
    `Generated by \`npm run bench:fuzz\` on ${input.started.toISOString()} (${seconds} s). Do not edit by hand: run it again.`,
    '',
    'The real system runs in its own process (`node dist/infra/main.js --service …` for all eight roles, SQLite in a',
    'temp DATA_DIR). A normal journey sets up the fixtures (a concert with an open and a not-yet-open schedule; a user',
    'holding a seat with an ACTIVE token; a user whose payment COMPLETED, so that its token is EXPIRED; a user with an',
    'ACTIVE token and nothing held); the system is then left to settle and checked idle (the head does not move for 2 s).',
    `fast-check then generates ${formatCount(knobs.requests)} bad requests (seed ${knobs.seed}), shared equally among the routes of API.md, an`,
    'unknown-route group and a raw-socket group (what no HTTP client would send). Each request breaks one rule of a',
    'request that would otherwise be accepted (a forged token with a body a genuine one would get a 201 for, an',
    'over-long Idempotency-Key on a body that would write…), so an accepted one is a finding. Requests go one at a time',
    'on one connection and the event store head is read after each one: a head that moved means that request wrote.',
    'A failing request stops its route\'s run and fast-check shrinks it; the route then goes on with a new seed.',
    '',
    ...machineLines(input.machine),
    `- load average (1 min) at the end: ${loadAverage().toFixed(2)}`,
    '',
    `Baseline: the same number of valid GETs (eight read routes in turn), one at a time on the same connection, the head read after each (${input.baselineBad} of them not a 200 or wrote).`,
    '',
    markdownTable(['figure', 'bad requests', 'baseline', 'ratio', 'goal', 'met?'], rows),
    '',
    ...(findings.length > 0 ? ['## Findings (shrunk)', '', ...findings, ''] : ['No request failed: nothing to shrink.', '']),
    '## Answers by route',
    '',
    'Statuses as received; "no answer" is a socket closed without one. Oversized bodies go over a bare socket (an HTTP',
    'client reports the server\'s early 413-and-close as a broken pipe), so their 413 is read as sent.',
    '',
    statusTable(main.byRoute, main.writes, 'route'),
    '',
    '## Answers by kind of bad input',
    '',
    statusTable(main.byKind as Map<string, Map<string, number>>, undefined, 'kind'),
    '',
    '## Bare-socket requests',
    '',
    statusTable(main.raw, undefined, 'what was sent'),
    '',
    input.shrinking.sent > 0 ? `Shrinking sent ${input.shrinking.sent} more requests, counted apart.` : '',
    `Requests with no answer: ${noAnswer}${noAnswer > 0 ? ` (${[...main.unanswered].map(([why, n]) => `${why} ×${n}`).join('; ')})` : ''}.`,
    '',
    `After the fuzzing, a newcomer's journey: ${input.journey.steps.join(' → ')}; the system settled afterwards: ${input.settledAfter ? 'yes' : 'NO'}.`,
    '',
    warnings.length > 0 ? `Warnings and errors the system logged: ${warnings.slice(0, 6).map(([m, c]) => `"${m}" ×${c}`).join(', ')}.` : 'The system logged no warnings or errors.',
    '',
    input.verdictText,
    '',
    ok ? '**Fuzz verdict: no 5xx, no write from a refused request, nothing wrongly accepted, normal traffic unaffected, and the invariants hold.**' : '**Fuzz verdict: FAILED (see the findings and the rows marked NO).**',
    '',
  ].join('\n');
  const out = fileURLToPath(new URL('../../../bench/results/fuzz.md', import.meta.url));
  writeFileSync(out, report);
  process.stdout.write(`${report}\n`);
  process.stderr.write('[fuzz] report written to bench/results/fuzz.md\n');
}

