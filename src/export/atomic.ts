/**
 * Replaces an export directory as a whole. Every file is written into a fresh directory beside the
 * target (same parent, so the same filesystem), and only when all of them are on disk is it swapped
 * in with two renames: the target aside, the new directory in its place. A reader that enters the
 * directory (cd, or a directory handle) reads one export's files, the old set or the new one; no
 * file is ever seen half-written; a failure before the swap leaves the old set untouched.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Names beside `<dir>` this writer creates: `.<dir>.export-new-<pid>-<rand>` and `.export-old-`. */
const scratchPattern = (base: string) => new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.export-(new|old)-(\\d+)-[0-9a-f]+$`);

/**
 * Writes `files` (relative path → text) as the new content of `dir`. Top-level entries of the old
 * directory that are not in `owned` (and not written now) are carried over as hard links, so a
 * README or a .git beside the export survives; owned names not written this time disappear, so the
 * directory never mixes two exports.
 */
export function replaceDirectory(dir: string, files: Record<string, string>, owned: ReadonlySet<string>): void {
  const target = existsSync(dir) ? realpathSync(dir) : resolve(dir);
  const parent = dirname(target);
  const base = basename(target);
  mkdirSync(parent, { recursive: true });
  recoverScratch(parent, base, target);

  const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const fresh = join(parent, `.${base}.export-new-${id}`);
  mkdirSync(fresh);
  try {
    const old = existsSync(target) ? statSync(target) : undefined;
    if (old && !old.isDirectory()) throw new Error(`${dir} exists and is not a directory`);
    if (old) chmodSync(fresh, old.mode & 0o7777);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fresh, name)), { recursive: true });
      writeFileSync(join(fresh, name), text);
    }
    if (old) {
      const written = new Set(Object.keys(files).map((f) => f.split(/[\\/]/)[0]));
      for (const entry of readdirSync(target)) {
        if (!owned.has(entry) && !written.has(entry)) linkTree(join(target, entry), join(fresh, entry));
      }
    }
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  try {
    swapIn(fresh, target, join(parent, `.${base}.export-old-${id}`));
  } catch (error) {
    // A mount point (a container volume, say) cannot be renamed: there each file is replaced whole,
    // one rename each, but the set is not swapped as one.
    if (!['EBUSY', 'EXDEV'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    replaceFiles(target, files, owned, id);
  }
}

/** The fallback: write into a scratch directory inside `dir`, then rename each entry into place. */
function replaceFiles(dir: string, files: Record<string, string>, owned: ReadonlySet<string>, id: string): void {
  const scratch = join(dir, `.export-new-${id}`);
  mkdirSync(scratch);
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, name)), { recursive: true });
      writeFileSync(join(scratch, name), text);
    }
    const written = new Set(Object.keys(files).map((f) => f.split(/[\\/]/)[0]));
    for (const name of owned) if (!written.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
    for (const name of written) {
      if (lstatSync(join(scratch, name)).isDirectory()) rmSync(join(dir, name), { recursive: true, force: true });
      renameSync(join(scratch, name), join(dir, name));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The two renames; if the second fails, the first is undone so the old set stays where it was. */
function swapIn(fresh: string, target: string, aside: string): void {
  let moved = false;
  try {
    if (existsSync(target)) {
      renameSync(target, aside);
      moved = true;
    }
    renameSync(fresh, target);
  } catch (error) {
    if (moved) renameSync(aside, target);
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  if (moved) rmSync(aside, { recursive: true, force: true });
}

/**
 * Scratch left by an export that died: a set moved aside whose replacement never arrived is put
 * back (it is the last complete export), and the rest is removed. Only scratch of processes that
 * are gone is touched, so an export running elsewhere keeps its own.
 */
function recoverScratch(parent: string, base: string, target: string): void {
  const pattern = scratchPattern(base);
  for (const name of readdirSync(parent)) {
    const m = pattern.exec(name);
    if (!m || processAlive(Number(m[2]))) continue;
    const path = join(parent, name);
    if (m[1] === 'old' && !existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Recreates `from` at `to`: directories anew, files as hard links (a copy where linking fails). */
function linkTree(from: string, to: string): void {
  const st = lstatSync(from);
  if (st.isDirectory()) {
    mkdirSync(to);
    chmodSync(to, st.mode & 0o7777);
    for (const entry of readdirSync(from)) linkTree(join(from, entry), join(to, entry));
  } else if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
}
