import type { Socket } from "socket.io-client";
import type { Message, SendAck } from "../../../src/protocol/index.js";

/** Every send and what became of it: the acknowledged ones must all be stored, once. */
export class Journal {
  readonly acked = new Map<string, Message>();
  /** clientIds sent that got no answer (the server died or hung): they may or may not be stored. */
  readonly unanswered = new Map<string, { chatId: string; body: string }>();
  unavailable = 0;
  otherRefusals = 0;
  /** An ack for a retried clientId that names another message than the first ack: a double. */
  conflicts = 0;

  record(clientId: string, ack: SendAck | undefined, payload: { chatId: string; body: string }): void {
    if (!ack) {
      this.unanswered.set(clientId, payload);
      return;
    }
    this.unanswered.delete(clientId);
    if (ack.ok) {
      const known = this.acked.get(clientId);
      if (known && known.id !== ack.message.id) this.conflicts++;
      this.acked.set(clientId, ack.message);
    } else if (ack.error.code === "unavailable") this.unavailable++;
    else this.otherRefusals++;
  }
}

/**
 * Sends on `socket` as fast as `inFlight` acknowledgements allow until `stop()` says so or the
 * socket goes; every outcome goes into the journal. Resolves when every send has its answer
 * (or gave up after `ackMs`).
 */
export async function pump(
  socket: Socket,
  chatId: string,
  prefix: string,
  journal: Journal,
  stop: () => boolean,
  options: { inFlight?: number; ackMs?: number } = {},
): Promise<number> {
  const max = options.inFlight ?? 16;
  const ackMs = options.ackMs ?? 15_000;
  let n = 0;
  let inFlight = 0;
  const done: Promise<void>[] = [];
  while (!stop() && socket.connected) {
    if (inFlight >= max) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    const clientId = `${prefix}-${n++}`;
    const payload = { chatId, body: `durable ${clientId}` };
    inFlight++;
    done.push(
      socket
        .timeout(ackMs)
        .emitWithAck("message:send", { ...payload, clientId })
        .then(
          (ack: SendAck) => ack,
          () => undefined,
        )
        .then((ack) => {
          inFlight--;
          journal.record(clientId, ack, payload);
        }),
    );
  }
  await Promise.all(done);
  return n;
}
