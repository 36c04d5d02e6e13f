import { eventStream, type EventStreamOptions } from "~/events/sse.server";
import type { EventBus, LiveEvent } from "~/events/types";

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes and records what arrives. */
export function collect(bus: EventBus, channel: string) {
  const events: LiveEvent[] = [];
  const unsubscribe = bus.subscribe(channel, (event) => events.push(event));
  return { events, unsubscribe, ids: () => events.map((event) => event.id) };
}

export type Frame = { id?: string; event?: string; data?: unknown; comment?: string; retry?: number };

function parseFrame(text: string): Frame {
  const frame: Frame = {};
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim();
    else if (line.startsWith("id: ")) frame.id = line.slice(4);
    else if (line.startsWith("event: ")) frame.event = line.slice(7);
    else if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6));
    else if (line.startsWith("retry: ")) frame.retry = Number(line.slice(7));
  }
  return frame;
}

/** An SSE client reading eventStream() directly, as the Remix adapter would. */
export function openClient(
  channel: string,
  init: { url?: string; lastEventId?: string; read?: boolean; options?: EventStreamOptions; initial?: LiveEvent[] } = {},
) {
  const abort = new AbortController();
  const headers = new Headers(init.lastEventId ? { "Last-Event-ID": init.lastEventId } : {});
  const request = new Request(init.url ?? "http://localhost/events.stream", { headers, signal: abort.signal });
  const response = eventStream(request, channel, init.initial, init.options);
  const reader = response.body!.getReader();
  const frames: Frame[] = [];
  const state = { done: false, error: null as unknown };
  const decoder = new TextDecoder();
  let buffered = "";
  const pump = async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf("\n\n")) !== -1) {
          frames.push(parseFrame(buffered.slice(0, end)));
          buffered = buffered.slice(end + 2);
        }
      }
    } catch (error) {
      state.error = error;
    }
    state.done = true;
  };
  if (init.read !== false) void pump();
  return {
    response,
    reader,
    frames,
    state,
    events: () => frames.filter((frame) => frame.event !== undefined),
    ids: () => frames.filter((frame) => frame.id !== undefined).map((frame) => frame.id),
    abort: () => abort.abort(),
    cancel: () => reader.cancel(),
  };
}
