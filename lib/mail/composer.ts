// A thread that builds mail messages for a sender: nodemailer's MailComposer, the same code its
// transports run, on a worker thread (compose-worker.mjs). Building a message (choosing and applying
// each part's transfer encoding) costs more CPU than sending it; on its own thread it runs beside
// the sender's event loop, which keeps the SMTP connections and the database busy.
import { Worker } from "node:worker_threads";
import type { SendMailOptions } from "nodemailer";

/** A built message: what a transport sends as `raw` with this envelope. */
export type ComposedMail = { raw: Buffer; envelope: { from: string | false; to: string[] }; messageId: string };

/** The options a message is built from (no streams or files: they would not cross the thread). */
export type ComposeOptions = Pick<SendMailOptions, "from" | "to" | "subject" | "headers" | "messageId"> & { html: string; text: string };

/** The thread died or was closed: no fault of the message, which can be built again. */
export class ComposerStoppedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ComposerStoppedError";
  }
}

/** A message nodemailer could not build; `code` is nodemailer's own for that (EMESSAGE). */
function buildError(message: string): Error {
  return Object.assign(new Error(`building the mail failed: ${message}`), { code: "EMESSAGE" });
}

type Waiting = { resolve(mail: ComposedMail): void; reject(error: Error): void };
type Reply = { id: number; error?: string; raw?: Uint8Array; envelope?: ComposedMail["envelope"]; messageId?: string };

export class MailComposerThread {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  /** Builds one message on the thread (started on first use, and again after it died). */
  compose(mail: ComposeOptions): Promise<ComposedMail> {
    return new Promise<ComposedMail>((resolve, reject) => {
      const id = ++this.nextId;
      try {
        const worker = (this.worker ??= this.start());
        // The thread keeps the process alive only while it has work.
        if (this.waiting.size === 0) worker.ref();
        this.waiting.set(id, { resolve, reject });
        worker.postMessage({ id, mail });
      } catch (error) {
        // Starting the thread or handing it the message failed: no fault of the message's content.
        this.waiting.delete(id);
        reject(new ComposerStoppedError(`the mail composer thread could not take the mail (${(error as Error).message})`, { cause: error }));
      }
    });
  }

  /** Stops the thread; messages still being built fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new ComposerStoppedError("the mail composer thread was closed"));
  }

  private start(): Worker {
    const worker = new Worker(new URL("./compose-worker.mjs", import.meta.url));
    worker.on("message", (reply: Reply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error !== undefined || !reply.raw || !reply.envelope || !reply.messageId) waiting.reject(buildError(reply.error ?? "no message"));
      else waiting.resolve({ raw: Buffer.from(reply.raw.buffer, reply.raw.byteOffset, reply.raw.byteLength), envelope: reply.envelope, messageId: reply.messageId });
    });
    const gone = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(error);
    };
    worker.on("error", (error) => gone(new ComposerStoppedError(`the mail composer thread failed (${error.message})`, { cause: error })));
    worker.on("exit", (code) => gone(new ComposerStoppedError(`the mail composer thread exited (code ${code})`)));
    worker.unref();
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
