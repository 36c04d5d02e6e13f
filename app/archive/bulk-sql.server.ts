import { openTransactionDriver, type DriverConnection } from "~/utils/serialized-adapter.server";

type Statement = ReturnType<DriverConnection["prepare"]>;

// Statements are compiled once per connection and reused for every row.
const statements = new WeakMap<DriverConnection, Map<string, Statement>>();

/**
 * The bulk importer's way to the database: prepared statements on the open
 * transaction's own connection (docs/decisions/0015). Values are written the
 * way Prisma's SQLite adapter writes them, so Prisma reads them back alike.
 */
export class BulkSql {
  private constructor(private readonly connection: DriverConnection) {}

  /** For the transaction open now; call inside `db.$transaction(async (tx) => …)`. */
  static forOpenTransaction(): BulkSql {
    const connection = openTransactionDriver();
    if (!connection) throw new Error("The bulk importer needs the SQLite driver's connection, and the database adapter does not expose it.");
    return new BulkSql(connection);
  }

  private statement(sql: string): Statement {
    let cache = statements.get(this.connection);
    if (!cache) statements.set(this.connection, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = this.connection.prepare(sql)));
    return statement;
  }

  /** Runs an INSERT … RETURNING "id" and gives the new row's id. */
  insertReturningId(sql: string, values: unknown[]): number {
    const row = this.statement(sql).get(...values.map(sqlValue)) as { id: number | bigint } | undefined;
    if (!row) throw new Error("INSERT returned no row");
    return Number(row.id);
  }

  /** Rows as the driver returns them: integers as BigInt, booleans as 0/1, dates as ISO text. */
  all<Row>(sql: string, values: unknown[]): Row[] {
    return this.statement(sql).all(...values.map(sqlValue)) as Row[];
  }

  run(sql: string, values: unknown[]): void {
    this.statement(sql).run(...values.map(sqlValue));
  }
}

/** A value as Prisma's SQLite adapter stores it: dates as ISO text with an offset, booleans as 0/1. */
export function sqlValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value === undefined ? null : value;
}

/** `INSERT INTO "table" ("a", "b") VALUES (?, ?)` for these columns. */
export function insertSql(table: string, columns: readonly string[], returning?: string): string {
  const names = columns.map((column) => `"${column}"`).join(", ");
  const marks = columns.map(() => "?").join(", ");
  return `INSERT INTO "${table}" (${names}) VALUES (${marks})${returning ? ` RETURNING "${returning}"` : ""}`;
}

/** A driver integer (BigInt with safe integers on) as a number. */
export const int = (value: unknown): number => Number(value);
/** A driver integer or null. */
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** A DATETIME column as Prisma's adapter wrote it (ISO text), as a Date. */
export const dateOf = (value: unknown): Date => new Date(String(value));
