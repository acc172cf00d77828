// A request body generated as it is pulled (64 KB at a time, none read ahead), counting the bytes
// pulled: shows how much of a huge body a handler reads without the test holding it in memory.
export const CHUNK = 64 * 1024;
export const HUGE = 400 * 1024 * 1024;
// Far past any cap under test: a reader that gets here is buffering the whole body, so the stream
// fails instead of filling the test's memory.
const TRIPWIRE = 32 * 1024 * 1024;

export type LazyBody = { stream: ReadableStream<Uint8Array>; state: { pulled: number; cancelled: boolean } };

export function lazyBody(total = HUGE, fill = 0x20): LazyBody {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= TRIPWIRE) return controller.error(new Error(`read ${state.pulled} bytes: the body is being read whole`));
        if (state.pulled >= total) return controller.close();
        const size = Math.min(CHUNK, total - state.pulled);
        state.pulled += size;
        controller.enqueue(new Uint8Array(size).fill(fill));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** Request options for a streamed body (fetch wants `duplex` for one). */
export function streamed(stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return { method: "POST", body: stream, headers, duplex: "half" as const };
}
