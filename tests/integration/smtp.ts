// A real SMTP server in the test process (smtp-server), scripted per test, handing over parsed mails (mailparser).
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export type Received = ParsedMail & { envelopeTo: string[]; raw: string };

type Reply = { code: number; message: string };

/** What the server answers: undefined accepts; an Error with responseCode rejects with that code. */
export type Script = {
  /** Called at RCPT TO (count: RCPT TO commands so far, this one included); return a code (e.g. 550) to refuse that address, or a promise to hold the answer. */
  rcpt?: (address: string, count: number) => Promise<Reply | undefined> | Reply | undefined;
  /** Called once the message's data has arrived, before the server answers; may delay or refuse. */
  data?: (mail: Received, count: number) => Promise<Reply | undefined> | Reply | undefined;
};

export type TestSmtp = {
  url: string;
  /** Mails the server accepted (answered 250), in order. */
  mails: Received[];
  /** The accepted mails to this address, in order. */
  to(email: string): Received[];
  script: Script;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Forgets received mails, restarts the counts and drops the script. */
  reset(): void;
  close(): Promise<void>;
};

/** A raw mail's headers as [lowercased name, value] pairs, folded lines unfolded (names in any case: nodemailer writes List-ID). */
export function headerPairs(raw: string): [string, string][] {
  const block = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  return block.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]);
}

function smtpError(reply: Reply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export async function startSmtp(script: Script = {}, port = 0): Promise<TestSmtp> {
  const mails: Received[] = [];
  let arrived = 0;
  let rcpts = 0;
  const state: TestSmtp = {
    url: "",
    mails,
    script,
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    to: (email) => mails.filter((mail) => mail.envelopeTo.includes(email)),
    reset() {
      mails.length = 0;
      arrived = 0;
      rcpts = 0;
      state.script = {};
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      rcpts++;
      void Promise.resolve(state.script.rcpt?.(address.address, rcpts)).then((reply) => callback(reply ? smtpError(reply) : undefined));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = (await simpleParser(raw)) as Received;
        parsed.raw = raw;
        parsed.envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        arrived++;
        const reply = await state.script.data?.(parsed, arrived);
        if (reply) return callback(smtpError(reply));
        // Recorded as delivered only when the server accepts it (answers 250).
        mails.push(parsed);
        callback();
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  state.url = `smtp://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return state;
}
