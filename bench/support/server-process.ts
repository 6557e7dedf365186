import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A server under test in a process of its own, so the load generator never
 * shares its event loop: started, awaited until it answers, stopped with
 * SIGTERM (a graceful stop, which commits checkpoints and writes a CPU profile
 * when one was asked for).
 */
export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ServerProcessOptions {
  script: string;
  args?: readonly string[];
  /** Node flags before the script (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  env: Record<string, string | undefined>;
  port: number;
  /** Answers 200 once the server is ready. */
  readyPath?: string;
  readyTimeoutMs?: number;
  /** Where the child's stderr goes. */
  stderr?: 'inherit' | 'ignore';
  /** Where its stdout goes (the system's banner and its pino log): dropped unless asked for. */
  stdout?: 'inherit' | 'ignore';
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['ignore', options.stdout ?? 'ignore', options.stderr ?? 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.script} exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}${options.readyPath ?? '/health'}`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet: try again until the deadline
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.script} was not ready within ${options.readyTimeoutMs ?? 60_000} ms`);
    }
    await sleep(100);
  }
  let stopping: Promise<number | null> | undefined;
  const stop = (graceMs = 30_000) =>
    (stopping ??= (async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    })());
  return { url, pid: child.pid!, child, stop };
}
