import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFile } from "@/lib/ingest/parse-file";
import { describeIssues, LISTED_RANK, paperRecordSchema, type PaperCandidate, type ParseEvent } from "@/lib/ingest/paper";
import { parseAtomXml, readAtomPage } from "@/lib/ingest/parsers/arxiv-atom";
import { parseOaiXml, readOaiPage, splitAuthors } from "@/lib/ingest/parsers/arxiv-oai";
import { readXml } from "@/lib/ingest/parsers/arxiv-xml";

const ATOM = "tests/fixtures/arxiv-atom";
const SEARCH = `${ATOM}/q_testing_s0_m100_cfe7536492ca.xml`;
const NEW_ID = `${ATOM}/id_1605.08386_s0_m100_199195aa31ad.xml`;
const VERSIONED_ID = `${ATOM}/id_2104.12255v1_s0_m100_6ae69987ffe1.xml`;
const OLD_ID = `${ATOM}/id_astro-ph_0601001_s0_m100_3150dca9dc76.xml`;
const EMPTY = `${ATOM}/id_0000.0000_s0_m100_8b51d9633a68.xml`;
const API_ERROR = `${ATOM}/id_abc_s0_m100_b79c8dcf6bc3.xml`;
const OAI = "tests/fixtures/arxiv-oai";
const RAW_LIST = `${OAI}/arxivraw-listrecords.xml`;
const RAW_GET = `${OAI}/arxivraw-getrecord.xml`;
const ARXIV_LIST = `${OAI}/arxiv-listrecords-hep-th.xml`;
const NO_RECORDS = `${OAI}/error-norecordsmatch.xml`;
const BAD_TOKEN = `${OAI}/error-badresumptiontoken.xml`;

const read = (file: string) => readFileSync(file, "utf8");
const atom = (file: string) => parseAtomXml(read(file), file);
const oai = (file: string) => parseOaiXml(read(file), file);
const kinds = (events: ParseEvent[]) => events.map((event) => event.kind);

function recordOf(event: ParseEvent | undefined): PaperCandidate {
  if (event?.kind !== "record") throw new Error(`expected a record, got ${JSON.stringify(event)}`);
  return event.candidate;
}

/** What the ingest run does with each record: the same schema, with the same messages. */
function expectAllValid(events: ParseEvent[]): void {
  for (const event of events) {
    const result = paperRecordSchema.safeParse(recordOf(event));
    if (!result.success) throw new Error(`${JSON.stringify(event)}: ${describeIssues(result.error)}`);
  }
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "arxiv-xml-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(file: string, onBytes?: (bytes: number) => void): Promise<ParseEvent[]> {
  const events: ParseEvent[] = [];
  for await (const event of parseFile(file, { today: "2026-11-27", onBytes })) events.push(event);
  return events;
}

describe("parseAtomXml on the real arXiv API responses", () => {
  it("maps all 100 entries of a search, located file#N, with the first one in full", () => {
    const events = atom(SEARCH);
    expect(events).toHaveLength(100);
    expectAllValid(events);
    expect(events.map((event) => event.kind === "record" && event.location)).toEqual(
      Array.from({ length: 100 }, (_, index) => `${SEARCH}#${index + 1}`),
    );
    expect(new Set(events.map((event) => recordOf(event).id)).size).toBe(100);
    expect(recordOf(events[0])).toMatchObject({
      id: "2202.12139",
      title: "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques",
      authors: ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"],
      categories: ["cs.SE", "cs.LG"],
      comment: "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022",
      journalRef: expect.stringMatching(/^Artificial Intelligence in Software Testing @ 2022 IEEE/),
      doi: "10.1109/ICSTW55395.2022.00035",
      license: null,
      publishedAt: "2022-02-24T15:05:19.000Z",
      sourceUpdatedAt: "2022-02-24T15:05:19.000Z",
      listedAt: "2022-02-24",
      listedRank: LISTED_RANK.arxiv,
      source: "arxiv-api",
      externalId: "http://arxiv.org/abs/2202.12139v1",
    });
    expect(recordOf(events[0]).abstract).toMatch(/^Deep Learning \(DL\) has revolutionized .* discuss its results\.$/);
    // &amp; in the feed is one "&" in the title.
    expect(recordOf(events[4]).title).toBe("ChatGPT and Software Testing Education: Promises & Perils");
  });

  it("keeps the slash of old-style ids in a search, and the last update apart from the first version", () => {
    const events = atom(SEARCH);
    expect(recordOf(events[88])).toMatchObject({
      id: "hep-ph/0301050",
      externalId: "http://arxiv.org/abs/hep-ph/0301050v2",
      publishedAt: "2003-01-08T20:15:43.000Z",
      listedAt: "2003-01-08",
    });
    const updated = events.map(recordOf).filter((paper) => paper.sourceUpdatedAt !== paper.publishedAt);
    expect(updated.length).toBeGreaterThan(0);
    for (const paper of updated) expect(paper.sourceUpdatedAt! > paper.publishedAt!).toBe(true);
  });

  it("reads an old-style id lookup with its slash, journal ref and decoded entities", () => {
    const events = atom(OLD_ID);
    expect(events).toHaveLength(1);
    expectAllValid(events);
    const paper = recordOf(events[0]);
    expect(paper).toMatchObject({
      id: "astro-ph/0601001",
      externalId: "http://arxiv.org/abs/astro-ph/0601001v1",
      authors: ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"],
      categories: ["astro-ph"],
      journalRef: "ActaAstron.56:1-50,2006",
      doi: null,
      publishedAt: "2006-01-02T14:57:58.000Z",
    });
    expect(paper.abstract).toMatch(/^We derive the frequencies/);
    expect(paper.abstract).toContain("Gould & Morgan (2003)");
    expect(paper.abstract).toContain("V_max<17.5");
  });

  it("drops the version of a versioned id and keeps a title that looks like a number as text", () => {
    const events = atom(VERSIONED_ID);
    expect(events).toHaveLength(1);
    expectAllValid(events);
    expect(recordOf(events[0])).toMatchObject({ id: "2104.12255", title: "0", categories: ["cs.CR"], comment: null });
  });

  it("reads a new-style id lookup with two categories, primary first", () => {
    const events = atom(NEW_ID);
    expect(recordOf(events[0])).toMatchObject({
      id: "1605.08386",
      title: "Heat-bath random walks with Markov bases",
      authors: ["Caprice Stanley", "Tobias Windisch"],
      categories: ["math.CO", "math.ST"],
      comment: "20 pages, 3 figures",
    });
  });

  it("puts the primary category first even when the feed lists it later", () => {
    const xml = read(NEW_ID).replace('<arxiv:primary_category term="math.CO"/>', '<arxiv:primary_category term="math.ST"/>');
    expect(recordOf(parseAtomXml(xml, "x.xml")[0]).categories).toEqual(["math.ST", "math.CO"]);
  });

  it("yields nothing for an empty result", () => {
    expect(atom(EMPTY)).toEqual([]);
    expect(readAtomPage(read(EMPTY))).toEqual({ totalResults: 0, startIndex: 0, itemsPerPage: 100 });
    expect(parseAtomXml('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "x.xml")).toEqual([]);
  });

  it("reports arXiv's error feed as one reject quoting arXiv's message, not as a paper", () => {
    expect(atom(API_ERROR)).toEqual([
      { kind: "reject", location: API_ERROR, reason: "arXiv API error: incorrect id format for abc" },
    ]);
  });

  it("reads the opensearch paging numbers", () => {
    expect(readAtomPage(read(SEARCH))).toEqual({ totalResults: 214881, startIndex: 0, itemsPerPage: 100 });
  });
});

describe("parseOaiXml on the real OAI-PMH responses", () => {
  it("maps the 6 records of an arXivRaw ListRecords page, with first and last version dates", () => {
    const events = oai(RAW_LIST);
    expect(events).toHaveLength(6);
    expectAllValid(events);
    expect(events.map((event) => event.kind === "record" && event.location)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `${RAW_LIST}#${n}`),
    );
    expect(events.map((event) => recordOf(event).id)).toEqual([
      "0704.0471", "0704.0716", "0704.0874", "0704.1109", "0704.1114", "0704.1586",
    ]);
    expect(recordOf(events[0])).toMatchObject({
      title: "Density dependence of the symmetry energy and the nuclear equation of state: A Dynamical and Statistical model perspective",
      // "D.V. Shetty, S.J. Yennello, and G.A. Souliotis": the serial comma is not part of a name.
      authors: ["D.V. Shetty", "S.J. Yennello", "G.A. Souliotis"],
      categories: ["nucl-ex", "nucl-th"],
      comment: "16 pages, 14 figures",
      journalRef: "Phys.Rev.C76:024606,2007; Erratum-ibid.C76:039902,2007",
      // arXiv lists the paper's and the erratum's DOI in one field; kept as given.
      doi: "10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902",
      license: null,
      source: "arxiv-oai",
      externalId: "oai:arXiv.org:0704.0471",
    });
    expect(recordOf(events[0]).abstract).toContain('an extremely " stiff " and " soft " form');
    expect(recordOf(events[1])).toMatchObject({
      authors: ["Christoph Richard"],
      publishedAt: "2007-04-05T12:45:03.000Z",
      sourceUpdatedAt: "2008-11-14T09:07:25.000Z",
      listedAt: "2007-04-05",
      listedRank: LISTED_RANK.arxiv,
      license: "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    });
    expect(recordOf(events[4])).toMatchObject({
      publishedAt: "2007-04-09T20:13:36.000Z",
      sourceUpdatedAt: "2007-04-09T20:13:36.000Z",
    });
  });

  it("maps an arXivRaw GetRecord", () => {
    const events = oai(RAW_GET);
    expect(events).toHaveLength(1);
    expectAllValid(events);
    expect(recordOf(events[0])).toMatchObject({
      id: "1302.2146",
      title: "The Same-Sign Dilepton Signature of RPV/MFV SUSY",
      authors: ["Joshua Berger", "Maxim Perelstein", "Michael Saelim", "Philip Tanedo"],
      categories: ["hep-ph", "hep-ex"],
      comment: "18 pages, 6 figures; v2: References added",
      publishedAt: "2013-02-08T21:00:01.000Z",
      sourceUpdatedAt: "2013-04-02T01:50:08.000Z",
      listedAt: "2013-02-08",
      externalId: "oai:arXiv.org:1302.2146",
    });
  });

  it("maps the 3 records of an arXiv-format ListRecords page with 'Forenames Keyname' authors", () => {
    const events = oai(ARXIV_LIST);
    expect(events).toHaveLength(3);
    expectAllValid(events);
    expect(recordOf(events[0])).toMatchObject({
      id: "1412.8323",
      title: "Toolbox for reconstructing quantum theory from rules on information acquisition",
      authors: ["Philipp A Hoehn"],
      categories: ["quant-ph", "gr-qc", "hep-th", "math-ph", "math.MP", "physics.hist-ph"],
      journalRef: null,
      license: "http://creativecommons.org/licenses/by/4.0/",
      // `created` and `updated` are bare days: midnight UTC.
      publishedAt: "2014-12-29T00:00:00.000Z",
      sourceUpdatedAt: "2017-12-13T00:00:00.000Z",
      listedAt: "2014-12-29",
      source: "arxiv-oai",
    });
    expect(recordOf(events[0]).comment).toMatch(/^78 pages, many figures, graphs and references\. Version accepted for publication/);
    expect(recordOf(events[1])).toMatchObject({
      authors: ["Luis B. Castro", "Edilberto O. Silva"],
      journalRef: "J. Phys. A: Math. Theor. 51 (2018) 035201",
      doi: "10.1088/1751-8121/aa9c53",
    });
    expect(recordOf(events[2])).toMatchObject({
      authors: ["R. A. C. Correa", "D. M. Dantas", "P. H. R. S. Moraes", "A. de Souza Dutra", "C. A. S. Almeida"],
      categories: ["hep-th"],
      comment: null,
    });
  });

  it("yields nothing for noRecordsMatch and one reject for badResumptionToken", () => {
    expect(oai(NO_RECORDS)).toEqual([]);
    expect(oai(BAD_TOKEN)).toEqual([
      {
        kind: "reject",
        location: BAD_TOKEN,
        reason: "OAI-PMH error badResumptionToken: The resumptionToken supplied is illegal for this repository",
      },
    ]);
  });
});

describe("parseOaiXml on variants of the real responses", () => {
  it("reads suffixes, and an old-style OAI identifier with its slash", () => {
    const xml = read(ARXIV_LIST)
      .replace("<forenames>Philipp A</forenames>", "<forenames>Philipp A</forenames><suffix>Jr</suffix>")
      .replace("oai:arXiv.org:1412.8323", "oai:arXiv.org:hep-th/9901001")
      .replace("<id>1412.8323</id>", "<id>hep-th/9901001</id>");
    const paper = recordOf(parseOaiXml(xml, "x.xml")[0]);
    expect(paper).toMatchObject({ id: "hep-th/9901001", externalId: "oai:arXiv.org:hep-th/9901001", authors: ["Philipp A Hoehn Jr"] });
    expect(paperRecordSchema.safeParse(paper).success).toBe(true);
  });

  it("skips deleted records with one notice and keeps the numbering of the others", () => {
    const deletedHeader = '<header status="deleted">\n <identifier>oai:arXiv.org:0704.0716</identifier>';
    const xml = read(RAW_LIST).replace(/<header>\s*<identifier>oai:arXiv.org:0704.0716<\/identifier>/, deletedHeader);
    const events = parseOaiXml(xml, "x.xml");
    expect(kinds(events)).toEqual(["record", "record", "record", "record", "record", "notice"]);
    expect(events[1]).toMatchObject({ location: "x.xml#3", candidate: { id: "0704.0874" } });
    expect(events[5]).toEqual({
      kind: "notice",
      message: "x.xml: skipped 1 records deleted at the source (oai:arXiv.org:0704.0716)",
    });
  });

  it("rejects a record in another metadata format, or with an unreadable first version date, by location", () => {
    const xml = read(RAW_LIST)
      .replace(/<arXivRaw [^>]*>[\s\S]*?<\/arXivRaw>/, '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"/>')
      .replace("Thu, 5 Apr 2007 12:45:03 GMT", "someday");
    const events = parseOaiXml(xml, "x.xml");
    expect(events.slice(0, 2)).toEqual([
      { kind: "reject", location: "x.xml#1", reason: "metadata format dc is neither arXiv nor arXivRaw" },
      { kind: "reject", location: "x.xml#2", reason: 'version v1 date is not a date: "someday"' },
    ]);
    expect(kinds(events.slice(2))).toEqual(["record", "record", "record", "record"]);
  });

  it("reports other OAI-PMH answers (Identify) as one reject", () => {
    const xml = '<OAI-PMH><responseDate>2026-01-01T00:00:00Z</responseDate><request verb="Identify">x</request><Identify/></OAI-PMH>';
    expect(parseOaiXml(xml, "x.xml")).toEqual([
      { kind: "reject", location: "x.xml", reason: "OAI-PMH Identify response: only ListRecords and GetRecord hold papers" },
    ]);
  });
});

describe("readOaiPage", () => {
  it("gives the response date and the resumption token of a ListRecords page", () => {
    expect(readOaiPage(read(RAW_LIST))).toEqual({
      responseDate: "2015-01-06T20:49:59Z",
      resumptionToken: { token: "726959|1001", completeListSize: 58011, cursor: 0 },
      error: null,
    });
  });

  it("gives a null token for the empty resumptionToken that closes a list, and no token for GetRecord", () => {
    const last = read(RAW_LIST).replace(
      '<resumptionToken cursor="0" completeListSize="58011">726959|1001</resumptionToken>',
      '<resumptionToken cursor="58000" completeListSize="58011"/>',
    );
    expect(readOaiPage(last).resumptionToken).toEqual({ token: null, completeListSize: 58011, cursor: 58000 });
    const bare = read(RAW_LIST).replace(/<resumptionToken[^>]*>[^<]*<\/resumptionToken>/, "<resumptionToken/>");
    expect(readOaiPage(bare).resumptionToken).toEqual({ token: null });
    expect(readOaiPage(read(RAW_GET))).toEqual({ responseDate: "2015-01-06T20:48:16Z", resumptionToken: null, error: null });
  });

  it("gives the error code and message", () => {
    expect(readOaiPage(read(NO_RECORDS)).error).toEqual({
      code: "noRecordsMatch",
      message: "Set argument doesn't match any sets. The setSpec was 'moo'",
    });
    expect(readOaiPage(read(BAD_TOKEN))).toMatchObject({ responseDate: "2015-06-23T13:31:17Z", error: { code: "badResumptionToken" } });
  });

  it("throws on malformed XML rather than report a finished list", () => {
    expect(() => readOaiPage(read(RAW_LIST).slice(0, 500))).toThrow(/invalid or truncated XML/);
  });
});

describe("splitAuthors (arXivRaw's one authors string)", () => {
  it("splits on commas and 'and', and drops parenthesised affiliations", () => {
    expect(splitAuthors("Valeria M. Rosa and Patricio S. letelier")).toEqual(["Valeria M. Rosa", "Patricio S. letelier"]);
    expect(splitAuthors("A. One (MIT, Cambridge), B. Two ((1) CERN, (2) DESY), and C. Andersen")).toEqual([
      "A. One",
      "B. Two",
      "C. Andersen",
    ]);
    expect(splitAuthors("")).toEqual([]);
  });
});

describe("damaged arXiv XML", () => {
  it("rejects a truncated response once, naming the file and the position", async () => {
    const text = read(SEARCH);
    const cut = text.indexOf("<summary>", text.indexOf("<entry>")) + 40;
    const file = path.join(dir, "truncated.xml");
    await writeFile(file, text.slice(0, cut));
    const events = await collect(file);
    expect(events).toEqual([
      { kind: "reject", location: file, reason: expect.stringMatching(/^invalid or truncated XML at line \d+, column \d+: /) },
    ]);
    expect(parseOaiXml(read(RAW_GET).slice(0, 1200), "cut.xml")).toEqual([
      { kind: "reject", location: "cut.xml", reason: expect.stringMatching(/^invalid or truncated XML at line/) },
    ]);
  });

  it("rejects an entry without a title at its location and keeps the other 99", () => {
    const text = read(SEARCH);
    const title = "<title>Towards Explainable Test Case Prioritisation with Learning-to-Rank Models</title>";
    const events = parseAtomXml(text.replace(title, ""), "x.xml");
    expect(events).toHaveLength(100);
    expect(events[1]).toEqual({ kind: "reject", location: "x.xml#2", reason: "missing title" });
    expectAllValid(events.filter((event) => event.kind === "record"));
    expect(events.filter((event) => event.kind === "record")).toHaveLength(99);
  });

  it("passes an entry with a foreign id to validation, which rejects it by name", () => {
    const xml = read(NEW_ID).replace("<id>http://arxiv.org/abs/1605.08386v1</id>", "<id>urn:example:1</id>");
    const [event] = parseAtomXml(xml, "x.xml");
    expect(event).toMatchObject({ kind: "record", location: "x.xml#1" });
    const result = paperRecordSchema.safeParse(recordOf(event));
    expect(result.error && describeIssues(result.error)).toMatch(/^id: not an arXiv id/);
  });

  it("does not expand DTD entities (billion laughs) and finishes quickly", () => {
    const levels = Array.from({ length: 9 }, (_, n) => `<!ENTITY lol${n + 1} "${`&lol${n};`.repeat(10)}">`).join("\n");
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n${read(NEW_ID).replace(/^<\?xml[^>]*\?>\n/, "").replace("Heat-bath", "&lol9; Heat-bath")}`;
    const started = performance.now();
    const events = parseAtomXml(bomb, "bomb.xml");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(events).toEqual([{ kind: "reject", location: "bomb.xml", reason: expect.stringContaining("DOCTYPE") }]);
    // A declaration the prolog check does not see (inside the root, which the parser tolerates) is still not expanded.
    const inside = read(NEW_ID).replace("<entry>", '<!DOCTYPE x [<!ENTITY lol "lol">]><entry>').replace("Heat-bath", "&lol; Heat-bath");
    expect(recordOf(parseAtomXml(inside, "x.xml")[0]).title).toBe("&lol; Heat-bath random walks with Markov bases");
  });

  it("decodes numeric character references once, and leaves undeclared entities as text", () => {
    const xml = read(NEW_ID).replace("Heat-bath random walks", "Caf&#233; &#x2014; &amp;#233; &lol; walks");
    expect(recordOf(parseAtomXml(xml, "x.xml")[0]).title).toBe("Café — &#233; &lol; walks with Markov bases");
  });
});

describe("the DOCTYPE check before parsing", () => {
  const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const rejected = { ok: false, reason: expect.stringContaining("DOCTYPE") };

  it.each([
    ["first thing", "<!DOCTYPE feed><feed/>"],
    ["after the XML declaration", `${DECLARATION}<!DOCTYPE feed><feed/>`],
    ["after processing instructions, comments and whitespace", `${DECLARATION}<?xml-stylesheet href="a.xsl"?>\n<!-- a -->\t<?pi x?>\r\n<!---->  <!DOCTYPE feed>\n<feed/>`],
    ["in lower case, after a byte order mark", `\uFEFF${DECLARATION}<!-- a --><!doctype feed><feed/>`],
    ["with an internal subset, after 40 instructions", `${DECLARATION}${"<?pi x?>".repeat(40)}<!DOCTYPE feed [<!ENTITY a "b">]><feed/>`],
  ])("finds a DOCTYPE %s", (_, xml) => {
    expect(readXml(xml)).toEqual(rejected);
  });

  it.each([
    ["a comment", `${DECLARATION}<!-- <!DOCTYPE feed> --><feed/>`],
    ["a processing instruction", `${DECLARATION}<?pi <!DOCTYPE feed> ?><feed/>`],
  ])("takes a DOCTYPE inside %s for text", (_, xml) => {
    expect(readXml(xml)).toEqual({ ok: true, root: expect.objectContaining({ feed: "" }) });
  });

  it("leaves an unterminated instruction to the validator", () => {
    expect(readXml(`${DECLARATION}<?pi <!DOCTYPE feed><feed/>`)).toEqual({ ok: false, reason: expect.stringMatching(/^invalid or truncated XML/) });
  });

  // Run in a child process that is killed at `timeout`: a pattern that backtracks blocks the thread
  // it runs on, so a timer in this one could never fire. 40 instructions took the old pattern hours.
  it("reads prologs of 20 and 40 processing instructions without a DOCTYPE in linear time", { timeout: 30_000 }, async () => {
    const script = `
      const { readXml } = await import(process.argv[1]);
      const prolog = (n) => '<?xml version="1.0"?>' + "<?pi x?>".repeat(n);
      const answers = [20, 40].flatMap((n) => [readXml(prolog(n) + "<feed/>").ok, readXml(prolog(n) + "<!-- c --><!DOCTYPE x><feed/>").ok]);
      process.stdout.write(JSON.stringify(answers));
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, path.resolve("lib/ingest/parsers/arxiv-xml.ts")], {
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 10_000,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    expect(exit, "killed: the check did not finish within 10 s").toEqual({ code: 0, signal: null });
    expect(JSON.parse(output)).toEqual([true, false, true, false]);
  });
});

describe("parseFile on arXiv XML", () => {
  it("detects and parses an OAI-PMH page and an Atom feed from disk, counting the bytes read", async () => {
    let bytes = 0;
    const events = await collect(RAW_LIST, (count) => {
      bytes += count;
    });
    expect(events).toHaveLength(6);
    expect(events[5]).toMatchObject({ kind: "record", location: `${RAW_LIST}#6`, candidate: { id: "0704.1586", source: "arxiv-oai" } });
    expect(bytes).toBe(statSync(RAW_LIST).size);
    expect(await collect(OLD_ID)).toMatchObject([{ kind: "record", location: `${OLD_ID}#1`, candidate: { id: "astro-ph/0601001" } }]);
  });
});
