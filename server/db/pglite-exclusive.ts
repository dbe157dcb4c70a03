import "server-only";
import type { PGlite } from "@electric-sql/pglite";

// pglite-socket runs each wire message of a socket client under PGlite's query lock only. A request
// spans several messages (Parse, Bind, Execute … Sync) and a transaction several requests, so another
// client's message, or this process's own query, could run in between and land inside them: an
// in-process insert made during a socket client's transaction is rolled back with it. This view makes
// a socket client hold PGlite's transaction lock (the one every in-process query and transaction
// takes) from its first message until PGlite answers ReadyForQuery "idle", and reports "in a
// transaction" meanwhile, which makes pglite-socket's queue serve that client alone.

const READY_FOR_QUERY = 0x5a; // 'Z', then length 5, then the status: 'I' idle, 'T' in a transaction, 'E' failed one
const IDLE = 0x49;
const TERMINATE = 0x58; // 'X': the client says goodbye; nothing answers it
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

type StreamOptions = Parameters<PGlite["execProtocolRawStream"]>[1];

/** The PGlite pglite-socket's server is given: each socket session exclusive against the others and against in-process use. */
export function exclusiveSessions(pglite: PGlite): PGlite {
  let release: (() => void) | undefined;
  let idleAfter = false; // the message just run left the session idle
  let tail: Uint8Array = new Uint8Array(0);

  async function hold(): Promise<void> {
    if (release) return;
    await new Promise<void>((held) => {
      void pglite._runExclusiveTransaction(
        () =>
          new Promise<void>((done) => {
            release = done;
            held();
          }),
      );
    });
  }
  function letGo() {
    const done = release;
    release = undefined;
    done?.();
  }

  const view = {
    get waitReady() {
      return pglite.waitReady;
    },
    isInTransaction: () => release !== undefined,
    async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
      await hold();
      idleAfter = false;
      try {
        return await pglite.runExclusive(fn);
      } finally {
        if (idleAfter) letGo();
      }
    },
    async execProtocolRawStream(message: Uint8Array, options: StreamOptions): Promise<void> {
      tail = new Uint8Array(0);
      await pglite.execProtocolRawStream(message, {
        ...options,
        onRawData: (data: Uint8Array) => {
          tail = lastBytes(tail, data, 6);
          options.onRawData(data);
        },
      });
      idleAfter = message[0] === TERMINATE || (tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[4] === 5 && tail[5] === IDLE);
    },
    // pglite-socket calls exec("ROLLBACK") when a client holding the session disconnects; its half-sent
    // request is ended first (after an error PostgreSQL ignores everything up to a Sync).
    async exec(sql: string): Promise<[]> {
      await pglite.runExclusive(async () => {
        await pglite.execProtocolRaw(SYNC);
        await pglite.execProtocolRaw(simpleQuery(sql));
      });
      letGo();
      return [];
    },
  };
  return view as unknown as PGlite;
}

function lastBytes(previous: Uint8Array, data: Uint8Array, n: number): Uint8Array {
  if (data.length >= n) return data.slice(data.length - n);
  const joined = new Uint8Array(previous.length + data.length);
  joined.set(previous);
  joined.set(data, previous.length);
  return joined.slice(Math.max(0, joined.length - n));
}

function simpleQuery(sql: string): Uint8Array {
  const text = new TextEncoder().encode(sql);
  const message = new Uint8Array(1 + 4 + text.length + 1);
  message[0] = 0x51; // 'Q'
  new DataView(message.buffer).setInt32(1, 4 + text.length + 1);
  message.set(text, 5);
  return message;
}
