// Renders a thread forest in the textual shapes of the published expectations,
// so tests compare whole trees instead of hand-picked edges.
import type { ThreadNode } from "../../../importer/threading.ts";

/**
 * Mail::Box::Thread::Node::threadToString without the size column: a dummy
 * (placeholder) gets no line of its own but marks its children with "*-".
 */
export function renderMailBox(node: ThreadNode, subjectOf: (id: string) => string, first = "", other = ""): string {
  const follows = [...node.children];
  const out: string[] = [];
  if (node.placeholder) {
    first += first ? "-*-" : " *-";
    if (follows.length === 1) return renderMailBox(follows[0] as ThreadNode, subjectOf, first, `${other}   `);
    while (follows.length > 1) out.push(renderMailBox(follows.shift() as ThreadNode, subjectOf, first, `${other} | `));
  } else {
    out.push(`${first} ${subjectOf(node.id)}`.trimEnd() + "\n");
    while (follows.length > 1) out.push(renderMailBox(follows.shift() as ThreadNode, subjectOf, `${other} |-`, `${other} | `));
  }
  const last = follows.shift();
  if (last) out.push(renderMailBox(last, subjectOf, `${other} \`-`, `${other}   `));
  return out.join("");
}

/** RFC 5256 THREAD response body, e.g. "(1 (2 4)(3))((5)(6))". */
export function renderImapThreads(roots: ThreadNode[], numberOf: (id: string) => number): string {
  const inner = (node: ThreadNode): string => {
    // A placeholder always nests its children, so even a single-child one
    // stays visible: "((r))". RFC 5256 pruning never leaves one of those.
    const kids = node.children.length === 1 && !node.placeholder
      ? inner(node.children[0] as ThreadNode)
      : node.children.map((c) => `(${inner(c)})`).join("");
    if (node.placeholder) return kids;
    const self = String(numberOf(node.id));
    return kids === "" ? self : `${self} ${kids}`;
  };
  return roots.map((r) => `(${inner(r)})`).join("");
}

export function findNode(roots: ThreadNode[], predicate: (n: ThreadNode) => boolean): ThreadNode | undefined {
  for (const r of roots) {
    if (predicate(r)) return r;
    const hit = findNode(r.children, predicate);
    if (hit) return hit;
  }
  return undefined;
}

/** messageId -> parent messageId (null for roots), over real messages only. */
export function parentMap(roots: ThreadNode[]): Map<string, string | null> {
  const map = new Map<string, string | null>();
  const walk = (node: ThreadNode, parent: ThreadNode | null) => {
    if (!node.placeholder) map.set(node.messageId, parent ? parent.messageId : null);
    for (const c of node.children) walk(c, node);
  };
  for (const r of roots) walk(r, null);
  return map;
}
