/** One live update: forum replies and edits, chat messages. */
export type LiveEvent = { type: string; id?: string; data: unknown };

export type Listener = (event: LiveEvent) => void;

export type SubscribeOptions = {
  /**
   * Called when events for this subscription may have been missed (the
   * shared connection to the database dropped and came back). Whoever can
   * replay from the database should resume from the last id they have.
   */
  onInterruption?: () => void;
};

/** A way of carrying events between the publishers and the subscribers of a channel. */
export interface EventBus {
  /** Never throws and never waits: delivery happens now (in-process) or shortly after (PostgreSQL). */
  publish(channel: string, event: LiveEvent): void;
  subscribe(channel: string, listener: Listener, options?: SubscribeOptions): () => void;
  /** Subscribers of a channel in this process. */
  listenerCount(channel: string): number;
  /** Resolves once events can flow (the LISTEN connection is up); rejects if the first attempt fails. */
  ready(): Promise<void>;
  /** Sends what is still queued, then releases connections and subscribers. */
  close(): Promise<void>;
}
