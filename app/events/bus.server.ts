import { EventEmitter } from "node:events";

/**
 * Live updates inside one process: forum replies now, chat later. Several
 * app instances would swap this for PostgreSQL LISTEN/NOTIFY behind the same
 * two functions (see DESIGN.md).
 */
export type LiveEvent = { type: string; id?: string; data: unknown };

const emitter = new EventEmitter();
// Every open page listens; the default cap of 10 would warn needlessly.
emitter.setMaxListeners(0);

export function publish(channel: string, event: LiveEvent) {
  emitter.emit(channel, event);
}

export function subscribe(channel: string, listener: (event: LiveEvent) => void): () => void {
  emitter.on(channel, listener);
  return () => emitter.off(channel, listener);
}

export function listenerCount(channel: string): number {
  return emitter.listenerCount(channel);
}
