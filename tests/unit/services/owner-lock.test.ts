// The start lock: a dead holder's lock is taken, a live one waited for, and two starters that
// found the same dead holder never both go ahead.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processIdentity, removeStaleLock, withStartLock, type ProcessIdentity } from "@/lib/services/owner-lock";

let tmp: string;
let lock: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "owner-lock-test-"));
  lock = path.join(tmp, "service.lock");
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A holder that has ended: this pid, but started at another time (as a reused pid would be). */
const deadProcess = (): ProcessIdentity => ({ ...processIdentity(process.pid)!, startTicks: "0" });

const me = () => processIdentity(process.pid)!;

describe("the start lock", () => {
  it("takes a lock its holder left behind by dying, and removes it when done", async () => {
    fs.writeFileSync(lock, JSON.stringify(deadProcess()));
    const held = await withStartLock(lock, async () => JSON.parse(fs.readFileSync(lock, "utf8")) as ProcessIdentity, { waitMs: 2_000 });
    expect(held.pid).toBe(process.pid);
    expect(fs.existsSync(lock)).toBe(false);
    expect(fs.existsSync(`${lock}.takeover`)).toBe(false);
  });

  it("waits for a live holder, and gives up after waitMs naming it", async () => {
    fs.writeFileSync(lock, JSON.stringify(me()));
    await expect(withStartLock(lock, async () => "ran", { waitMs: 300, what: "Another starter" })).rejects.toThrow(`Another starter has been starting for too long (pid ${process.pid}`);
    expect(JSON.parse(fs.readFileSync(lock, "utf8"))).toMatchObject({ pid: process.pid });
  });

  it("never removes the lock a second starter made after the dead one was seen", () => {
    const dead = JSON.stringify(deadProcess());
    fs.writeFileSync(lock, dead);
    // Two starters read the dead holder's lock. The first removes it and creates its own...
    expect(removeStaleLock(lock, dead, me())).toBe(true);
    const fresh = JSON.stringify(me());
    fs.writeFileSync(lock, fresh, { flag: "wx" });
    // ...and the second, acting on what it read before, must leave that one alone.
    expect(removeStaleLock(lock, dead, me())).toBe(false);
    expect(fs.readFileSync(lock, "utf8")).toBe(fresh);
  });

  it("leaves a lock alone while another starter is taking it over, and clears a takeover its starter died in", () => {
    const dead = JSON.stringify(deadProcess());
    fs.writeFileSync(lock, dead);
    fs.writeFileSync(`${lock}.takeover`, JSON.stringify(me()));
    expect(removeStaleLock(lock, dead, me())).toBe(false);
    expect(fs.readFileSync(lock, "utf8")).toBe(dead);
    fs.writeFileSync(`${lock}.takeover`, dead);
    // The dead starter's takeover goes first; the next try takes the lock.
    expect(removeStaleLock(lock, dead, me())).toBe(false);
    expect(removeStaleLock(lock, dead, me())).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
  });
});
