// Folders and files root shares with the postgres user: made fresh under unguessable names, changed only through descriptors that refuse a symbolic link.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type Owner = { uid: number; gid: number };

const { O_APPEND, O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_RDONLY, O_WRONLY } = fs.constants;

/** The error for an open that O_NOFOLLOW or O_DIRECTORY refused, saying which (the kernel's codes overlap). */
function refusal(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== "ELOOP" && code !== "ENOTDIR") return error;
  const link = fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  return new Error(`${file} is ${link ? "a symbolic link" : "not a folder"}; refusing to use it for the embedded Postgres.`, { cause: error });
}

/**
 * Sets the mode and owner of the folder `dir` itself, through a descriptor opened with O_NOFOLLOW:
 * a symbolic link in its place (or anything but a folder) is refused, never followed.
 */
export function setFolder(dir: string, change: { mode?: number; owner?: Owner }): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    throw refusal(dir, error);
  }
  try {
    if (change.mode !== undefined) fs.fchmodSync(fd, change.mode);
    if (change.owner) fs.fchownSync(fd, change.owner.uid, change.owner.gid);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A new, empty folder `<parent>/<prefix>XXXXXX` (mkdtemp: a random name, created by this call, so
 * nothing planted in the temp folder can stand in for it) that every user may enter (0755), owned
 * by `owner` when given.
 */
export function makeSharedDir(prefix: string, owner?: Owner, parent = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  setFolder(dir, { mode: 0o755, owner });
  return dir;
}

/** A copy of the folder `source` in a new shared folder (see makeSharedDir) that this process owns. */
export function copyToSharedDir(source: string, prefix: string, parent = os.tmpdir()): string {
  const dir = makeSharedDir(prefix, undefined, parent);
  try {
    fs.cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/**
 * Is `dir` still a folder made for `owner` by makeSharedDir (to be used again)? It must be the
 * folder itself, not a link, owned by `owner` and writable by no one else.
 */
export function isSharedDirOf(dir: string, owner: Owner): boolean {
  try {
    const stat = fs.lstatSync(dir);
    return stat.isDirectory() && stat.uid === owner.uid && stat.gid === owner.gid && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Creates `file` with `data` and `mode`, owned by `owner` when given; any file or link already of that name is refused (O_EXCL). */
export function createFile(file: string, data: string, mode: number, owner?: Owner): void {
  const fd = fs.openSync(file, "wx", mode);
  try {
    if (owner) fs.fchownSync(fd, owner.uid, owner.gid);
    fs.writeSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `file` anew by renaming a fresh file over it: a link planted at that name is replaced, never written through. */
export function replaceFile(file: string, data: string, mode: number): void {
  const fresh = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  createFile(fresh, data, mode);
  try {
    fs.renameSync(fresh, file);
  } catch (error) {
    fs.rmSync(fresh, { force: true });
    throw error;
  }
}

/** A descriptor appending to `file` (created with `mode` if missing); a link in its place is refused. */
export function openForAppend(file: string, mode: number): number {
  try {
    return fs.openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, mode);
  } catch (error) {
    throw refusal(file, error);
  }
}
