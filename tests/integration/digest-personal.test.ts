// Personal digests against real Postgres, Meilisearch and an SMTP server: topics, followed keywords
// and authors, weekly cadence, never the same paper twice, empty days, preferences changed after a
// freeze, and two senders at once, counted in what the SMTP server received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freezeDigest } from "@/lib/digest/plan";
import { computeDigest } from "@/lib/digest/build";
import { closeMailTransport } from "@/lib/mail/transport";
import { engineConfig, setSearchConnection } from "@/lib/search/engine";
import { reindexSearch } from "@/lib/search/sync";
import { startSmtp, type TestSmtp } from "./smtp";
import { paperIds, sendDigestTo } from "./digest-run";
import { createAppDatabase, insertPapers, type TestDatabase, type TestPaper } from "./test-db";

const INDEX = `papers_personal_${Date.now()}`;
let database: TestDatabase;
let smtp: TestSmtp;


// 2026-06-15 is a Monday.
const PAPERS: TestPaper[] = [
  { id: "2606.10001", title: "Grasping by imitation", categories: ["cs.RO"], day: "2026-06-15", votes: 50 },
  { id: "2606.10002", title: "Vision transformers at scale", categories: ["cs.CV"], day: "2026-06-15", votes: 80 },
  { id: "2606.10003", title: "A quiet diffusion policy for manipulation", categories: ["cs.LG"], day: "2026-06-15", votes: 0, abstract: "We train a diffusion policy on demonstrations." },
  { id: "2606.10004", title: "Sparse attention with memory", categories: ["cs.CL"], day: "2026-06-15", votes: 30, authors: ["Jürgen Schmidhuber", "Ada Lovelace"] },
  { id: "2606.10005", title: "Legged locomotion from pixels", categories: ["cs.LG", "cs.RO"], day: "2026-06-15", votes: 60 },
  { id: "2606.10006", title: "Dexterous hands in simulation", categories: ["cs.RO"], day: "2026-06-16", votes: 40 },
  { id: "2606.10007", title: "Object detection revisited", categories: ["cs.CV"], day: "2026-06-16", votes: 10 },
  { id: "2606.10008", title: "Mobile manipulation benchmarks", categories: ["cs.RO"], day: "2026-06-17", votes: 20 },
  { id: "2606.10009", title: "Graph networks for molecules", categories: ["cs.LG"], day: "2026-06-18", votes: 15 },
  { id: "2606.10010", title: "Language models that plan", categories: ["cs.CL"], day: "2026-06-19", votes: 25 },
  { id: "2606.10011", title: "Robot learning from video", categories: ["cs.RO"], day: "2026-06-22", votes: 5 },
];

beforeAll(async () => {
  database = await createAppDatabase();
  await insertPapers(database.pool, PAPERS);
  setSearchConnection({ url: inject("meiliUrl"), key: inject("meiliMasterKey"), index: INDEX });
  const admin = await engineConfig("admin");
  if (!admin) throw new Error("no search engine");
  await reindexSearch(database.pool, admin);
  smtp = await startSmtp();
});

afterAll(async () => {
  closeMailTransport();
  await smtp.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE digest, subscriber CASCADE`);
  smtp.reset();
});

type Preferences = Partial<{ categories: string[]; keywords: string[]; authors: string[]; cadence: string; weekly_day: number; send_empty: boolean; cross_lists: boolean }>;

async function subscriber(name: string, preferences: Preferences = {}): Promise<string> {
  const email = `${name}@example.org`;
  await database.pool.query(
    `INSERT INTO subscriber (email, status, confirmed_at, categories, keywords, authors, cadence, weekly_day, send_empty, cross_lists)
     VALUES ($1, 'confirmed', now(), $2, $3, $4, $5, $6, $7, $8)`,
    [email, preferences.categories ?? [], preferences.keywords ?? [], preferences.authors ?? [], preferences.cadence ?? "daily", preferences.weekly_day ?? 1, preferences.send_empty ?? false, preferences.cross_lists ?? true],
  );
  return email;
}

const send = (date: string) => sendDigestTo(smtp.url, { date });


describe("a personal digest", () => {
  it("holds only papers in the subscriber's topics, cross-lists included, each saying why", async () => {
    const robotics = await subscriber("robotics", { categories: ["cs.RO"] });
    const primaryOnly = await subscriber("primary", { categories: ["cs.RO"], cross_lists: false });
    const everyone = await subscriber("everyone");
    await send("2026-06-15");
    const [mail] = smtp.to(robotics);
    expect(smtp.to(robotics)).toHaveLength(1);
    expect(paperIds(mail!)).toEqual(["2606.10005", "2606.10001"]);
    expect(mail!.text).toContain("in cs.RO · trending #2 today");
    expect(mail!.subject).toMatch(/^Your papers for June 15, 2026: Legged locomotion/);
    expect(paperIds(smtp.to(primaryOnly)[0]!)).toEqual(["2606.10001"]);
    // Without preferences: the day's digest as everyone gets it, every category.
    expect(paperIds(smtp.to(everyone)[0]!)).toEqual(["2606.10002", "2606.10005", "2606.10001", "2606.10004", "2606.10003"]);
    expect(smtp.to(everyone)[0]!.subject).toMatch(/^Trending papers for/);
  });

  it("brings a zero-vote paper that matches a followed phrase, and a paper by a followed author spelled with an initial and no accent", async () => {
    const follower = await subscriber("follower", { categories: ["cs.CV"], keywords: ["diffusion policy"], authors: ["J. Schmidhuber"] });
    await send("2026-06-15");
    const mail = smtp.to(follower)[0]!;
    expect(paperIds(mail)).toEqual(["2606.10002", "2606.10004", "2606.10003"]);
    expect(mail.text).toContain("matches “diffusion policy”");
    expect(mail.text).toContain("by Jürgen Schmidhuber");
  });

  it("on a day with nothing for them: no mail, unless they asked for one", async () => {
    const quiet = await subscriber("quiet", { categories: ["hep-th"] });
    const wantsEmpty = await subscriber("wants-empty", { categories: ["hep-th"], send_empty: true });
    const result = await send("2026-06-15");
    expect(result.outcome).toBe("sent");
    expect(smtp.to(quiet)).toHaveLength(0);
    expect(smtp.to(wantsEmpty)).toHaveLength(1);
    expect(smtp.to(wantsEmpty)[0]!.text).toContain("Nothing new matched your topics and follows");
  });

  it("weekly: one mail a week, on the chosen day, with the week's papers", async () => {
    const weekly = await subscriber("weekly", { categories: ["cs.RO"], cadence: "weekly", weekly_day: 3 });
    const daily = await subscriber("daily", { categories: ["cs.RO"] });
    for (const day of ["2026-06-15", "2026-06-16", "2026-06-17", "2026-06-18", "2026-06-19", "2026-06-22"]) await send(day);
    const mails = smtp.to(weekly);
    expect(mails).toHaveLength(1);
    // Wednesday 2026-06-17: the week 06-11 to 06-17, cs.RO papers in the week's trending order
    // (votes decay with age: Tuesday's 40 votes outrank Monday's 50).
    expect(paperIds(mails[0]!)).toEqual(["2606.10005", "2606.10006", "2606.10001", "2606.10008"]);
    expect(mails[0]!.subject).toMatch(/^Your weekly papers, June 11 – 17, 2026: Legged locomotion/);
    expect(mails[0]!.text).toMatch(/in cs\.RO · trending #2 this week/);
    // The daily subscriber got a mail on each day with a cs.RO paper.
    expect(smtp.to(daily)).toHaveLength(4);
  });

  it("never sends a paper twice across days, even when a week overlaps the days already mailed", async () => {
    const switcher = await subscriber("switcher", { categories: ["cs.RO"] });
    await send("2026-06-15");
    expect(paperIds(smtp.to(switcher)[0]!)).toEqual(["2606.10005", "2606.10001"]);
    await database.pool.query(`UPDATE subscriber SET cadence = 'weekly', weekly_day = 2 WHERE email = $1`, [switcher]);
    await send("2026-06-16");
    const mails = smtp.to(switcher);
    expect(mails).toHaveLength(2);
    // The week to Tuesday holds 10005 and 10001 as well: they were sent on Monday.
    expect(paperIds(mails[1]!)).toEqual(["2606.10006"]);
  });

  it("changed preferences apply from the next digest: a frozen one sends what it froze", async () => {
    const changer = await subscriber("changer", { categories: ["cs.RO"] });
    await freezeDigest(await computeDigest("2026-06-16", 10));
    await database.pool.query(`UPDATE subscriber SET categories = '{cs.CV}' WHERE email = $1`, [changer]);
    await send("2026-06-16");
    expect(paperIds(smtp.to(changer)[0]!)).toEqual(["2606.10006"]);
    await send("2026-06-17");
    // No cs.CV paper on 06-17: nothing, and no mail.
    expect(smtp.to(changer)).toHaveLength(1);
    await database.pool.query(`UPDATE subscriber SET categories = '{cs.RO}' WHERE email = $1`, [changer]);
    await send("2026-06-22");
    expect(paperIds(smtp.to(changer)[1]!)).toEqual(["2606.10011"]);
  });

  it("two senders at once: one mail per subscriber, each with their own edition, and equal preferences share one edition", async () => {
    const robotics = await Promise.all(Array.from({ length: 6 }, (_, i) => subscriber(`robot${i}`, { categories: ["cs.RO"] })));
    const vision = await Promise.all(Array.from({ length: 6 }, (_, i) => subscriber(`vision${i}`, { categories: ["cs.CV"] })));
    const plain = await Promise.all(Array.from({ length: 6 }, (_, i) => subscriber(`plain${i}`)));
    await Promise.all([send("2026-06-15"), send("2026-06-15")]);
    for (const email of [...robotics, ...vision, ...plain]) expect(smtp.to(email)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(18);
    for (const email of robotics) expect(paperIds(smtp.to(email)[0]!)).toEqual(["2606.10005", "2606.10001"]);
    for (const email of vision) expect(paperIds(smtp.to(email)[0]!)).toEqual(["2606.10002"]);
    const { rows } = await database.pool.query<{ editions: number; personal: number; shared: number }>(
      `SELECT (SELECT count(*)::int FROM digest_edition) AS editions,
              (SELECT count(*)::int FROM delivery WHERE edition_id IS NOT NULL) AS personal,
              (SELECT count(*)::int FROM delivery WHERE edition_id IS NULL) AS shared`,
    );
    expect(rows[0]).toEqual({ editions: 2, personal: 12, shared: 6 });
  });

  it("each mail links to changing its own topics and schedule", async () => {
    const robotics = await subscriber("links", { categories: ["cs.RO"] });
    await send("2026-06-15");
    const mail = smtp.to(robotics)[0]!;
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id::text FROM subscriber WHERE email = $1`, [robotics]);
    expect(String(mail.html)).toMatch(new RegExp(`href="http://localhost:3000/account/digest\\?token=m\\.${rows[0]!.id}\\.[0-9a-z]+\\.[A-Za-z0-9_-]{32}"`));
    expect(String(mail.html)).not.toContain("manage.invalid");
  });
});
