import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs a load generator (a script in bench/load) in a process of its own, so
 * that it never shares an event loop with the server it measures. Its input
 * and output travel as JSON files: both can be megabytes of samples.
 */
export async function runLoad<Input, Output>(name: string, input: Input): Promise<Output> {
  const script = fileURLToPath(new URL(`../load/${name}.js`, import.meta.url));
  const dir = mkdtempSync(join(os.tmpdir(), `bench-load-${name}-`));
  const inputFile = join(dir, 'input.json');
  const outputFile = join(dir, 'output.json');
  try {
    writeFileSync(inputFile, JSON.stringify(input));
    const child = spawn(process.execPath, [script, inputFile, outputFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`load generator ${name} exited with ${String(code)}`);
    return JSON.parse(readFileSync(outputFile, 'utf8')) as Output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
