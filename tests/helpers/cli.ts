import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { main } from '../../src/cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

const result = (code: number, stdout: string, stderr: string): CliRun => ({ code, stdout, stderr, json: () => JSON.parse(stdout) });

/**
 * Runs `model-ledger` in this process, capturing what it writes. Same entry point as the
 * binary (main), without paying a process start per call.
 */
export async function cli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'model-ledger', ...args]);
    return result(code, stdout, stderr);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

/** Runs the real `bin/model-ledger.js` in a child process, as a user or a cron job would. */
export function cliProcess(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'model-ledger.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return result(r.status ?? -1, r.stdout, r.stderr);
}

/**
 * Starts the real `bin/model-ledger.js` in a child process without waiting for it, so this
 * process (a desk, a second writer) keeps running beside it; `done` settles when it exits.
 */
export function cliSpawn(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'model-ledger.js'), ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(result(code ?? -1, stdout, stderr)));
  });
  return { child, done };
}

/** The small demo set the tests sync (vitest.config.ts points the defaults at it). */
export const DEMO_SOURCES = join(PACKAGE_ROOT, 'tests', 'fixtures', 'demo', 'sources');
export const DEMO_SNAPSHOTS = join(PACKAGE_ROOT, 'tests', 'fixtures', 'demo', 'snapshots');
