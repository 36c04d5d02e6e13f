// The forum benchmark's database: 10 forums, 100 boards, 100,000 topics,
// 2,000,000 posts and 2,000 members, generated once and cached in
// <tmpdir>/threadline-bench-forums-v1/ (rebuilt when prisma/migrations or this
// generator changes), then copied into each run's own DATA_DIR.
//
// The schema comes from `prisma migrate deploy`; the rows are written with
// better-sqlite3 directly (prepared statements, large transactions, WAL with
// synchronous=OFF, Post's secondary indexes built after the load), which is
// some 100 times faster than going through Prisma.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import { slugify } from "../../../app/forums/slug";
import type { BenchContext } from "../types";
import { createRandom, memberName, postBody, topicTitle, zipfSampler, type Random } from "./forum-text";
import { runCommand } from "./production-server";

export const DATASET_SHAPE = {
  forums: 10,
  boardsPerForum: 10,
  topics: 100_000,
  posts: 2_000_000,
  members: 2_000,
  /** The topic whose pages are measured has exactly this many posts. */
  featuredTopicPosts: 500,
  /** Members who post replies in the "many members" scenario. */
  replyingMembers: 50,
} as const;

/** Bump when the generator's output changes: cached databases are then rebuilt. */
const GENERATOR_VERSION = 1;
const SEED = 20261130;
const CACHE_DIR = path.join(os.tmpdir(), "threadline-bench-forums-v1");
const DB_NAME = "threadline.db";
const MANIFEST_NAME = "manifest.json";
const DAY_MS = 24 * 60 * 60 * 1000;
/** Looks like an argon2id hash but matches no password: generated members never log in with one. */
const PLACEHOLDER_HASH = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2htYXJrLW5vLWxvZ2lu$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const BENCH_USER = { username: "bench_member", email: "bench-member@example.org", password: "forum-bench-violet-harbour-4812" };

export type ForumDatasetManifest = {
  generatorVersion: number;
  migrationsFingerprint: string;
  migrations: string[];
  builtAt: string;
  generationSeconds: number;
  dbBytes: number;
  counts: { forums: number; boards: number; topics: number; posts: number; members: number };
  /** Posts per topic: median, 90th and 99th percentile, largest. */
  topicSizes: { median: number; p90: number; p99: number; max: number; singlePost: number };
  featuredTopic: { id: number; slug: string; posts: number; boardSlug: string };
  board: { slug: string; topicCount: number };
  replyTopic: { id: number; slug: string; posts: number };
  benchUser: { id: number; username: string; email: string; password: string };
  replyingMemberIds: number[];
};

export type ForumDataset = {
  dbFile: string;
  manifest: ForumDatasetManifest;
  /** True when this run generated the database, false when it came from the cache. */
  generated: boolean;
};

/** A fingerprint of the schema migrations (names and SQL) and of this generator. */
function migrationsFingerprint(root: string): { fingerprint: string; migrations: string[] } {
  const dir = path.join(root, "prisma", "migrations");
  const hash = createHash("sha256").update(`generator:${GENERATOR_VERSION}\n`);
  const migrations = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of migrations) {
    hash.update(`${name}\n`);
    const sql = path.join(dir, name, "migration.sql");
    if (fs.existsSync(sql)) hash.update(fs.readFileSync(sql));
  }
  const lock = path.join(dir, "migration_lock.toml");
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  return { fingerprint: hash.digest("hex"), migrations };
}

function readManifest(dir: string): ForumDatasetManifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), "utf8")) as ForumDatasetManifest;
  } catch {
    return null;
  }
}

export const formatBytes = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/** The cached dataset, generated first if missing or built for other migrations. */
export async function ensureForumDataset(context: BenchContext): Promise<ForumDataset> {
  const { fingerprint, migrations } = migrationsFingerprint(context.root);
  const dbFile = path.join(CACHE_DIR, DB_NAME);
  const cached = readManifest(CACHE_DIR);
  if (cached && cached.migrationsFingerprint === fingerprint && fs.existsSync(dbFile) && fs.statSync(dbFile).size === cached.dbBytes) {
    context.log(`Using the cached forum dataset in ${CACHE_DIR} (${formatBytes(cached.dbBytes)}, generated ${cached.builtAt} in ${cached.generationSeconds.toFixed(0)} s).`);
    return { dbFile, manifest: cached, generated: false };
  }
  context.log(
    cached
      ? `The cached forum dataset was built for other migrations or another generator; rebuilding it.`
      : `No cached forum dataset in ${CACHE_DIR}; generating one (a few minutes, once).`,
  );
  const manifest = await generate(context, fingerprint, migrations);
  return { dbFile, manifest, generated: true };
}

/**
 * Copies the cached database into a run's data folder (a reflink where the
 * filesystem can) and flushes it to disk: otherwise the app's first WAL
 * checkpoint, which fsyncs the database file, would stall the server for
 * seconds in the middle of a measurement while the kernel writes the copy out.
 */
export function copyDataset(dataset: ForumDataset, dataDir: string) {
  fs.mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, DB_NAME);
  fs.copyFileSync(dataset.dbFile, target, fs.constants.COPYFILE_FICLONE);
  const fd = fs.openSync(target, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs tests/bench/lib/forum-accounts.ts against a database and returns its JSON answer. */
async function accountsHelper<T>(context: BenchContext, dbFile: string, args: string[]): Promise<T> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${dbFile}`, DATA_DIR: path.dirname(dbFile), LOG_LEVEL: "warn" };
  const result = await runCommand(process.execPath, ["--import", "tsx", path.join("tests", "bench", "lib", "forum-accounts.ts"), ...args], {
    cwd: context.root,
    env,
    timeoutMs: 120_000,
  });
  const line = result.output.split("\n").find((text) => text.startsWith("forum-accounts-result:"));
  if (result.code !== 0 || !line) throw new Error(`forum-accounts.ts ${args[0]} failed (exit code ${result.code}):\n${result.output}`);
  return JSON.parse(line.slice("forum-accounts-result:".length)) as T;
}

/** Logs members in through the app's createSession; returns their session tokens by user id. */
export async function createSessions(context: BenchContext, dataDir: string, userIds: number[]): Promise<Map<number, string>> {
  const { tokens } = await accountsHelper<{ tokens: Record<string, string> }>(context, path.join(dataDir, DB_NAME), ["sessions", userIds.join(",")]);
  return new Map(Object.entries(tokens).map(([id, token]) => [Number(id), token]));
}

// ---------------------------------------------------------------------------
// The plan: every number decided up front, from a fixed seed.

const FORUMS = [
  ["python", "Python"], ["javascript", "JavaScript"], ["rust", "Rust"], ["go", "Go"], ["databases", "Databases"],
  ["devops", "DevOps"], ["linux", "Linux"], ["security", "Security"], ["web-design", "Web design"], ["community", "Community"],
] as const;
const BOARDS = [
  ["help", "Help"], ["beginners", "Beginners"], ["announce", "Announcements"], ["show-and-tell", "Show and tell"], ["libraries", "Libraries"],
  ["tooling", "Tooling"], ["performance", "Performance"], ["jobs", "Jobs"], ["events", "Events"], ["meta", "Meta"],
] as const;

function shuffle<T>(items: { length: number; [index: number]: T }, random: Random) {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = random.int(i + 1);
    const swap = items[i]!;
    items[i] = items[j]!;
    items[j] = swap;
  }
}

/** Integer counts proportional to `weights`, at least `min` each, summing exactly to `total`. */
function apportion(weights: number[], total: number, min: number): number[] {
  const spare = total - min * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (weight / sum) * spare);
  const counts = exact.map((value) => min + Math.floor(value));
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, index) => [value - Math.floor(value), index] as const).sort((a, b) => b[0] - a[0]);
  for (const [, index] of byRemainder) {
    if (missing <= 0) break;
    counts[index]! += 1;
    missing -= 1;
  }
  return counts;
}

type Plan = ReturnType<typeof planDataset>;

function planDataset(now: number) {
  const random = createRandom(SEED);
  const { topics: topicTotal, posts: postTotal, members } = DATASET_SHAPE;
  const boardTotal = DATASET_SHAPE.forums * DATASET_SHAPE.boardsPerForum;
  const end = now - 60 * 60 * 1000;
  const start = end - 6 * 365 * DAY_MS;

  // Board sizes: Zipf-like (a few busy boards, many quiet ones), in random order.
  const weights = Array.from({ length: boardTotal }, (_, rank) => 1 / (rank + 4) ** 0.9);
  shuffle(weights, random);
  const boardTopics = apportion(weights, topicTotal, 150);
  // The board measured: the one closest to 1,000 topics (deep pages exist).
  let benchBoard = 0;
  for (let b = 1; b < boardTotal; b += 1) {
    if (Math.abs(boardTopics[b]! - 1000) < Math.abs(boardTopics[benchBoard]! - 1000)) benchBoard = b;
  }

  // Topics in creation order (ids grow with time); activity grows over the years.
  const topicBoard = new Uint8Array(topicTotal);
  for (let b = 0, t = 0; b < boardTotal; b += 1) for (let i = 0; i < boardTopics[b]!; i += 1) topicBoard[t++] = b;
  shuffle(topicBoard, random);
  const topicCreated = new Float64Array(topicTotal);
  for (let t = 0; t < topicTotal; t += 1) topicCreated[t] = start + (end - start) * Math.sqrt(random.next()) * 0.999;
  topicCreated.sort();

  // Pinned: the first topic of every board, and the second of every third board.
  const pinned = new Uint8Array(topicTotal);
  const seen = new Uint32Array(boardTotal);
  const boardTopicIndexes: number[] = [];
  for (let t = 0; t < topicTotal; t += 1) {
    const b = topicBoard[t]!;
    if (seen[b] === 0 || (seen[b] === 1 && b % 3 === 0)) pinned[t] = 1;
    seen[b]! += 1;
    if (b === benchBoard) boardTopicIndexes.push(t);
  }
  const locked = new Uint8Array(topicTotal);
  for (let t = 0; t < topicTotal; t += 1) if (random.chance(0.01)) locked[t] = 1;

  // Posts per topic: log-normal (median about 9, a long tail), summing exactly to postTotal.
  const featured = boardTopicIndexes.find((t, i) => i >= boardTopicIndexes.length * 0.4 && !pinned[t])!;
  const postCount = new Uint32Array(topicTotal);
  const sigma = 1.25;
  const mu = Math.log(postTotal / topicTotal) - (sigma * sigma) / 2;
  for (let t = 0; t < topicTotal; t += 1) postCount[t] = Math.min(6000, Math.max(1, Math.round(random.logNormal(mu, sigma))));
  postCount[featured] = DATASET_SHAPE.featuredTopicPosts;
  const target = postTotal - DATASET_SHAPE.featuredTopicPosts;
  let sum = 0;
  for (let t = 0; t < topicTotal; t += 1) if (t !== featured) sum += postCount[t]!;
  const scale = target / sum;
  sum = 0;
  for (let t = 0; t < topicTotal; t += 1) {
    if (t === featured) continue;
    postCount[t] = Math.min(6000, Math.max(1, Math.round(postCount[t]! * scale)));
    sum += postCount[t]!;
  }
  while (sum !== target) {
    const t = random.int(topicTotal);
    if (t === featured) continue;
    if (sum < target && postCount[t]! < 6000) {
      postCount[t]! += 1;
      sum += 1;
    } else if (sum > target && postCount[t]! > 1) {
      postCount[t]! -= 1;
      sum -= 1;
    }
  }
  // Replies are posted to a recent, ordinary topic of the same board.
  const replyTopic = [...boardTopicIndexes].reverse().find((t) => !pinned[t] && !locked[t] && t !== featured && postCount[t]! >= 10 && postCount[t]! <= 40)!;
  locked[featured] = 0;

  // Who writes: a Zipf-like share of posts per member (a few regulars write most).
  const pickMember = zipfSampler(members, 1.0, 8);
  const memberOfRank = Uint16Array.from({ length: members }, (_, i) => i + 1);
  shuffle(memberOfRank, random);
  const topicStart = new Uint32Array(topicTotal + 1);
  for (let t = 0; t < topicTotal; t += 1) topicStart[t + 1] = topicStart[t]! + postCount[t]!;
  const postTime = new Float64Array(postTotal);
  const postAuthor = new Uint16Array(postTotal);
  const postTopic = new Uint32Array(postTotal);
  for (let t = 0; t < topicTotal; t += 1) {
    const n = postCount[t]!;
    const first = topicStart[t]!;
    const created = topicCreated[t]!;
    // Replies come at random intervals; a topic lives for hours to years.
    const meanGap = random.logNormal(Math.log(3 * 60 * 60 * 1000), 1.2);
    const lifetime = Math.min(end - created, (n - 1) * meanGap);
    let cumulative = 0;
    const gaps: number[] = [0];
    for (let k = 1; k < n; k += 1) gaps.push((cumulative += random.exponential(1)));
    for (let k = 0; k < n; k += 1) {
      postTime[first + k] = created + (n > 1 ? (gaps[k]! / cumulative) * lifetime : 0);
      postAuthor[first + k] = memberOfRank[pickMember(random)]!;
      postTopic[first + k] = t;
    }
  }
  // Post ids follow time across topics, as on a live forum.
  const order = new Uint32Array(postTotal);
  for (let i = 0; i < postTotal; i += 1) order[i] = i;
  order.sort((a, b) => postTime[a]! - postTime[b]! || a - b);

  const sizes = Uint32Array.from(postCount).sort();
  const replyingMemberIds = Array.from({ length: DATASET_SHAPE.replyingMembers }, (_, i) => 20 + i * Math.floor((members - 40) / DATASET_SHAPE.replyingMembers));

  return {
    random, start, end, boardTotal, boardTopics, benchBoard, topicBoard, topicCreated, pinned, locked, postCount, topicStart,
    postTime, postAuthor, postTopic, order, featured, replyTopic, replyingMemberIds,
    topicSizes: {
      median: sizes[Math.floor(topicTotal / 2)]!,
      p90: sizes[Math.floor(topicTotal * 0.9)]!,
      p99: sizes[Math.floor(topicTotal * 0.99)]!,
      max: sizes[topicTotal - 1]!,
      singlePost: sizes.filter((n) => n === 1).length,
    },
  };
}

// ---------------------------------------------------------------------------
// Writing it.

/** Prisma's SQLite date format (driver adapter): ISO 8601 with an explicit +00:00. */
const isoDate = (ms: number) => new Date(Math.round(ms)).toISOString().replace("Z", "+00:00");

async function generate(context: BenchContext, fingerprint: string, migrations: string[]): Promise<ForumDatasetManifest> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  fs.mkdirSync(path.dirname(CACHE_DIR), { recursive: true });
  const workDir = fs.mkdtempSync(`${CACHE_DIR}.build-`);
  const removeWorkDir = () => fs.rmSync(workDir, { recursive: true, force: true });
  context.onCleanup(removeWorkDir);
  const dbFile = path.join(workDir, DB_NAME);
  try {
    context.log(`Creating the schema (npx prisma migrate deploy) in ${workDir}...`);
    const env = { ...process.env, DATABASE_URL: `file:${dbFile}`, DATA_DIR: workDir };
    const migrate = await runCommand("npx", ["prisma", "migrate", "deploy"], { cwd: context.root, env, timeoutMs: 5 * 60_000 });
    if (migrate.code !== 0) throw new Error(`prisma migrate deploy failed (exit code ${migrate.code}):\n${migrate.output}`);

    const plan = planDataset(Date.now());
    context.log(`Planned the dataset in ${elapsed()}; writing rows...`);
    const db = new Database(dbFile);
    try {
      await writeRows(context, db, plan, elapsed);
    } finally {
      db.close();
    }

    context.log("Creating the benchmark member through registerUser (a real argon2 hash)...");
    const { id: benchUserId } = await accountsHelper<{ id: number }>(context, dbFile, ["register", BENCH_USER.username, BENCH_USER.email, BENCH_USER.password]);

    const check = new Database(dbFile, { readonly: true });
    let counts: ForumDatasetManifest["counts"];
    let featuredPosts: number;
    try {
      const count = (sql: string, ...params: unknown[]) => Number((check.prepare(sql).pluck().get(...params) as number | bigint) ?? 0);
      counts = {
        forums: count(`SELECT count(*) FROM "Forum"`),
        boards: count(`SELECT count(*) FROM "Board"`),
        topics: count(`SELECT count(*) FROM "Topic"`),
        posts: count(`SELECT count(*) FROM "Post"`),
        members: count(`SELECT count(*) FROM "User"`),
      };
      featuredPosts = count(`SELECT count(*) FROM "Post" WHERE "topicId" = ?`, plan.featured + 1);
      const topicSum = count(`SELECT sum("postCount") FROM "Topic"`);
      const boardSum = count(`SELECT sum("postCount") FROM "Board"`);
      if (counts.posts !== DATASET_SHAPE.posts || topicSum !== counts.posts || boardSum !== counts.posts || featuredPosts !== DATASET_SHAPE.featuredTopicPosts) {
        throw new Error(`The generated database is inconsistent: ${JSON.stringify({ counts, topicSum, boardSum, featuredPosts })}`);
      }
    } finally {
      check.close();
    }
    // Written out now, not by the kernel in the middle of the first measurement.
    const fd = fs.openSync(dbFile, "r+");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (const extra of ["-wal", "-shm", "-journal"]) {
      if (fs.existsSync(`${dbFile}${extra}`)) throw new Error(`Unexpected ${DB_NAME}${extra} left next to the generated database.`);
    }

    const topicRow = (t: number) => ({ id: t + 1, slug: slugify(titleOf(t)) });
    const boardSlug = boardSlugOf(plan.benchBoard);
    const manifest: ForumDatasetManifest = {
      generatorVersion: GENERATOR_VERSION,
      migrationsFingerprint: fingerprint,
      migrations,
      builtAt: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
      generationSeconds: (performance.now() - started) / 1000,
      dbBytes: fs.statSync(dbFile).size,
      counts,
      topicSizes: plan.topicSizes,
      featuredTopic: { ...topicRow(plan.featured), posts: featuredPosts, boardSlug },
      board: { slug: boardSlug, topicCount: plan.boardTopics[plan.benchBoard]! },
      replyTopic: { ...topicRow(plan.replyTopic), posts: plan.postCount[plan.replyTopic]! },
      benchUser: { id: benchUserId, ...BENCH_USER },
      replyingMemberIds: plan.replyingMemberIds,
    };
    fs.writeFileSync(path.join(workDir, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    // Swap the finished folder in: an interrupted build never leaves a half-written cache.
    fs.rmSync(CACHE_DIR, { recursive: true, force: true });
    fs.renameSync(workDir, CACHE_DIR);
    context.log(`Generated the forum dataset in ${elapsed()}: ${formatBytes(manifest.dbBytes)} in ${path.join(CACHE_DIR, DB_NAME)}.`);
    return manifest;
  } finally {
    removeWorkDir();
  }
}

// Titles come from their own seeded stream, so a topic's slug can be recomputed from its index.
function titleOf(topicIndex: number): string {
  return topicTitle(createRandom(SEED ^ (topicIndex * 2654435761)));
}
const boardSlugOf = (b: number) => `${FORUMS[Math.floor(b / DATASET_SHAPE.boardsPerForum)]![0]}-${BOARDS[b % DATASET_SHAPE.boardsPerForum]![0]}`;

async function writeRows(context: BenchContext, db: Database.Database, plan: Plan, elapsed: () => string) {
  const { random } = plan;
  const { topics: topicTotal, posts: postTotal, members } = DATASET_SHAPE;
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  db.pragma("cache_size = -262144");
  db.pragma("temp_store = MEMORY");

  // Post's secondary indexes are built once at the end: much faster than maintaining them row by row.
  const postIndexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Post' AND sql IS NOT NULL`)
    .all() as Array<{ name: string; sql: string }>;
  for (const index of postIndexes) db.exec(`DROP INDEX "${index.name}"`);

  db.transaction(() => {
    const forum = db.prepare(`INSERT INTO "Forum" ("id", "slug", "name", "description", "position") VALUES (?, ?, ?, ?, ?)`);
    FORUMS.forEach(([slug, name], f) => forum.run(f + 1, slug, name, `Everything about ${name}: questions, news and projects.`, f));

    const user = db.prepare(
      `INSERT INTO "User" ("id", "username", "usernameKey", "email", "emailKey", "passwordHash", "role", "createdAt", "updatedAt", "publicPostingAckAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let id = 1; id <= members; id += 1) {
      const name = memberName(id);
      const joined = isoDate(plan.start - random.int(365) * DAY_MS);
      const role = id === 1 ? "admin" : id <= 6 ? "moderator" : "member";
      user.run(id, name, name.toLowerCase(), `${name}@example.org`, `${name}@example.org`, PLACEHOLDER_HASH, role, joined, joined, joined);
    }
  })();

  // Topics, with counters that match the posts written below.
  const boardPosts = new Array<number>(plan.boardTotal).fill(0);
  const boardLast = new Array<number>(plan.boardTotal).fill(0);
  const topic = db.prepare(
    `INSERT INTO "Topic" ("id", "boardId", "slug", "title", "authorId", "createdAt", "bumpedAt", "lastPosterId", "postCount", "lastPostNumber",
       "viewCount", "pinned", "locked", "lockedReason") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let t = 0; t < topicTotal; t += 1) {
      const n = plan.postCount[t]!;
      const first = plan.topicStart[t]!;
      const last = first + n - 1;
      const b = plan.topicBoard[t]!;
      const title = titleOf(t);
      boardPosts[b]! += n;
      boardLast[b] = Math.max(boardLast[b]!, plan.postTime[last]!);
      topic.run(
        t + 1, b + 1, slugify(title), title, plan.postAuthor[first], isoDate(plan.topicCreated[t]!), isoDate(plan.postTime[last]!), plan.postAuthor[last],
        n, n, Math.round(n * (3 + random.next() * 40)) + random.int(50), plan.pinned[t], plan.locked[t], plan.locked[t] ? "Resolved; please open a new topic." : null,
      );
    }
  })();
  db.transaction(() => {
    const board = db.prepare(
      `INSERT INTO "Board" ("id", "forumId", "slug", "name", "description", "position", "topicCount", "postCount", "lastPostedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let b = 0; b < plan.boardTotal; b += 1) {
      const forum = FORUMS[Math.floor(b / DATASET_SHAPE.boardsPerForum)]!;
      const kind = BOARDS[b % DATASET_SHAPE.boardsPerForum]!;
      board.run(
        b + 1, Math.floor(b / DATASET_SHAPE.boardsPerForum) + 1, boardSlugOf(b), `${forum[1]} ${kind[1].toLowerCase()}`,
        `${kind[1]} for ${forum[1]} people.`, b % DATASET_SHAPE.boardsPerForum, plan.boardTopics[b], boardPosts[b], isoDate(boardLast[b]!),
      );
    }
  })();
  context.log(`Wrote ${FORUMS.length} forums, ${plan.boardTotal} boards, ${members.toLocaleString("en")} members and ${topicTotal.toLocaleString("en")} topics (${elapsed()}).`);

  // Posts, in time order, in transactions of 50,000.
  const post = db.prepare(
    `INSERT INTO "Post" ("id", "topicId", "number", "authorId", "raw", "cooked", "replyToNumber", "createdAt", "updatedAt", "editedAt", "editCount")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const slot = plan.order[i]!;
      const t = plan.postTopic[slot]!;
      const number = slot - plan.topicStart[t]! + 1;
      const { raw, cooked } = postBody(random);
      const at = plan.postTime[slot]!;
      const created = isoDate(at);
      const replyTo = number > 2 && random.chance(0.12) ? Math.max(1, number - 1 - random.int(5)) : null;
      const edited = random.chance(0.03) ? isoDate(Math.min(plan.end, at + random.exponential(60 * 60 * 1000))) : null;
      post.run(i + 1, t + 1, number, plan.postAuthor[slot], raw, cooked, replyTo, created, edited ?? created, edited, edited ? 1 : 0);
    }
  });
  const BATCH = 50_000;
  const REPORT_EVERY = 200_000;
  for (let from = 0; from < postTotal; from += BATCH) {
    context.signal.throwIfAborted();
    batch(from, Math.min(postTotal, from + BATCH));
    const done = Math.min(postTotal, from + BATCH);
    if (done % REPORT_EVERY === 0 || done === postTotal) {
      context.log(`  posts ${done.toLocaleString("en")} / ${postTotal.toLocaleString("en")} (${Math.round((done / postTotal) * 100)}%), ${elapsed()}`);
    }
    await nextTurn(); // lets Ctrl-C through between transactions
  }

  for (const index of postIndexes) {
    context.signal.throwIfAborted();
    context.log(`  building index ${index.name}...`);
    db.exec(index.sql);
    await nextTurn();
  }
  const problems = db.prepare(`PRAGMA foreign_key_check`).all();
  if (problems.length) throw new Error(`Foreign key problems in the generated data, e.g. ${JSON.stringify(problems.slice(0, 3))}`);

  // Back to the defaults a fresh Prisma database has: one self-contained file
  // (the app switches to WAL itself when it connects).
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.pragma("journal_mode = DELETE");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  context.log(`Rows and indexes written (${elapsed()}).`);
}
