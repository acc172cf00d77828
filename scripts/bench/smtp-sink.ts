// An SMTP server that accepts and drops every mail, for scripts/bench-digest.ts: run as a child process so
// its work does not share the bench's event loop. Protocol, one JSON object per line on stdout:
//   on listening: {"port":1234}
//   for each line "count" read on stdin: {"received":N,"bytes":B} (mails answered 250 so far, and their size)
// It exits on SIGTERM or SIGINT, and when stdin closes (the bench is gone, however it ended).
import readline from "node:readline";
import { SMTPServer } from "smtp-server";

let received = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  // No `size`: no limit, and none advertised.
  onData(stream, _session, callback) {
    let size = 0;
    stream.on("data", (chunk: Buffer) => (size += chunk.length));
    stream.on("end", () => {
      // Counted before the 250 goes out: once the client has its reply, the count includes the mail.
      received++;
      bytes += size;
      callback();
    });
  },
});
server.on("error", (error) => console.error(`smtp-sink: ${error.message}`));

function reply(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function exit(): void {
  server.close(() => process.exit(0));
  // Pooled clients may hold connections open; do not wait for them.
  setTimeout(() => process.exit(0), 500).unref();
}

process.on("SIGTERM", exit);
process.on("SIGINT", exit);

server.listen(0, "127.0.0.1", () => {
  const address = server.server.address();
  reply({ port: typeof address === "object" && address ? address.port : 0 });
  const input = readline.createInterface({ input: process.stdin });
  input.on("line", (line) => {
    if (line.trim() === "count") reply({ received, bytes });
  });
  input.on("close", exit);
});
