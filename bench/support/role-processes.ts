import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Role } from '../../infra/runner.js';

/**
 * The system under test as real processes, one per role (or one with every
 * role), started from the build as an operator would: `node dist/infra/main.js
 * --service <role>`. Knows when each one is ready (the API prints its address;
 * a service logs "service started"), kills and restarts them, and keeps the
 * warnings they log, since a fault benchmark that hides its logs hides its findings.
 */

const ENTRY = fileURLToPath(new URL('../../infra/main.js', import.meta.url));

/** A pino line at warn (40) or above. */
interface LogLine {
  level?: number;
  msg?: string;
}

export interface ProcessLife {
  /** When this process was spawned (performance.now()). */
  spawnedAt: number;
  /** When it said it was ready; undefined while starting, or if it died first. */
  readyAt: number | undefined;
  /** How it ended: by our signal, or on its own (a crash to report). */
  ended: { code: number | null; signal: NodeJS.Signals | null; expected: boolean } | undefined;
}

interface Running {
  child: ChildProcess;
  life: ProcessLife;
  /** Roles this process runs that have not said they are ready. */
  pending: Set<Role>;
  ready: Promise<void>;
  exited: Promise<void>;
  /** Set before we signal it, so its exit counts as expected. */
  signalled: boolean;
}

export interface ProcessGroupOptions {
  /** The environment every process gets (DATA_DIR, PORT, tokens…). */
  env: NodeJS.ProcessEnv;
  /** How long a start may take before it counts as failed. */
  readyTimeoutMs?: number;
  /** The built entry point (default: the one beside this build; tests run from the sources and name it). */
  entry?: string;
}

export class RoleProcesses {
  private readonly running = new Map<string, Running>();
  /** Every process ever started, per group name, in order. */
  readonly lives = new Map<string, ProcessLife[]>();
  /** Warnings and errors logged, per group name and message. */
  readonly warnings = new Map<string, Map<string, number>>();
  /** Processes that ended without being told to. */
  readonly unexpectedExits: Array<{ name: string; code: number | null; signal: NodeJS.Signals | null; stderr: string }> = [];
  private readonly stderrTail = new Map<string, string>();

  constructor(private readonly options: ProcessGroupOptions) {
    // A runner that dies (an uncaught error in a test) must not leave its system running behind it.
    process.once('exit', () => {
      for (const { child } of this.running.values()) child.kill('SIGKILL');
    });
  }

  /**
   * Starts one process under `name` running `roles` (all of them in one
   * process when several are given) and resolves once every role is ready.
   */
  start(name: string, roles: readonly Role[], env: NodeJS.ProcessEnv = {}): Promise<void> {
    if (this.running.has(name)) throw new Error(`${name} is already running`);
    const args = [this.options.entry ?? ENTRY, ...roles.flatMap((role) => ['--service', role])];
    const child = spawn(process.execPath, args, {
      env: { ...this.options.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const life: ProcessLife = { spawnedAt: performance.now(), readyAt: undefined, ended: undefined };
    const lives = this.lives.get(name) ?? [];
    lives.push(life);
    this.lives.set(name, lives);
    // startNode starts the services before the API listens, so the API's line means all are up (and
    // its LOG_LEVEL may then stay at warn, quiet under load).
    const pending = new Set<Role>(roles.includes('api') ? ['api'] : roles);

    let markReady = () => {};
    let failReady: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    // A start nobody awaits (a restart killed again at once) must not become an unhandled rejection.
    ready.catch(() => undefined);
    const entry: Running = { child, life, pending, ready, exited: Promise.resolve(), signalled: false };

    const seen = (role: Role) => {
      if (!pending.delete(role) || pending.size > 0) return;
      life.readyAt = performance.now();
      markReady();
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      // The API prints its address (not a log line) once it listens.
      if (line.startsWith('  API ')) return seen('api');
      if (!line.startsWith('{')) return;
      let parsed: LogLine & { service?: string };
      try {
        parsed = JSON.parse(line) as LogLine & { service?: string };
      } catch {
        return; // a line cut by a kill mid-write
      }
      if (parsed.msg === 'service started' && parsed.service) return seen(parsed.service as Role);
      if (parsed.msg === 'projector started') return seen('projector');
      if ((parsed.level ?? 0) >= 40) this.warn(name, parsed.msg ?? '(no message)');
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const tail = `${this.stderrTail.get(name) ?? ''}${line}\n`;
      this.stderrTail.set(name, tail.slice(-2_000));
    });

    entry.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        life.ended = { code, signal, expected: entry.signalled };
        if (!entry.signalled) {
          this.unexpectedExits.push({ name, code, signal, stderr: this.stderrTail.get(name) ?? '' });
        }
        if (this.running.get(name) === entry) this.running.delete(name);
        failReady(new Error(`${name} exited (code ${String(code)}, signal ${String(signal)}) before it was ready`));
        resolve();
      });
    });
    this.running.set(name, entry);

    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    const timer = setTimeout(() => failReady(new Error(`${name} was not ready within ${timeoutMs} ms`)), timeoutMs);
    return ready.finally(() => clearTimeout(timer));
  }

  private warn(name: string, message: string): void {
    const byMessage = this.warnings.get(name) ?? new Map<string, number>();
    byMessage.set(message, (byMessage.get(message) ?? 0) + 1);
    this.warnings.set(name, byMessage);
  }

  isReady(name: string): boolean {
    const entry = this.running.get(name);
    return entry !== undefined && entry.life.readyAt !== undefined;
  }

  /** Sends `signal` and resolves once the process has exited. */
  async signal(name: string, signal: NodeJS.Signals): Promise<void> {
    const entry = this.running.get(name);
    if (!entry) throw new Error(`${name} is not running`);
    entry.signalled = true;
    entry.child.kill(signal);
    await entry.exited;
  }

  /** Graceful stop of everything (SIGTERM: checkpoints committed), SIGKILL for whatever hangs past `graceMs`. */
  async stopAll(graceMs = 15_000): Promise<void> {
    await Promise.all(
      [...this.running.entries()].map(async ([, entry]) => {
        entry.signalled = true;
        entry.child.kill('SIGTERM');
        const timer = setTimeout(() => entry.child.kill('SIGKILL'), graceMs);
        await entry.exited;
        clearTimeout(timer);
      }),
    );
  }
}
