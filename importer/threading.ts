// JWZ threading (https://www.jwz.org/doc/threading.html) as a pure function.
//
// Differences from the original, each for a reason:
// - Links are made in two passes. First every message is attached to the
//   parent it names itself (thread-parent.ts); only then do References
//   chains fill in the parents of placeholders and of messages that named no
//   parent. A message's own headers therefore always beat guesses made from
//   other messages, and the tree shape does not depend on input order except
//   for genuine reference cycles (where the message listed first wins). Input
//   order only breaks ties between messages with the same date.
// - Placeholders ("we saw a reference, not the message") are kept by default,
//   because the database-backed importer keeps them as rows too: a late
//   parent then takes over its placeholder's children with no re-threading.
//   `placeholders: "prune"` gives RFC 5256 THREAD=REFERENCES pruning instead.
// - Subject grouping is opt-in, only touches messages with no In-Reply-To and
//   no References, only within a time window, and marks its links `inferred`.

import { subjectKey } from "./base-subject.ts";
import { ancestorChain, claimedParent, type ThreadInput } from "./thread-parent.ts";

export type { ThreadInput } from "./thread-parent.ts";
export { threadInputOf } from "./thread-parent.ts";
export { claimedParent, ancestorChain } from "./thread-parent.ts";
export { planParent, type ParentPlan, type StoredThreadNode, type ThreadStore } from "./thread-incremental.ts";

export interface ThreadMessageNode {
  placeholder: false;
  id: string;
  messageId: string;
  date: Date;
  /** True when this node hangs under its parent only because of subject grouping. */
  inferred: boolean;
  children: ThreadNode[];
}

export interface ThreadPlaceholderNode {
  placeholder: true;
  messageId: string;
  children: ThreadNode[];
}

export type ThreadNode = ThreadMessageNode | ThreadPlaceholderNode;

export interface ThreadOptions {
  subjectFallback?: boolean;
  subjectWindowDays?: number;
  /** Group subject-less messages with each other too (RFC 5256 ORDEREDSUBJECT does). */
  groupEmptySubjects?: boolean;
  placeholders?: "keep" | "prune";
}

interface Container {
  messageId: string;
  input: ThreadInput | null; // null: placeholder
  seq: number; // tie-breaker: input position, then creation order
  parent: Container | null;
  children: Container[];
  claimed: boolean; // the message named a parent itself (even if refused as a loop)
  inferred: boolean;
  top: Container; // union-find pointer towards the root of its tree
}

// Links only ever attach the root of one tree below a node of another tree
// (a container's parent is set once and never moved), so "would this link
// close a loop?" is "is the child the root of the parent's tree?", answered
// by union-find in near-constant time instead of walking long reply chains.
function rootOf(c: Container): Container {
  let root = c;
  while (root.top !== root) root = root.top;
  for (let n = c; n.top !== root; ) {
    const next = n.top;
    n.top = root; // path compression
    n = next;
  }
  return root;
}

function createsLoop(child: Container, parent: Container): boolean {
  return rootOf(parent) === child;
}

function link(child: Container, parent: Container): void {
  child.parent = parent;
  child.top = parent;
  parent.children.push(child);
}

function buildContainers(messages: readonly ThreadInput[]): Container[] {
  const all: Container[] = [];
  const byId = new Map<string, Container>();
  const make = (messageId: string, input: ThreadInput | null): Container => {
    const c = { messageId, input, seq: all.length, parent: null, children: [], claimed: false, inferred: false } as
      Omit<Container, "top"> as Container;
    c.top = c;
    all.push(c);
    return c;
  };
  // Duplicated Message-IDs get their own container; references reach the first one.
  const real = messages.map((m) => {
    const c = make(m.messageId, m);
    if (!byId.has(m.messageId)) byId.set(m.messageId, c);
    return c;
  });
  const get = (id: string): Container => {
    let c = byId.get(id);
    if (!c) byId.set(id, (c = make(id, null)));
    return c;
  };
  for (const c of real) {
    const parentId = claimedParent(c.input as ThreadInput);
    if (parentId === null) continue;
    c.claimed = true;
    const parent = get(parentId);
    if (!createsLoop(c, parent)) link(c, parent);
  }
  for (const c of real) {
    const chain = ancestorChain(c.input as ThreadInput).map(get);
    for (let i = 1; i < chain.length; i++) {
      const parent = chain[i - 1] as Container;
      const child = chain[i] as Container;
      if (!child.parent && !child.claimed && !createsLoop(child, parent)) link(child, parent);
    }
  }
  return all;
}

// Every walk below is iterative: a crafted References chain (or a 10 000-reply
// flame war answering itself) is deeper than the JavaScript call stack.

/** All nodes under `roots`, each one after all of its descendants. */
function postOrder(roots: readonly Container[]): Container[] {
  const out: Container[] = [];
  const stack = [...roots];
  for (let n = stack.pop(); n; n = stack.pop()) {
    out.push(n);
    for (const child of n.children) stack.push(child);
  }
  return out.reverse();
}

function dropEmptyPlaceholders(roots: Container[]): Container[] {
  const keep = (n: Container) => n.input !== null || n.children.length > 0;
  for (const n of postOrder(roots)) n.children = n.children.filter(keep);
  return roots.filter(keep);
}

// RFC 5256 §3 step 4: a placeholder survives only as a root with several
// children; elsewhere its children move up to its own level.
function prunePlaceholders(roots: Container[]): Container[] {
  const promote = (nodes: Container[], atRoot: boolean): Container[] =>
    nodes.flatMap((n) => {
      if (n.input !== null) return [n];
      if (atRoot && n.children.length > 1) return [n];
      for (const child of n.children) child.parent = n.parent;
      return n.children;
    });
  for (const n of postOrder(roots)) n.children = promote(n.children, false);
  return promote(roots, true);
}

function groupBySubject(roots: Container[], options: ThreadOptions): Container[] {
  const windowMs = (options.subjectWindowDays ?? 31) * 24 * 60 * 60 * 1000;
  const candidates = roots
    .filter((c) => c.input && c.input.inReplyTo === null && c.input.references.length === 0)
    .sort(compare);
  const anchors = new Map<string, Container>();
  for (const c of candidates) {
    const input = c.input as ThreadInput;
    const key = subjectKey(input.normalizedSubject);
    if (key === "" && !options.groupEmptySubjects) continue;
    const anchor = anchors.get(key);
    // Anchored at the group's first message, so two grouped messages are never
    // further apart than the window, however long the run of matches.
    if (anchor && input.date.getTime() - (anchor.input as ThreadInput).date.getTime() <= windowMs) {
      link(c, anchor);
      c.inferred = true;
    } else {
      anchors.set(key, c);
    }
  }
  return roots.filter((c) => c.parent === null);
}

// A placeholder sorts as its earliest child; children are sorted before
// their parent is compared, so that is the first one.
function sortKey(node: Container): [number, number] {
  let c = node;
  while (!c.input && c.children[0]) c = c.children[0];
  if (!c.input) return [Infinity, c.seq];
  const t = c.input.date.getTime();
  return [Number.isNaN(t) ? Infinity : t, c.seq];
}

function compare(a: Container, b: Container): number {
  const [ta, sa] = sortKey(a);
  const [tb, sb] = sortKey(b);
  return ta - tb || sa - sb;
}

function sortTree(roots: Container[]): Container[] {
  for (const n of postOrder(roots)) n.children.sort(compare);
  return roots.sort(compare);
}

function toNodes(roots: Container[]): ThreadNode[] {
  const built = new Map<Container, ThreadNode>();
  for (const c of postOrder(roots)) {
    const children = c.children.map((child) => built.get(child) as ThreadNode);
    built.set(c, c.input
      ? { placeholder: false, id: c.input.id, messageId: c.messageId, date: c.input.date, inferred: c.inferred, children }
      : { placeholder: true, messageId: c.messageId, children });
  }
  return roots.map((r) => built.get(r) as ThreadNode);
}

/** Threads `messages` into a forest of roots, each sorted by date (input order on ties). */
export function threadMessages(messages: readonly ThreadInput[], options: ThreadOptions = {}): ThreadNode[] {
  let roots = buildContainers(messages).filter((c) => c.parent === null);
  roots = options.placeholders === "prune" ? prunePlaceholders(roots) : dropEmptyPlaceholders(roots);
  if (options.subjectFallback) roots = groupBySubject(sortTree(roots), options);
  return toNodes(sortTree(roots));
}
