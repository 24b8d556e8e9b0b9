import { Transform } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Bytes read from a socket or the database live outside the JavaScript heap, and are freed only
 * when a young-generation collection finds their small wrappers dead. A file streaming through
 * allocates little on the heap per byte, so that collection comes seldom, the more so with Node
 * 24's larger young generation: a 200 MB upload held up to 72 MB of dead buffers there (Node 20
 * and 22: under 20 MB). So every RECLAIM_BYTES of file bytes ask for one young-generation
 * collection (a millisecond or two; never the full heap). Without V8's gc hook (a runtime that
 * refuses the flag) it is a no-op and memory is only less tight.
 */
const RECLAIM_BYTES = 16 * 1024 * 1024;

type Collect = (options: { type: "minor"; execution: "sync" }) => void;
let collect: Collect | null | undefined;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      // Exposes `gc` only to contexts made from now on: this one, not the app's.
      setFlagsFromString("--expose-gc");
      const found = runInNewContext("typeof gc === 'function' ? gc : null") as Collect | null;
      collect = found;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** A counter for one stream of file bytes: call it with each chunk's length. */
export function reclaimEvery(bytes = RECLAIM_BYTES): (chunkBytes: number) => void {
  let since = 0;
  return (chunkBytes) => {
    since += chunkBytes;
    if (since < bytes) return;
    since = 0;
    collector()?.({ type: "minor", execution: "sync" });
  };
}

/** A pass-through that counts what flows through it with `reclaimEvery`. */
export function reclaiming(): Transform {
  const reclaim = reclaimEvery();
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      reclaim(chunk.length);
      done(null, chunk);
    },
  });
}
