// The web server's ear for changes: a dedicated Postgres connection LISTENs on the cache channel and
// drops the pages each announcement names (lib/cache/notify.ts). The cache serves only while this
// connection is known to be alive: it is emptied and bypassed from the moment the connection may
// have missed an announcement until it listens again, so a lost connection costs speed, never
// correctness. A heartbeat notices a connection that died without saying so.
import pg from "pg";
import { CACHE_CHANNEL, readPayload } from "./notify";

export type Invalidatable = {
  setEnabled(enabled: boolean): void;
  invalidate(tags: Iterable<string>): void;
  clear(): void;
};

export type ListenOptions = {
  url: string;
  cache: Invalidatable;
  heartbeatMs?: number;
  log?: (message: string) => void;
};

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export type Listener = { ready: Promise<void>; stop(): Promise<void> };

export function listenForChanges(options: ListenOptions): Listener {
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const log = options.log ?? (() => undefined);
  let client: pg.Client | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = RETRY_MIN_MS;
  let stopped = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  /** This connection may have missed an announcement (a late word from an older one is ignored). */
  const lost = (connection: pg.Client, reason: string) => {
    if (stopped || connection !== client) return;
    options.cache.setEnabled(false);
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
    client = undefined;
    connection.removeAllListeners();
    connection.on("error", () => undefined);
    void connection.end().catch(() => undefined);
    log(`page cache off until changes can be heard again (${reason}); retrying in ${delay} ms`);
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  };

  const connect = async () => {
    const connection = new pg.Client({ connectionString: options.url, keepAlive: true });
    client = connection;
    connection.on("error", (error) => lost(connection, error.message));
    connection.on("end", () => lost(connection, "connection ended"));
    connection.on("notification", (message) => {
      if (message.channel !== CACHE_CHANNEL) return;
      const tags = readPayload(message.payload);
      // An announcement this version cannot read may name anything: forget everything.
      if (tags) options.cache.invalidate(tags);
      else options.cache.clear();
    });
    try {
      await connection.connect();
      await connection.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (error) {
      return lost(connection, (error as Error).message);
    }
    if (stopped || client !== connection) return;
    delay = RETRY_MIN_MS;
    // Enabling empties the cache: whatever was announced while deaf is forgotten with it.
    options.cache.setEnabled(true);
    markReady();
    heartbeat = setInterval(() => {
      const timeout = setTimeout(() => lost(connection, "heartbeat timed out"), heartbeatMs);
      connection.query("SELECT 1").then(
        () => clearTimeout(timeout),
        (error: Error) => {
          clearTimeout(timeout);
          lost(connection, error.message);
        },
      );
    }, heartbeatMs);
    heartbeat.unref();
  };

  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      if (heartbeat) clearInterval(heartbeat);
      if (retry) clearTimeout(retry);
      options.cache.setEnabled(false);
      const current = client;
      client = undefined;
      current?.removeAllListeners();
      current?.on("error", () => undefined);
      await current?.end().catch(() => undefined);
    },
  };
}
