/**
 * File access that survives hostile paths and faults: reads take regular files
 * only (no FIFO that never ends, no /dev/zero behind a symlink, no directory),
 * opened without blocking and checked on the open handle, with a size limit
 * checked before anything is read; writes are atomic (temporary file in the
 * same folder, fsync, rename, fsync of the folder) and refuse the kernel's
 * pseudo file systems.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { EngramError, ErrorCodes, type ErrorCode } from '../errors/index.js';

/** Folders engram never reads model or data files from, nor writes to: the kernel's pseudo file systems. */
const PSEUDO = ['/proc', '/sys', '/dev'];

const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** Options of {@link readRegularFile}. */
export interface ReadFileOptions {
  /** Most bytes accepted (the file's size is checked before reading). */
  maxBytes: number;
  /** Error code for a missing, irregular or oversized file. */
  code: ErrorCode;
  /** What the file is, for messages ('weights file', 'model spec'). */
  what: string;
  /** What to do about it, appended to messages. */
  remedy?: string;
}

/**
 * Reads a whole regular file of at most `maxBytes`. FIFOs, devices, sockets,
 * directories and files under /proc, /sys, /dev are refused with `code`,
 * never read.
 */
export async function readRegularFile(path: string, o: ReadFileOptions): Promise<Uint8Array> {
  const fail = (why: string, cause?: unknown): EngramError =>
    new EngramError(o.code, `${path}: cannot read the ${o.what}: ${why}${o.remedy ? `; ${o.remedy}` : ''}`, { source: path, why }, cause === undefined ? undefined : { cause });
  if (typeof path !== 'string' || path.length === 0) throw fail('the path must be a non-empty string');
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    throw fail(`${(err as NodeJS.ErrnoException).code ?? 'not found'}${o.remedy ? '' : ': check the path'}`, err);
  }
  if (PSEUDO.some((d) => inside(real, d))) throw fail(`it resolves to ${real}, a kernel pseudo file, not a regular file`);
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fail(`${(err as NodeJS.ErrnoException).code ?? 'error'}`, err);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw fail('it is not a regular file (a FIFO, device, socket or directory)');
    if (st.size > o.maxBytes) throw fail(`it has ${st.size} bytes, more than the limit of ${o.maxBytes}`);
    const bytes = new Uint8Array(st.size);
    let done = 0;
    while (done < st.size) {
      const { bytesRead } = await handle.read(bytes, done, st.size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done !== st.size) throw fail(`it changed while being read (${done} of ${st.size} bytes)`);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** The synchronous twin of {@link readRegularFile}, for synchronous loaders. */
export function readRegularFileSync(path: string, o: ReadFileOptions): Uint8Array {
  const fail = (why: string, cause?: unknown): EngramError =>
    new EngramError(o.code, `${path}: cannot read the ${o.what}: ${why}${o.remedy ? `; ${o.remedy}` : ''}`, { source: path, why }, cause === undefined ? undefined : { cause });
  if (typeof path !== 'string' || path.length === 0) throw fail('the path must be a non-empty string');
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw fail(`${(err as NodeJS.ErrnoException).code ?? 'not found'}${o.remedy ? '' : ': check the path'}`, err);
  }
  if (PSEUDO.some((d) => inside(real, d))) throw fail(`it resolves to ${real}, a kernel pseudo file, not a regular file`);
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fail(`${(err as NodeJS.ErrnoException).code ?? 'error'}`, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fail('it is not a regular file (a FIFO, device, socket or directory)');
    if (st.size > o.maxBytes) throw fail(`it has ${st.size} bytes, more than the limit of ${o.maxBytes}`);
    const bytes = new Uint8Array(st.size);
    let done = 0;
    while (done < st.size) {
      const n = readSync(fd, bytes, done, st.size - done, done);
      if (n === 0) break;
      done += n;
    }
    if (done !== st.size) throw fail(`it changed while being read (${done} of ${st.size} bytes)`);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * Resolves `name` (from a spec) against the spec's folder: a plain file name
 * or a relative path that stays inside that folder. Absolute paths, '..'
 * escapes and non-strings are ENGRAM_ERR_INVALID_SPEC.
 */
export function fileBesideSpec(specPath: string, name: unknown, what: string): string {
  const dir = resolve(dirname(specPath));
  const bad = (why: string): EngramError =>
    new EngramError(ErrorCodes.INVALID_SPEC, `${specPath}: ${what} must be a file name or a relative path inside the spec's folder, ${why}`, { source: specPath, value: name });
  if (typeof name !== 'string' || name.length === 0) throw bad(`got ${JSON.stringify(name) ?? String(name)}`);
  if (name.startsWith('/') || name.includes('\0') || /^[A-Za-z]:[\\/]/.test(name)) throw bad(`got the absolute path '${name}'`);
  const target = resolve(dir, name);
  if (!inside(target, dir) || target === dir) throw bad(`got '${name}', which leaves it`);
  return target;
}

/** Refuses to write into the kernel's pseudo file systems (writes there can spin or hang). */
async function checkWritableFolder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const real = await realpath(dir);
  if (PSEUDO.some((d) => inside(real, d))) {
    throw new EngramError(ErrorCodes.INVALID_ARGUMENT, `${dir}: refusing to write into ${real}, a kernel pseudo file system: save to a normal folder`, { path: dir });
  }
  return real;
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder,
 * fsync, rename over `path`, fsync of the folder. After a crash at any point,
 * `path` holds either its old content or the new one, never a mix.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const dir = await checkWritableFolder(dirname(resolve(path)));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, join(dir, basename(path)));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncFolder(dir);
}

/** fsync a folder so a rename in it survives a crash (best effort: not every file system allows it). */
export async function syncFolder(dir: string): Promise<void> {
  try {
    const fh = await open(dir, constants.O_RDONLY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/** Removes a file, ignoring a missing one. */
export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
