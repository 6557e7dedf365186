import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { storeEnv } from '../support/stores.js';

/**
 * concertctl as a real child process, the way an operator runs it: the built
 * bin (npm test builds first) in its own process on the stores the test opened
 * for that DATA_DIR (the embedded ones, or its share of the servers), with
 * NO_COLOR so output compares as plain text. The build, not the TypeScript
 * source through a loader: a second per spawn adds up over hundreds of runs.
 */

const main = fileURLToPath(new URL('../../dist/infra/cli/main.js', import.meta.url));
if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...storeEnv(dataDir), NO_COLOR: '1', ...extra };
}

export function startCli(dataDir: string, args: readonly string[], extraEnv?: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [main, ...args], { env: env(dataDir, extraEnv), stdio: 'pipe' });
}

export function finished(child: ChildProcessWithoutNullStreams, timeoutMs = 60_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`concertctl ${child.spawnargs.slice(-3).join(' ')} did not finish in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function cli(dataDir: string, args: readonly string[], extraEnv?: Record<string, string>): Promise<CliResult> {
  return finished(startCli(dataDir, args, extraEnv));
}

/** The --json lines, parsed; a line that is not JSON fails the parse, which is the point. */
export function jsonLines<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Resolves with the stream's text once `predicate` holds for it. */
export function waitForOutput(stream: NodeJS.ReadableStream, predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`no such output within ${timeoutMs} ms; got: ${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (predicate(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}
