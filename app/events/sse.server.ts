import { subscribe, type LiveEvent } from "./bus.server";

const encoder = new TextEncoder();

function format(event: LiveEvent): string {
  const id = event.id ? `id: ${event.id}\n` : "";
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * A Server-Sent Events response for one channel. The listener is removed as
 * soon as the client goes away, and a comment every 25 s keeps proxies from
 * closing an idle stream.
 */
export function eventStream(request: Request, channel: string, initial: LiveEvent[] = []): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send("retry: 3000\n\n");
      for (const event of initial) send(format(event));
      const unsubscribe = subscribe(channel, (event) => send(format(event)));
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 25_000);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
