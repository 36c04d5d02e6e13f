// The account CLI (app/cli/user.ts), run for real as a child process against
// this file's private database (DATABASE_URL / DATA_DIR from per-file-database.ts).
import { spawn } from "node:child_process";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { authenticate } from "~/utils/auth/accounts.server";
import { resetLoginThrottle } from "~/utils/auth/login-throttle.server";
import { db } from "~/utils/db.server";

type CliResult = { code: number | null; stdout: string; stderr: string };

const GOOD_PASSWORD = "violet-harbour-lantern-42";

function runCli(args: string[], stdin = ""): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "app/cli/user.ts", ...args], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const findUser = (username: string) =>
  db.user.findUnique({ where: { usernameKey: username.toLowerCase() }, select: { username: true, email: true, role: true, passwordHash: true } });

describe("npm run user", { timeout: 60_000 }, () => {
  beforeEach(async () => {
    await db.user.deleteMany();
    resetLoginThrottle();
  });
  afterAll(async () => {
    await db.user.deleteMany();
  });

  it("creates an admin whose password is argon2id-hashed and accepted at log-in", async () => {
    const result = await runCli(
      ["create", "--username", "First_Admin", "--email", "admin@example.org", "--role", "admin"],
      `${GOOD_PASSWORD}\n`,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Created admin account 'First_Admin'.");

    const user = await findUser("First_Admin");
    expect(user).toMatchObject({ username: "First_Admin", email: "admin@example.org", role: "admin" });
    expect(user!.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(user!.passwordHash).not.toContain(GOOD_PASSWORD);

    const login = await authenticate("first_admin", GOOD_PASSWORD, "cli-test-client");
    expect(login).toMatchObject({ ok: true, user: { username: "First_Admin", role: "admin" } });
    const wrong = await authenticate("first_admin", `${GOOD_PASSWORD}x`, "cli-test-client");
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
  });

  it("uses only the first line of standard input as the password", async () => {
    const result = await runCli(
      ["create", "--username", "moddy", "--email", "moddy@example.org", "--role", "moderator"],
      `${GOOD_PASSWORD}\r\nsomething else\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Created moderator account 'moddy'.");
    expect((await findUser("moddy"))?.role).toBe("moderator");
    expect(await authenticate("moddy", GOOD_PASSWORD, "cli-test-client")).toMatchObject({ ok: true });
  });

  it("refuses a common password with exit code 1 and writes nothing", async () => {
    const result = await runCli(["create", "--username", "weak", "--email", "weak@example.org", "--role", "member"], "password123\n");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      "Password: This password is one of the most common passwords and easy to guess. Please choose another.",
    ]);
    expect(await db.user.count()).toBe(0);
  });

  it("refuses a duplicate username (in any case) and a duplicate email, one line each", async () => {
    const first = await runCli(["create", "--username", "alice", "--email", "alice@example.org", "--role", "member"], `${GOOD_PASSWORD}\n`);
    expect(first.code).toBe(0);

    const again = await runCli(["create", "--username", "ALICE", "--email", "Alice@Example.org", "--role", "admin"], `${GOOD_PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split("\n")).toEqual([
      "Username: That username is taken. Please choose another.",
      "Email: An account with this email address already exists. Try logging in.",
    ]);
    expect(await db.user.count()).toBe(1);
    expect((await findUser("alice"))?.role).toBe("member");
  });

  it("validates the username and email with the sign-up rules", async () => {
    const result = await runCli(["create", "--username", "admin", "--email", "not-an-address", "--role", "admin"], `${GOOD_PASSWORD}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Username: That username is reserved.");
    expect(result.stderr).toContain("Email: Enter a valid email address");
    expect(await db.user.count()).toBe(0);
  });

  it("answers a bad role, a missing flag or an unknown command with the usage text and exit code 2", async () => {
    const badRole = await runCli(["create", "--username", "bob", "--email", "bob@example.org", "--role", "superuser"], `${GOOD_PASSWORD}\n`);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('Unknown role "superuser"');
    expect(badRole.stderr).toContain("Usage:");

    const missing = await runCli(["create", "--username", "bob", "--role", "member"], `${GOOD_PASSWORD}\n`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("create needs --email.");

    const unknown = await runCli(["delete", "--username", "bob"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command: delete");
    expect(await db.user.count()).toBe(0);
  });

  it("changes a role with set-role and lists accounts without their email addresses", async () => {
    const created = await runCli(["create", "--username", "carol", "--email", "carol@example.org", "--role", "member"], `${GOOD_PASSWORD}\n`);
    expect(created.code).toBe(0);

    const promoted = await runCli(["set-role", "--username", "Carol", "--role", "moderator"]);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain("Changed the role of 'carol' from member to moderator.");
    expect((await findUser("carol"))?.role).toBe("moderator");

    const unknownUser = await runCli(["set-role", "--username", "nobody", "--role", "admin"]);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain("there is no account named 'nobody'");

    const listed = await runCli(["list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^carol\s+moderator\s+\d{4}-\d{2}-\d{2}$/m);
    expect(listed.stdout).not.toContain("@");
  });
});
