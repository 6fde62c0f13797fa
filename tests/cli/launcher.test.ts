import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/**
 * bin/model-ledger.js runs dist/ when it is whole and as new as src/, else src/ through tsx: here
 * in a package of its own whose two CLIs only say which of them ran.
 */
describe('the launcher', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-launcher-'));
  for (const dir of ['bin', 'dist', 'src']) mkdirSync(join(root, dir));
  copyFileSync(join(PACKAGE_ROOT, 'bin', 'model-ledger.js'), join(root, 'bin', 'model-ledger.js'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  const cliSaying = (who: string) => `export async function main() { process.stdout.write('${who}'); return 0; }\n`;
  writeFileSync(join(root, 'src', 'cli.ts'), cliSaying('src'));
  writeFileSync(join(root, 'src', 'errors.ts'), 'export {};\n');
  writeFileSync(join(root, 'dist', 'cli.js'), cliSaying('dist'));
  const built = new Date(Date.now() + 60_000);
  const launch = () => {
    utimesSync(join(root, 'dist', 'cli.js'), built, built);
    return spawnSync(process.execPath, [join(root, 'bin', 'model-ledger.js')], { encoding: 'utf8' }).stdout;
  };

  it('runs src/ while dist/ lacks one of its modules, and dist/ once it has them all', () => {
    expect(launch()).toBe('src');
    writeFileSync(join(root, 'dist', 'errors.js'), 'export {};\n');
    expect(launch()).toBe('dist');
  });
});
