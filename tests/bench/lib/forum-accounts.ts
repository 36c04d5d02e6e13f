// A helper the forum benchmark runs in a child process (so that the app's
// database client binds to the benchmark's DATABASE_URL, not the harness's):
//
//   DATABASE_URL=file:/tmp/.../threadline.db node --import tsx tests/bench/lib/forum-accounts.ts register <username> <email> <password>
//   DATABASE_URL=file:/tmp/.../threadline.db node --import tsx tests/bench/lib/forum-accounts.ts sessions <userId>[,<userId>...]
//
// `register` creates an account through the app's own registerUser (a real
// argon2 hash); `sessions` logs members in through the app's createSession.
// The answer is one line on stdout: RESULT_PREFIX followed by JSON.
import { registerUser } from "../../../app/utils/auth/accounts.server";
import { createSession } from "../../../app/utils/auth/session.server";
import { disconnectDb } from "../../../app/utils/db.server";

const RESULT_PREFIX = "forum-accounts-result:";

async function main(argv: string[]) {
  const [command, ...args] = argv;
  if (command === "register") {
    const [username, email, password] = args;
    if (!username || !email || !password) throw new Error("register needs <username> <email> <password>");
    const result = await registerUser({ username, email, password, role: "member" });
    if (!result.ok) throw new Error(`registerUser refused: ${JSON.stringify(result.fieldErrors)}`);
    return { id: result.user.id };
  }
  if (command === "sessions") {
    const ids = (args[0] ?? "").split(",").filter(Boolean).map(Number);
    if (!ids.length || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) throw new Error("sessions needs a comma-separated list of user ids");
    const tokens: Record<string, string> = {};
    for (const id of ids) {
      const { token } = await createSession(id, "Benchmark (autocannon)", { idleDays: 30, maxDays: 90 });
      tokens[id] = token;
    }
    return { tokens };
  }
  throw new Error(`Unknown command "${command ?? ""}" (register | sessions)`);
}

main(process.argv.slice(2))
  .then(async (result) => {
    await disconnectDb();
    process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  })
  .catch(async (error) => {
    await disconnectDb().catch(() => {});
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
