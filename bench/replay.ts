/**
 * `npm run bench:replay`: invariant 6 at the scale of a rush, and what it
 * costs. On a copy of a rush's data directory (REPLAY_DATA_DIR, e.g. the one
 * `RUSH_KEEP_DIR=… npm run bench:rush` kept; without one, a smaller rush is
 * run first), every projection is rebuilt from position 0 with the CLI's
 * verified rebuild (the live model snapshotted, the rebuild written, the two
 * compared), next to a raw scan of the same events (SELECT + JSON.parse, no
 * projection at all); then every reaction is rerun over every event with the
 * CLI's replay check, which must append nothing. Writes bench/results/replay.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   REPLAY_DATA_DIR       [unset] a stopped system's data directory (events.db, readmodels.db); RUSH_KEEP_DIR is read too
 *   REPLAY_RUSH_USERS     [2000]  without a directory: fans of the rush run first (past a few thousand the queue route stalls it: see rush.md)
 *   REPLAY_RUSH_SCHEDULES [20]    its schedules
 *   REPLAY_RUSH_SEATS     [50]    seats per schedule
 *   REPLAY_SCAN_RUNS      [3]     rounds of the raw scans; medians count
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../infra/config.js';
import { checkInvariants } from '../infra/invariants.js';
import { projectionCatalogue } from '../infra/cli/catalogue.js';
import { replayCheck, type ReplayFindings } from '../infra/cli/replay-check.js';
import { definitions } from '../infra/inspect/definitions.js';
import { verifiedRebuild, type VerifiedRebuild } from '../infra/cli/verified-rebuild.js';
import { openStores } from '../infra/stores.js';
import { integer } from './support/knobs.js';
import { reportHeading } from './support/report.js';
import { describeMachine } from './support/machine.js';
import { median } from './support/percentiles.js';
import { rushSystem, type RushShape } from './support/rush-run.js';
import { formatCount, formatRatio, markdownTable } from './support/table.js';
import { verdictSection } from './support/verdict.js';

const env = process.env;
const knobs = {
  dataDir: env.REPLAY_DATA_DIR || env.RUSH_KEEP_DIR || undefined,
  rushUsers: integer(env, 'REPLAY_RUSH_USERS', 2_000, 1),
  rushSchedules: integer(env, 'REPLAY_RUSH_SCHEDULES', 20, 1),
  rushSeats: integer(env, 'REPLAY_RUSH_SEATS', 50, 1),
  scanRuns: integer(env, 'REPLAY_SCAN_RUNS', 3, 1),
};

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A rush run first when there is no store to start from: the rush benchmark's client and knobs, fewer fans than its default. */
const smallRush: RushShape = {
  users: knobs.rushUsers,
  schedules: knobs.rushSchedules,
  seats: knobs.rushSeats,
  price: 50_000,
  maxMs: 150_000,
  arrivalMs: 0,
  queueMaxActive: 200,
  admitIntervalMs: 100,
  tokenTtlMs: 30_000,
  lineConnections: 512,
  shopConnections: 256,
  pollMinMs: 250,
  pollMaxMs: 10_000,
  pollUnknownMs: 2_000,
  seatLooks: 10,
  holdAttempts: 10,
  lookPauseMs: 300,
  payWaitMs: 5_000,
  payWaitRounds: 12,
};

/** The rebuild writes the read models, so it works on a copy: the directory it was given stays as it was. */
function copyOf(dir: string): string {
  for (const file of ['events.db', 'readmodels.db']) {
    if (!existsSync(join(dir, file))) throw new Error(`${dir} has no ${file}: not a stopped system's data directory`);
  }
  const copy = mkdtempSync(join(os.tmpdir(), 'bench-replay-'));
  for (const name of readdirSync(dir)) {
    if (/^(events|readmodels)\.db(-wal|-shm)?$/.test(name)) copyFileSync(join(dir, name), join(copy, name));
  }
  return copy;
}

/** Every event of these types (all when none) in order, data and metadata parsed: the least a rebuild must do. */
function rawScan(db: Database.Database, types: readonly string[] | undefined): number {
  const rows = (
    types && types.length > 0
      ? db.prepare(`SELECT * FROM events WHERE type IN (${types.map(() => '?').join(', ')}) ORDER BY position`).iterate(...types)
      : db.prepare('SELECT * FROM events ORDER BY position').iterate()
  ) as IterableIterator<{ data: string; metadata: string }>;
  let count = 0;
  for (const row of rows) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    count++;
  }
  return count;
}

/** Events per second of the raw scan, the median of `runs` rounds (the first, untimed, warms the page cache). */
function rawRate(db: Database.Database, types: readonly string[] | undefined, runs: number): { events: number; perSecond: number } {
  const events = rawScan(db, types);
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rawScan(db, types);
    rates.push((events * 1000) / (performance.now() - started));
  }
  return { events, perSecond: median(rates) };
}

interface Row {
  rebuild: VerifiedRebuild;
  raw: { events: number; perSecond: number };
}

async function main() {
  const machine = describeMachine();
  const started = new Date();
  let source = knobs.dataDir ? resolve(knobs.dataDir) : undefined;
  let fresh: string | undefined;
  let origin: string;
  if (source) {
    origin = `the data directory given in REPLAY_DATA_DIR (copied first; the copy is what is rebuilt)`;
  } else {
    fresh = mkdtempSync(join(os.tmpdir(), 'bench-replay-rush-'));
    log(`[replay] no REPLAY_DATA_DIR: running a rush of ${formatCount(smallRush.users)} fans first`);
    const rush = await rushSystem(fresh, smallRush);
    origin = `the store of a rush run first (${formatCount(smallRush.users)} fans, ${smallRush.schedules} × ${smallRush.seats} seats, ${formatCount(rush.output.completedAt.length)} sold, ended by ${rush.output.stoppedBy}; see bench/results/rush.md for what a rush is)`;
    source = fresh;
  }
  const dir = copyOf(source);
  try {
    const config = loadConfig({ DATA_DIR: dir });
    const stores = await openStores(config);
    const raw = new Database(join(dir, 'events.db'), { readonly: true });
    let rows: Row[];
    let fullScan: { events: number; perSecond: number };
    let findings: ReplayFindings;
    let replayMs: number;
    let results;
    try {
      fullScan = rawRate(raw, undefined, knobs.scanRuns);
      log(`[replay] ${formatCount(fullScan.events)} events; raw scan ${formatCount(fullScan.perSecond)} events/s`);
      const services = definitions(stores, config);
      rows = [];
      for (const projection of projectionCatalogue(services)) {
        const scan = rawRate(raw, projection.eventTypes, knobs.scanRuns);
        const rebuild = await verifiedRebuild(stores, projection);
        log(`[replay] ${projection.name}: ${formatCount(rebuild.events)} events, ${formatCount(rebuild.eventsPerSecond)}/s, ${rebuild.identical ? 'identical' : `${rebuild.differences.length} documents differ`}`);
        rows.push({ rebuild, raw: scan });
      }
      log('[replay] rerunning every reaction over every event');
      const replayStarted = performance.now();
      findings = await replayCheck(stores, services);
      replayMs = performance.now() - replayStarted;
      results = await checkInvariants(stores.events, { now: new Date(), replay: async () => findings });
    } finally {
      raw.close();
      await stores.reads.close();
      await stores.events.close();
    }

    const totalEvents = rows.reduce((sum, r) => sum + r.rebuild.events, 0);
    const totalMs = rows.reduce((sum, r) => sum + r.rebuild.ms, 0);
    const allIdentical = rows.every((r) => r.rebuild.identical);
    const table = markdownTable(
      ['projection', 'events', 'rebuild events/s', 'raw scan of the same events/s', 'ratio', 'rebuilt model vs live', 'goal', 'met?'],
      [
        ...rows.map(({ rebuild, raw: scan }) => [
          rebuild.projection,
          formatCount(rebuild.events),
          rebuild.events === 0 ? '—' : formatCount(rebuild.eventsPerSecond),
          rebuild.events === 0 ? '—' : formatCount(scan.perSecond),
          rebuild.events === 0 ? '—' : formatRatio(rebuild.eventsPerSecond / scan.perSecond),
          rebuild.identical ? 'identical' : `${rebuild.differences.length} documents differ`,
          'identical',
          rebuild.identical ? 'yes' : 'NO',
        ]),
        [
          '**every projection, one after another**',
          formatCount(totalEvents),
          formatCount((totalEvents * 1000) / totalMs),
          formatCount(fullScan.perSecond),
          formatRatio((totalEvents * 1000) / totalMs / fullScan.perSecond),
          allIdentical ? 'all identical' : 'NOT all identical',
          'identical',
          allIdentical ? 'yes' : 'NO',
        ],
      ],
    );
    const reactionRate = (findings.events * 1000) / replayMs;
    const reactionTable = markdownTable(
      ['figure', 'measured', 'baseline (raw scan of $all)', 'ratio', 'goal', 'met?'],
      [
        ['events rerun through every reaction', formatCount(findings.events), formatCount(fullScan.events), '—', 'all', findings.events === fullScan.events ? 'yes' : 'NO'],
        ['events/s (with every read model projected from zero in memory and compared first)', formatCount(reactionRate), formatCount(fullScan.perSecond), formatRatio(reactionRate / fullScan.perSecond), '—', '—'],
        ['new events the reactions would append', formatCount(findings.reactionAppends), '—', '—', '0', findings.reactionAppends === 0 ? 'yes' : 'NO'],
        ['read models that differ from a projection from zero (in memory)', String(findings.projectionsDiffering.length), '—', '—', '0', findings.projectionsDiffering.length === 0 ? 'yes' : 'NO'],
      ],
    );
    const command = [...(env.REPLAY_DATA_DIR ? ['REPLAY_DATA_DIR=…'] : []), ...Object.entries(env).filter(([n]) => n.startsWith('REPLAY_') && n !== 'REPLAY_DATA_DIR').map(([n, v]) => `${n}=${v}`), 'npm run bench:replay'].join(' ');
    const report = [
      ...reportHeading('Replay benchmark', command, started, machine),
      '',
      '## What ran',
      '',
      `- **Store**: ${origin}: ${formatCount(fullScan.events)} events in \`events.db\`, the read models the live system left in \`readmodels.db\`. The system was stopped gracefully, so every checkpoint was committed.`,
      '- **Rebuild**: for each projection of `concertctl projections` (the API\'s read models, the queue\'s line, each service\'s timers), `verifiedRebuild` (infra/cli/verified-rebuild.ts, what `concertctl projections rebuild all` runs): snapshot the live model, forget it, apply every event of its types from position 0 in pages of 2,000 (each page one read-store commit), then compare document by document with the snapshot brought to the same head. Events/s counts the events of its types it applied, over the rebuild alone (not the comparison).',
      `- **Baseline**: a raw scan of exactly those events on the same file (\`SELECT * FROM events WHERE type IN (…) ORDER BY position\`, JSON.parse of data and metadata, nothing else), median of ${knobs.scanRuns} warm rounds.`,
      '- **Reactions**: `replayCheck` (infra/cli/replay-check.ts, what `concertctl check --replay` runs): every read model projected from zero in memory and compared with the live one, then every event of $all run through every reaction of the seven services by the bus\'s own `runReaction`, against a store that reads for real and counts, without writing, the events an append would add (those whose derived ids the stream lacks).',
      '',
      '## Rebuilding every projection from zero',
      '',
      table,
      '',
      '## Rerunning every reaction',
      '',
      reactionTable,
      '',
      verdictSection(
        { results, replayMs },
        'Checked with `checkInvariants` (infra/invariants.ts) on the copy after the rebuilds; invariant 6 is the replay check above.',
      ),
      '',
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('../../bench/results/replay.md', import.meta.url)), report);
    console.log(report);
    log('report written to bench/results/replay.md');
    if (!results.every((r) => r.ok) || !allIdentical) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (fresh) rmSync(fresh, { recursive: true, force: true });
  }
}

await main();
