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
      // Memory of its own (never a slice of Buffer's shared pool), handed over without a second copy.
      let raw = built;
      if (built.byteOffset !== 0 || built.byteLength !== built.buffer.byteLength) {
        raw = new Uint8Array(built.byteLength);
        raw.set(built);
      }
      parentPort.postMessage({ id, raw, envelope, messageId }, [raw.buffer]);
    });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
