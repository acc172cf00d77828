// The bulk path of one ingest run: records stream through COPY into a staging table on a connection
// of their own while parsing goes on, and are merged into paper in one transaction when asked.
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import type { CopyStreamQuery } from "pg-copy-streams";
import { copyIntoStage, STAGE_FIELDS } from "./bulk-store";
import { copyLine } from "./copy-text";
import { toStagedRow } from "./merge";
import type { PaperRecord } from "./paper";
import { ingestStore, type UpsertCounts } from "./store";

// Lines are sent in chunks of about this many characters: one COPY message per line would cost more
// in messages than in data.
const CHUNK_CHARS = 256 * 1024;

export class BulkLoad {
  private copy: CopyStreamQuery | undefined;
  private chunk = "";
  private seq = 0;
  private staged = 0;
  private localStaged = 0;
  private failure: unknown;

  private constructor(private readonly client: pg.PoolClient) {}

  /** Takes a connection from `pool` for the run and creates its staging table. */
  static async open(pool: pg.Pool): Promise<BulkLoad> {
    const client = await pool.connect();
    try {
      await ingestStore.createStage(client);
    } catch (error) {
      client.release(true);
      throw error;
    }
    return new BulkLoad(client);
  }

  /** Records staged and not merged yet. */
  get pending(): number {
    return this.staged;
  }

  /** Stages one record (ids need not be unique); resolves when the COPY can take more. */
  async write(record: PaperRecord): Promise<void> {
    if (this.failure) throw this.failure;
    this.copy ??= this.startCopy();
    this.chunk += copyLine(++this.seq, toStagedRow(record, false), STAGE_FIELDS);
    this.staged += 1;
    if (record.id.startsWith("local-")) this.localStaged += 1;
    if (this.chunk.length >= CHUNK_CHARS) await this.send();
  }

  /** Ends the COPY and merges what it staged into paper in one transaction. */
  async merge(): Promise<UpsertCounts> {
    if (this.failure) throw this.failure;
    const copy = this.copy;
    if (!copy) return { inserted: 0, updated: 0, unchanged: 0 };
    await this.send();
    this.copy = undefined;
    copy.end();
    await finished(copy);
    const counts = await ingestStore.mergeStage(this.client, { staged: this.staged, local: this.localStaged });
    this.staged = 0;
    this.localStaged = 0;
    return counts;
  }

  /** Drops the staging table and gives the connection back (closed, if anything failed on it). */
  async close(): Promise<void> {
    if (this.copy || this.failure) {
      // A COPY still open cannot be ended cleanly from here; closing the connection aborts it.
      this.client.release(true);
      return;
    }
    try {
      await ingestStore.dropStage(this.client);
      this.client.release();
    } catch {
      this.client.release(true);
    }
  }

  private startCopy(): CopyStreamQuery {
    const copy = copyIntoStage(this.client);
    // Kept and thrown by the next write or merge, never left as an unhandled "error" event.
    copy.on("error", (error: unknown) => {
      this.failure ??= error;
    });
    return copy;
  }

  private async send(): Promise<void> {
    const copy = this.copy;
    if (!copy || this.chunk === "") return;
    const full = !copy.write(this.chunk);
    this.chunk = "";
    // once() rejects if the stream errors while waiting.
    if (full) await once(copy, "drain");
  }
}
