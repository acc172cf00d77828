import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyToSharedDir, createFile, isSharedDirOf, makeSharedDir, openForAppend, replaceFile, setFolder } from "@/lib/services/shared-dirs";

const isRoot = process.getuid?.() === 0;
const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
// Any ids do as root: chown needs no such user.
const someoneElse = { uid: 4_242_001, gid: 4_242_001 };

let tmp: string;
/** A folder standing for a victim: what a planted link points at, checked to be left as it was. */
let victim: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shared-dirs-test-"));
  victim = path.join(tmp, "victim");
  fs.mkdirSync(victim, { mode: 0o700 });
  fs.writeFileSync(path.join(victim, "secret"), "keep", { mode: 0o600 });
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function untouched() {
  const folder = fs.statSync(victim);
  expect({ mode: folder.mode & 0o777, uid: folder.uid, gid: folder.gid }).toEqual({ mode: 0o700, ...me });
  expect(fs.readFileSync(path.join(victim, "secret"), "utf8")).toBe("keep");
}

describe("makeSharedDir", () => {
  it("makes a new, empty folder each time, under an unguessable name, that every user may enter", () => {
    const made = Array.from({ length: 5 }, () => makeSharedDir("trending-papers-x-", undefined, tmp));
    expect(new Set(made).size).toBe(5);
    for (const dir of made) {
      expect(path.dirname(dir)).toBe(tmp);
      expect(path.basename(dir)).toMatch(/^trending-papers-x-[A-Za-z0-9]{6}$/);
      const stat = fs.lstatSync(dir);
      expect({ directory: stat.isDirectory(), mode: stat.mode & 0o777, entries: fs.readdirSync(dir) }).toEqual({ directory: true, mode: 0o755, entries: [] });
    }
  });

  it("never uses what was planted at a name in the temp folder", () => {
    const dir = makeSharedDir("planted-", undefined, tmp);
    // Whatever anyone guesses, a later call makes another folder rather than taking theirs.
    fs.rmSync(dir, { recursive: true });
    fs.symlinkSync(victim, dir);
    const next = makeSharedDir("planted-", undefined, tmp);
    expect(next).not.toBe(dir);
    expect(fs.lstatSync(next).isSymbolicLink()).toBe(false);
    untouched();
  });

  it.runIf(isRoot)("as root, hands the folder to its owner", () => {
    const dir = makeSharedDir("owned-", someoneElse, tmp);
    expect(fs.statSync(dir)).toMatchObject({ uid: someoneElse.uid, gid: someoneElse.gid });
    expect(isSharedDirOf(dir, someoneElse)).toBe(true);
    expect(isSharedDirOf(dir, me)).toBe(false);
  });
});

describe("setFolder", () => {
  it("changes the folder itself", () => {
    const dir = path.join(tmp, "dir");
    fs.mkdirSync(dir, { mode: 0o700 });
    setFolder(dir, { mode: 0o755, owner: me });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o755);
  });

  it("refuses a symbolic link in its place, to a folder or to a file, and changes nothing behind it", () => {
    const link = path.join(tmp, "link");
    fs.symlinkSync(victim, link);
    expect(() => setFolder(link, { mode: 0o777, owner: isRoot ? someoneElse : me })).toThrow(/is a symbolic link/);
    const fileLink = path.join(tmp, "file-link");
    fs.symlinkSync(path.join(victim, "secret"), fileLink);
    expect(() => setFolder(fileLink, { mode: 0o777 })).toThrow(/is a symbolic link/);
    untouched();
  });

  it("refuses a file", () => {
    expect(() => setFolder(path.join(victim, "secret"), { mode: 0o777 })).toThrow(/is not a folder/);
    untouched();
  });
});

describe("isSharedDirOf", () => {
  it("accepts only the folder itself, owned by that user and group, writable by no one else", () => {
    const dir = makeSharedDir("check-", undefined, tmp);
    expect(isSharedDirOf(dir, me)).toBe(true);
    const link = path.join(tmp, "link");
    fs.symlinkSync(dir, link);
    expect(isSharedDirOf(link, me)).toBe(false);
    expect(isSharedDirOf(dir, { uid: me.uid + 1, gid: me.gid })).toBe(false);
    expect(isSharedDirOf(dir, { uid: me.uid, gid: me.gid + 1 })).toBe(false);
    expect(isSharedDirOf(path.join(tmp, "missing"), me)).toBe(false);
    expect(isSharedDirOf(path.join(victim, "secret"), me)).toBe(false);
    fs.chmodSync(dir, 0o775);
    expect(isSharedDirOf(dir, me)).toBe(false);
    fs.chmodSync(dir, 0o757);
    expect(isSharedDirOf(dir, me)).toBe(false);
  });
});

describe("copyToSharedDir", () => {
  it("copies a folder's files, modes and links into a new shared folder", () => {
    const source = path.join(tmp, "native");
    fs.mkdirSync(path.join(source, "bin"), { recursive: true });
    fs.mkdirSync(path.join(source, "lib"));
    fs.writeFileSync(path.join(source, "bin", "postgres"), "#!/bin/sh\n", { mode: 0o755 });
    fs.writeFileSync(path.join(source, "lib", "libpq.so.5.18"), "lib");
    fs.symlinkSync("libpq.so.5.18", path.join(source, "lib", "libpq.so.5"));
    const copy = copyToSharedDir(source, "bin-", tmp);
    const again = copyToSharedDir(source, "bin-", tmp);
    expect(again).not.toBe(copy);
    expect(fs.statSync(copy).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(copy, "bin", "postgres")).mode & 0o777).toBe(0o755);
    expect(fs.readlinkSync(path.join(copy, "lib", "libpq.so.5"))).toBe("libpq.so.5.18");
    expect(fs.readFileSync(path.join(copy, "lib", "libpq.so.5"), "utf8")).toBe("lib");
  });
});

describe("files root writes where the postgres user could plant links", () => {
  it("createFile makes a new file and refuses any file or link already of that name", () => {
    const file = path.join(tmp, ".pw-1");
    createFile(file, "secret\n", 0o600, me);
    expect(fs.readFileSync(file, "utf8")).toBe("secret\n");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(() => createFile(file, "again", 0o600)).toThrow(/EEXIST/);
    const link = path.join(tmp, ".pw-2");
    fs.symlinkSync(path.join(victim, "secret"), link);
    expect(() => createFile(link, "overwritten", 0o600)).toThrow(/EEXIST/);
    untouched();
  });

  it("replaceFile puts a new file in place of a planted link instead of writing through it", () => {
    const file = path.join(tmp, "postgres.json");
    fs.symlinkSync(path.join(victim, "secret"), file);
    replaceFile(file, '{"port":1}', 0o600);
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(file, "utf8")).toBe('{"port":1}');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(tmp).sort()).toEqual(["postgres.json", "victim"]);
    untouched();
  });

  it("openForAppend appends to the file and refuses a link in its place", () => {
    const file = path.join(tmp, "postgres.log");
    for (const line of ["one\n", "two\n"]) {
      const fd = openForAppend(file, 0o644);
      fs.writeSync(fd, line);
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(file, "utf8")).toBe("one\ntwo\n");
    const link = path.join(tmp, "linked.log");
    fs.symlinkSync(path.join(victim, "secret"), link);
    expect(() => openForAppend(link, 0o644)).toThrow(/is a symbolic link/);
    untouched();
  });
});
