import { describe, expect, it } from "vitest";
import { parseMessage } from "../../importer/parse-message.ts";
import {
  planParent,
  threadInputOf,
  threadMessages,
  type StoredThreadNode,
  type ThreadInput,
  type ThreadNode,
  type ThreadOptions,
  type ThreadStore,
} from "../../importer/threading.ts";
import { parseMbox, readFixture } from "./support/fixtures.ts";
import { parentMap, renderImapThreads } from "./support/render-threads.ts";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2016, 5, 17, 12);

function msg(messageId: string, fields: Partial<ThreadInput> = {}): ThreadInput {
  return { id: messageId, messageId, inReplyTo: null, references: [], normalizedSubject: "", date: new Date(T0), ...fields };
}

/** Hand-written raw messages go through parseMessage, so header rules are exercised too. */
async function fromHeaders(id: string, headers: string[], minutes = 0): Promise<ThreadInput> {
  const raw = Buffer.from([...headers, `Date: ${new Date(T0 + minutes * 60_000).toUTCString()}`, "", id].join("\n"));
  const result = await parseMessage(raw);
  if (!result.ok) throw new Error(result.reason);
  return threadInputOf(result.message, id);
}

/** Renders with the caller's ids, e.g. "(root (child (fake)(grand great)(grand2)))". */
function shape(inputs: ThreadInput[], options?: ThreadOptions): string {
  return renderImapThreads(threadMessages(inputs, options), (id) => id as unknown as number);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function countNodes(nodes: ThreadNode[]): number {
  return nodes.reduce((n, node) => n + (node.placeholder ? 0 : 1) + countNodes(node.children), 0);
}

describe("notmuch T510 cases, re-created", () => {
  // ghost-root: a reply whose In-Reply-To names a missing message while its
  // References claim ancestry through real messages.
  async function ghostRoot(): Promise<ThreadInput[]> {
    return Promise.all([
      fromHeaders("root", ["Message-ID: <root@t>", "Subject: root message"], 0),
      fromHeaders("child", ["Message-ID: <child@t>", "In-Reply-To: <root@t>", "References: <root@t>"], 24 * 60),
      fromHeaders("fake", ["Message-ID: <fake@t>", "In-Reply-To: <missing@t>",
        "References: <root@t> <child@t> <missing@t>"], 1), // dated before its parent, as in notmuch
      fromHeaders("grand", ["Message-ID: <grand@t>", "In-Reply-To: <child@t>", "References: <root@t> <child@t>"], 24 * 60 + 10),
      fromHeaders("great", ["Message-ID: <great@t>", "In-Reply-To: <grand@t>", "References: <root@t> <grand@t>"], 24 * 60 + 30),
      fromHeaders("grand2", ["Message-ID: <grand2@t>", "In-Reply-To: <child@t>", "References: <root@t> <child@t>"], 24 * 60 + 20),
    ]);
  }

  it("places a reply to a ghost under the deepest real ancestor its References name", async () => {
    const inputs = await ghostRoot();
    expect(shape(inputs, { placeholders: "prune" })).toBe("(root child (fake)(grand great)(grand2))");
    // Kept placeholders show where the missing message sits.
    expect(shape(inputs)).toBe("(root child ((fake))(grand great)(grand2))");
    const kept = threadMessages(inputs);
    expect(parentMap(kept).get("fake@t")).toBe("missing@t");
    expect(parentMap(threadMessages(inputs, { placeholders: "prune" })).get("fake@t")).toBe("child@t");
  });

  it("joins messages that share only a ghost id into one thread", async () => {
    const inputs = await Promise.all([
      fromHeaders("fyi", ["Message-ID: <fyi@t>", "Subject: FYI"], 0),
      fromHeaders("autoreply", ["Message-ID: <auto@t>", "In-Reply-To: <fyi@t>",
        "References: <ticket-1@rt>", " <fyi@t>"], 1),
      fromHeaders("resolved", ["Message-ID: <resolved@t>", "References: <ticket-1@rt>"], 7 * 24 * 60),
    ]);
    const roots = threadMessages(inputs);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ placeholder: true, messageId: "ticket-1@rt" });
    expect(shape(inputs, { placeholders: "prune" })).toBe("((fyi autoreply)(resolved))");
  });

  it("trusts In-Reply-To over a mistyped References, in any arrival order", async () => {
    const inputs = await Promise.all([
      fromHeaders("root", ["Message-ID: <b00-root@t>"], 0),
      fromHeaders("child", ["Message-ID: <b01-child@t>", "In-Reply-To: <b00-root@t>", "References: <b00--root@t>"], 10),
      fromHeaders("grand", ["Message-ID: <b01-grand@t>", "In-Reply-To: <b01-child@t>",
        "References: <b01-child@t> <b00-root@t>"], 20),
    ]);
    for (const order of permutations(inputs)) {
      expect(shape(order)).toBe("(root child grand)");
    }
  });

  it("applies the header-precedence rules of T510", async () => {
    // notmuch never shows ghost messages, so compare with placeholders pruned.
    const shape = (inputs: ThreadInput[]) => renderImapThreads(threadMessages(inputs, { placeholders: "prune" }),
      (id) => id as unknown as number);
    // Use References when In-Reply-To is broken.
    expect(shape(await Promise.all([
      fromHeaders("one", ["Message-ID: <foo@one.com>"]),
      fromHeaders("re-one", ["In-Reply-To: mumble", "References: <foo@one.com>"], 1),
    ]))).toBe("(one re-one)");
    // Prefer References over an In-Reply-To wrapped in prose.
    expect(shape(await Promise.all([
      fromHeaders("two", ["Message-ID: <foo@two.com>"]),
      fromHeaders("re-two", ["In-Reply-To: Your message of December 31 1999 <bar@baz.com>", "References: <foo@two.com>"], 1),
    ]))).toBe("(two re-two)");
    // Use In-Reply-To when there is no References.
    expect(shape(await Promise.all([
      fromHeaders("three", ["Message-ID: <foo@three.com>"]),
      fromHeaders("re-three", ["In-Reply-To: <foo@three.com>"], 1),
    ]))).toBe("(three re-three)");
    // Use the last Reference when In-Reply-To carries a comment.
    expect(shape(await Promise.all([
      fromHeaders("four", ["Message-ID: <foo@four.com>"]),
      fromHeaders("not-four", ["Message-ID: <bar@four.com>"], 1),
      fromHeaders("neither", ["In-Reply-To: <baz@four.com> (RFC822 4lyfe)", "References: <baz@four.com> <foo@four.com>"], 2),
    ]))).toBe("(four neither)(not-four)");
    // Ignore garbage at the end of References.
    expect(shape(await Promise.all([
      fromHeaders("five", ["Message-ID: <foo@five.com>"]),
      fromHeaders("not-five", ["Message-ID: <bar@five.com>", "References: <foo@five.com> (garbage)"], 1),
    ]))).toBe("(five not-five)");
  });
});

describe("webklex thread fixtures", () => {
  it("threads a reply under its topic and leaves the unrelated message alone", async () => {
    const inputs = await Promise.all(["thread_unrelated", "thread_re_my_topic", "thread_my_topic"].map(async (name) => {
      const result = await parseMessage(readFixture(`webklex-php-imap/${name}.eml`));
      if (!result.ok) throw new Error(result.reason);
      return msg(result.message.messageId, { ...result.message, id: name });
    }));
    const roots = threadMessages(inputs);
    expect(roots.map((r) => [r.messageId, r.children.map((c) => c.messageId)]))
      .toEqual([["999@example.com", []], ["123@example.com", ["456@example.com"]]]);
  });
});

describe("robustness", () => {
  it("survives In-Reply-To loops and reference cycles", () => {
    const loop = [msg("a@t", { inReplyTo: "b@t" }), msg("b@t", { inReplyTo: "a@t" })];
    const roots = threadMessages(loop);
    expect(countNodes(roots)).toBe(2);
    expect(roots).toHaveLength(1);
    const cycle = [
      msg("m1@t", { references: ["x@t", "y@t", "z@t"] }),
      msg("m2@t", { references: ["z@t", "y@t", "x@t"] }),
      msg("m3@t", { references: ["y@t", "x@t", "z@t", "m1@t"] }),
    ];
    expect(countNodes(threadMessages(cycle))).toBe(3);
    expect(countNodes(threadMessages(cycle, { placeholders: "prune", subjectFallback: true }))).toBe(3);
  });

  it("threads a 20 000-deep reply chain without exhausting the stack", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) =>
      msg(`c${i}@t`, { inReplyTo: i ? `c${i - 1}@t` : null, date: new Date(T0 + i * 1000) }));
    for (const options of [{}, { placeholders: "prune" as const, subjectFallback: true }]) {
      let node: ThreadNode | undefined = threadMessages([...chain].reverse(), options)[0];
      let depth = 0;
      while (node) [node, depth] = [node.children[0], depth + 1];
      expect(depth).toBe(20_000);
    }
  });

  it("ignores self-references", () => {
    const self = msg("s@t", { inReplyTo: "s@t", references: ["s@t"] });
    expect(threadMessages([self])).toMatchObject([{ placeholder: false, messageId: "s@t", children: [] }]);
  });

  it("gives a duplicated Message-ID its own node; replies attach to the first", () => {
    const inputs = [
      msg("a@t", { id: "a" }),
      msg("d@t", { id: "d1", date: new Date(T0 + 1000) }),
      msg("d@t", { id: "d2", inReplyTo: "a@t", date: new Date(T0 + 2000) }),
      msg("r@t", { id: "r", inReplyTo: "d@t", date: new Date(T0 + 3000) }),
    ];
    expect(shape(inputs)).toBe("(a d2)(d1 r)");
  });

  it("sorts siblings by date, and placeholders by their earliest child", () => {
    const inputs = [
      msg("late@t", { id: "late", inReplyTo: "p@t", date: new Date(T0 + 3 * DAY) }),
      msg("early@t", { id: "early", inReplyTo: "p@t", date: new Date(T0 + DAY) }),
      msg("p@t", { id: "p" }),
      msg("orphan@t", { id: "orphan", inReplyTo: "ghost@t", date: new Date(T0 - DAY) }),
      msg("orphan2@t", { id: "orphan2", inReplyTo: "ghost@t", date: new Date(T0 + 5 * DAY) }),
    ];
    expect(shape(inputs)).toBe("((orphan)(orphan2))(p (early)(late))");
  });

  it("does not depend on input order (ImageMagick archive)", async () => {
    const messages = await parseMbox("mail-box-imagemagick-list/imagemagick-list-2000.mbox");
    const inputs = messages.map((m, i) => msg(m.messageId, { ...m, id: String(i) }));
    const reference = parentMap(threadMessages(inputs));
    for (const seed of [1, 2, 3]) expect(parentMap(threadMessages(shuffled(inputs, seed)))).toEqual(reference);
    expect(parentMap(threadMessages([...inputs].reverse()))).toEqual(reference);
  });
});

describe("subject fallback", () => {
  const outlook = (id: string, subject: string, day: number, extra: Partial<ThreadInput> = {}) =>
    msg(`${id}@t`, { id, normalizedSubject: subject, date: new Date(T0 + day * DAY), ...extra });

  it("is off by default", () => {
    const inputs = [outlook("q", "Transparency question", 0), outlook("a1", "Transparency question", 1)];
    expect(shape(inputs)).toBe("(q)(a1)");
  });

  it("groups reference-less messages by subject under the earliest, marking links inferred", () => {
    const inputs = [
      outlook("a2", "transparency QUESTION", 2),
      outlook("q", "Transparency question", 0),
      outlook("a1", "Transparency question", 1),
      outlook("r", "Transparency question", 1.5, { references: ["elsewhere@t"] }),
      outlook("e1", "", 0.5),
      outlook("e2", "", 0.6),
    ];
    const roots = threadMessages(inputs, { subjectFallback: true });
    expect(renderImapThreads(roots, (id) => id as unknown as number)).toBe("(q (a1)(a2))(e1)(e2)((r))");
    const q = roots.find((r) => !r.placeholder && r.id === "q");
    expect(q?.children.map((c) => !c.placeholder && c.inferred)).toEqual([true, true]);
    expect(shape(inputs, { subjectFallback: true, groupEmptySubjects: true })).toBe("(q (a1)(a2))(e1 e2)((r))");
  });

  it("never merges messages two months apart", () => {
    const inputs = [0, 20, 40, 60, 61, 120].map((day) => outlook(`d${day}`, "Weekly status", day));
    const roots = threadMessages(inputs, { subjectFallback: true });
    expect(renderImapThreads(roots, (id) => id as unknown as number)).toBe("(d0 d20)(d40 (d60)(d61))(d120)");
    const span = (node: ThreadNode, root: ThreadNode & { date: Date }): void => {
      if (!node.placeholder) expect(node.date.getTime() - root.date.getTime()).toBeLessThanOrEqual(31 * DAY);
      node.children.forEach((c) => span(c, root));
    };
    for (const r of roots) if (!r.placeholder) span(r, r);
    expect(shape(inputs, { subjectFallback: true, subjectWindowDays: 7 })).toBe("(d0)(d20)(d40)(d60 d61)(d120)");
  });
});

describe("planParent (incremental)", () => {
  class MemoryStore implements ThreadStore {
    nodes = new Map<string, StoredThreadNode>();
    get(messageId: string) {
      return this.nodes.get(messageId);
    }
    async add(message: ThreadInput) {
      const plan = await planParent(message, this);
      for (const p of plan.createPlaceholders) {
        expect(this.nodes.has(p.messageId)).toBe(false);
        if (p.parentMessageId) expect(this.nodes.has(p.parentMessageId) || plan.createPlaceholders.some((q) => q.messageId === p.parentMessageId)).toBe(true);
        this.nodes.set(p.messageId, { kind: "placeholder", parentMessageId: p.parentMessageId, claimsParent: false });
      }
      for (const r of plan.reparent) {
        const node = this.nodes.get(r.messageId);
        expect(node?.parentMessageId).toBeNull();
        if (node) node.parentMessageId = r.parentMessageId;
      }
      this.nodes.set(message.messageId, { kind: "message", parentMessageId: plan.parentMessageId, claimsParent: plan.claimsParent });
      return plan;
    }
    parents(): Map<string, string | null> {
      const out = new Map<string, string | null>();
      for (const [id, node] of this.nodes) if (node.kind === "message") out.set(id, node.parentMessageId);
      return out;
    }
  }

  it("builds the same tree as batch threading, whatever the arrival order", async () => {
    const messages = await parseMbox("mail-box-imagemagick-list/imagemagick-list-2000.mbox");
    const inputs = messages.map((m, i) => msg(m.messageId, { ...m, id: String(i) }));
    const expected = parentMap(threadMessages(inputs));
    for (const order of [inputs, [...inputs].reverse(), shuffled(inputs, 7), shuffled(inputs, 11)]) {
      const store = new MemoryStore();
      for (const m of order) await store.add(m);
      expect(store.parents()).toEqual(expected);
    }
  });

  it("lets a late parent take over its placeholder and its waiting children", async () => {
    const store = new MemoryStore();
    const grandchild = msg("gc@t", { inReplyTo: "c@t", references: ["r@t", "c@t"] });
    const plan = await store.add(grandchild);
    expect(plan).toMatchObject({
      parentMessageId: "c@t",
      createPlaceholders: [{ messageId: "r@t", parentMessageId: null }, { messageId: "c@t", parentMessageId: "r@t" }],
    });
    // The child arrives: it fills the c@t placeholder; gc@t already hangs under it.
    const childPlan = await store.add(msg("c@t", { inReplyTo: "r@t", references: ["r@t"] }));
    expect(childPlan).toMatchObject({ parentMessageId: "r@t", createPlaceholders: [], reparent: [] });
    // The root arrives, naming no parent: it stays a root.
    expect(await store.add(msg("r@t"))).toMatchObject({ parentMessageId: null, claimsParent: false });
    expect(store.parents()).toEqual(new Map([["gc@t", "c@t"], ["c@t", "r@t"], ["r@t", null]]));
  });

  it("places an earlier parentless message under a ghost named by a later References chain", async () => {
    const store = new MemoryStore();
    await store.add(msg("fyi@t"));
    const plan = await store.add(msg("auto@t", { inReplyTo: "fyi@t", references: ["ticket@rt", "fyi@t"] }));
    expect(plan).toMatchObject({
      parentMessageId: "fyi@t",
      createPlaceholders: [{ messageId: "ticket@rt", parentMessageId: null }],
      reparent: [{ messageId: "fyi@t", parentMessageId: "ticket@rt" }],
    });
  });

  it("refuses a parent that already hangs below the new message", async () => {
    const store = new MemoryStore();
    await store.add(msg("b@t", { inReplyTo: "a@t" })); // creates placeholder a@t
    const plan = await store.add(msg("a@t", { inReplyTo: "b@t" }));
    expect(plan).toMatchObject({ parentMessageId: null, loopAvoided: true, createPlaceholders: [] });
  });
});
