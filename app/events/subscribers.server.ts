import { logger } from "~/utils/logger.server";
import type { LiveEvent, Listener, SubscribeOptions } from "./types";

type Subscription = { listener: Listener; onInterruption?: () => void; active: boolean };

/**
 * The subscribers of this process, by channel. Both buses deliver through it:
 * a listener that throws is logged and never affects the publisher or the
 * other listeners, and empty channels are forgotten so nothing accumulates.
 */
export class Subscribers {
  private readonly channels = new Map<string, Set<Subscription>>();

  add(channel: string, listener: Listener, options: SubscribeOptions = {}): () => void {
    const subscription: Subscription = { listener, onInterruption: options.onInterruption, active: true };
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(subscription);
    return () => {
      if (!subscription.active) return;
      subscription.active = false;
      const current = this.channels.get(channel);
      if (!current) return;
      current.delete(subscription);
      if (current.size === 0) this.channels.delete(channel);
    };
  }

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  count(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  /** Channels with at least one subscriber (for tests and diagnostics). */
  channelCount(): number {
    return this.channels.size;
  }

  deliver(channel: string, event: LiveEvent): void {
    const set = this.channels.get(channel);
    if (!set) return;
    // A copy: listeners may unsubscribe (or others subscribe) while we deliver.
    for (const subscription of [...set]) {
      if (!subscription.active) continue;
      try {
        subscription.listener(event);
      } catch (error) {
        logger.error({ err: error, channel, type: event.type }, "live event listener failed");
      }
    }
  }

  /** Tells every subscriber that events may have been missed. */
  interruptAll(): void {
    for (const set of [...this.channels.values()]) {
      for (const subscription of [...set]) {
        if (!subscription.active || !subscription.onInterruption) continue;
        try {
          subscription.onInterruption();
        } catch (error) {
          logger.error({ err: error }, "live event interruption handler failed");
        }
      }
    }
  }

  clear(): void {
    for (const set of this.channels.values()) for (const subscription of set) subscription.active = false;
    this.channels.clear();
  }
}
