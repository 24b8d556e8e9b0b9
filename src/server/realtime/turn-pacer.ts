/**
 * Runs the jobs given to it one per event-loop turn (each from its own `setImmediate`), in order.
 * Work that arrives in bursts (handshakes: hundreds from one client at once) would otherwise run
 * back to back in one turn while every connected client's frames wait; paced, the frames that
 * arrive meanwhile are read and answered between two jobs.
 */
export type TurnPacer = (job: () => void) => void;

export function createTurnPacer(): TurnPacer {
  const queue: Array<() => void> = [];
  let draining = false;
  const runOne = () => {
    try {
      queue.shift()?.();
    } finally {
      if (queue.length > 0) setImmediate(runOne);
      else draining = false;
    }
  };
  return (job) => {
    queue.push(job);
    if (draining) return;
    draining = true;
    setImmediate(runOne);
  };
}
