// Builds mail messages (MIME, with its quoted-printable bodies) off the sending thread: the thread
// of lib/mail/composer.ts. Plain JavaScript, so it loads the same under tsx, vitest and node.
import { parentPort } from "node:worker_threads";
import MailComposer from "nodemailer/lib/mail-composer";

parentPort.on("message", ({ id, mail }) => {
  try {
    const message = new MailComposer(mail).compile();
    const envelope = message.getEnvelope();
    const messageId = message.messageId();
    message.build((error, built) => {
      if (error) return parentPort.postMessage({ id, error: error.message });
      // A buffer of its own (not a slice of a shared pool), so it can be handed over without a copy.
      const raw = built.byteOffset === 0 && built.byteLength === built.buffer.byteLength ? built : Buffer.from(built);
      parentPort.postMessage({ id, raw, envelope, messageId }, [raw.buffer]);
    });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
