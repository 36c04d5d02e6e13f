// Account administration from the server's shell, so that a real deployment
// can get its first admin without demo content:
//
//   npm run user -- create --username X --email Y --role admin|moderator|member
//   npm run user -- set-role --username X --role admin|moderator|member
//   npm run user -- list
//
// `create` asks for the password twice on a terminal (nothing is echoed) or
// reads the first line of standard input when it is not a terminal:
//
//   printf '%s\n' "$PASSWORD" | npm run user -- create --username ...
//
// Exit codes: 0 done, 1 refused (field errors, unknown account, database
// problem), 2 usage error.
import "dotenv/config";
import readline from "node:readline";
import { StringDecoder } from "node:string_decoder";
import { parseArgs } from "node:util";
import { emailSchema, usernameSchema } from "../utils/auth/account-rules";
import { ROLES, isRole, type Role } from "../utils/permissions";
import { Refusal, runCommand, UsageError } from "./run-command";

const USAGE = `Usage:
  npm run user -- create --username <name> --email <address> --role <${ROLES.join("|")}>
      Creates an account. The password is asked for twice on a terminal, or
      read from the first line of standard input otherwise.
  npm run user -- set-role --username <name> --role <${ROLES.join("|")}>
      Changes the role of an existing account.
  npm run user -- list
      Lists every account: username, role and the date it joined.

The database is the one the server uses (DATABASE_URL, or DATA_DIR/threadline.db).`;


const FIELD_LABELS: Record<string, string> = {
  username: "Username",
  email: "Email",
  password: "Password",
  currentPassword: "Current password",
};

function parseCommand(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        username: { type: "string" },
        email: { type: "string" },
        role: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values itself.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" as const };
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `Unexpected argument: ${positionals.slice(1).join(" ")}` : "No command given.");
  }
  const command = positionals[0]!;
  const allowed: Record<string, string[]> = {
    create: ["username", "email", "role"],
    "set-role": ["username", "role"],
    list: [],
  };
  const expected = allowed[command];
  if (!expected) throw new UsageError(`Unknown command: ${command}`);
  for (const name of ["username", "email", "role"] as const) {
    const given = values[name] !== undefined;
    if (expected.includes(name) && !given) throw new UsageError(`${command} needs --${name}.`);
    if (!expected.includes(name) && given) throw new UsageError(`${command} does not take --${name}.`);
  }
  let role: Role | undefined;
  if (values.role !== undefined) {
    if (!isRole(values.role)) throw new UsageError(`Unknown role "${values.role}": use one of ${ROLES.join(", ")}.`);
    role = values.role;
  }
  return { command: command as "create" | "set-role" | "list", username: values.username, email: values.email, role };
}

/**
 * Checks the username and email against the account rules (the messages are
 * the ones the sign-up form shows) and returns their normalised values.
 */
function validateAccountFields(username: string, email: string): { username: string; email: string } {
  const name = usernameSchema.safeParse(username);
  const address = emailSchema.safeParse(email);
  if (name.success && address.success) return { username: name.data, email: address.data };
  const lines = [
    ...(name.error?.issues ?? []).map((issue) => `${FIELD_LABELS.username}: ${issue.message}`),
    ...(address.error?.issues ?? []).map((issue) => `${FIELD_LABELS.email}: ${issue.message}`),
  ];
  throw new Refusal(lines);
}

/** The first line of a non-terminal standard input, without its line ending. */
async function readFirstLine(): Promise<string> {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    throw new Refusal(["Password: standard input was empty. Pipe the password as its first line."]);
  } finally {
    lines.close();
    process.stdin.pause();
  }
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder("utf8");
    let value = "";
    output.write(prompt);
    input.setRawMode(true);
    input.resume();
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of decoder.write(chunk)) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003") return finish(new Refusal(["Cancelled."]));
        if (char === "\u0004") {
          if (value === "") return finish(new Refusal(["Cancelled."]));
          return finish();
        }
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        else if (char >= " ") value += char;
      }
    };
    input.on("data", onData);
  });
}

async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Password again: ");
  if (first !== second) throw new Refusal(["Password: the two passwords differ. Nothing was created."]);
  return first;
}

async function create(username: string, email: string, role: Role) {
  const fields = validateAccountFields(username, email);
  const password = await readNewPassword();
  const { registerUser } = await import("../utils/auth/accounts.server");
  const result = await registerUser({ ...fields, password, role });
  if (!result.ok) {
    const lines = Object.entries(result.fieldErrors).flatMap(([field, messages]) =>
      (messages ?? []).map((message) => `${FIELD_LABELS[field] ?? field}: ${message}`),
    );
    throw new Refusal(lines);
  }
  console.log(`Created ${result.user.role} account '${result.user.username}'.`);
}

async function setRole(username: string, role: Role) {
  const { db } = await import("../utils/db.server");
  const user = await db.user.findUnique({
    where: { usernameKey: username.trim().toLowerCase() },
    select: { id: true, username: true, role: true },
  });
  if (!user) throw new Refusal([`Username: there is no account named '${username.trim()}'.`]);
  if (user.role === role) {
    console.log(`'${user.username}' already has the role ${role}; nothing changed.`);
    return;
  }
  await db.user.update({ where: { id: user.id }, data: { role } });
  console.log(`Changed the role of '${user.username}' from ${user.role} to ${role}.`);
  if (user.role === "admin") {
    const admins = await db.user.count({ where: { role: "admin" } });
    if (admins === 0) console.log("Note: there is no admin account left. Promote one with set-role --role admin.");
  }
}

async function list() {
  const { db } = await import("../utils/db.server");
  const users = await db.user.findMany({
    // Deleted accounts are anonymous rows kept as authors, not accounts.
    where: { deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { username: true, role: true, createdAt: true },
  });
  if (!users.length) {
    console.log("No accounts yet. Create the first admin with: npm run user -- create --username <name> --email <address> --role admin");
    return;
  }
  const rows = [["USERNAME", "ROLE", "JOINED"], ...users.map((u) => [u.username, u.role, u.createdAt.toISOString().slice(0, 10)])];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(`${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`);
  console.log(`${users.length} account${users.length === 1 ? "" : "s"}.`);
}

process.exitCode = await runCommand(process.argv.slice(2), USAGE, parseCommand, async (command) => {
  if (command.command === "create") await create(command.username!, command.email!, command.role!);
  else if (command.command === "set-role") await setRole(command.username!, command.role!);
  else await list();
});
