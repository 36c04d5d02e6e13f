import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * The better-sqlite3 adapter runs every query on ONE connection. It queues
 * transactions behind each other, but a plain query issued while a
 * transaction is open (by another request, or the importer) would run inside
 * that transaction: it would see uncommitted rows, and its own write would be
 * lost if the transaction rolled back. This wrapper makes plain queries wait
 * for the open transaction to finish, so each transaction is isolated.
 *
 * Never use the top-level client inside `db.$transaction(async (tx) => …)`:
 * use `tx`, or the query would wait for its own transaction forever.
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function releasingTransaction(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const finish = async (method: "commit" | "rollback") => {
    try {
      await tx[method]();
    } finally {
      if (!released) {
        released = true;
        release();
      }
    }
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === "commit" || property === "rollback") return () => finish(property);
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A better-sqlite3 connection, as far as the bulk writers need it. */
export type DriverConnection = {
  prepare(sql: string): { run(...values: unknown[]): unknown; get(...values: unknown[]): unknown; all(...values: unknown[]): unknown[] };
};

// The connection of the transaction open right now, if the driver exposes it.
let openTransactionConnection: DriverConnection | null = null;

function driverConnectionOf(tx: Transaction): DriverConnection | null {
  const client = (tx as unknown as { client?: unknown }).client;
  return client && typeof (client as DriverConnection).prepare === "function" ? (client as DriverConnection) : null;
}

/**
 * The driver connection of the open transaction, for bulk writes that must
 * not pay Prisma's per-value cost (the archive importer): statements run on
 * it are part of that transaction (one connection, transactions one at a
 * time), so they commit or roll back with it. Only call it inside
 * `db.$transaction(async (tx) => …)`. Null when the adapter does not expose
 * its connection; callers then write through Prisma.
 */
export function openTransactionDriver(): DriverConnection | null {
  return openTransactionConnection;
}

class SerializedAdapter implements SqlDriverAdapter {
  private readonly mutex = new Mutex();

  getConnectionInfo?: SqlDriverAdapter["getConnectionInfo"];

  constructor(private readonly inner: SqlDriverAdapter) {
    if (inner.getConnectionInfo) this.getConnectionInfo = () => inner.getConnectionInfo!();
  }

  get provider() {
    return this.inner.provider;
  }

  get adapterName() {
    return this.inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.mutex.run(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.mutex.run(() => this.inner.executeRaw(query));
  }

  executeScript(script: string) {
    return this.mutex.run(() => this.inner.executeScript(script));
  }

  async startTransaction(...args: Parameters<SqlDriverAdapter["startTransaction"]>): Promise<Transaction> {
    const release = await this.mutex.acquire();
    try {
      const tx = await this.inner.startTransaction(...args);
      openTransactionConnection = driverConnectionOf(tx);
      return releasingTransaction(tx, () => {
        openTransactionConnection = null;
        release();
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  dispose() {
    return this.inner.dispose();
  }
}

export function serializeTransactions<F extends SqlDriverAdapterFactory>(factory: F): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      return new SerializedAdapter(await factory.connect());
    },
  };
}
