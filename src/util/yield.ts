// Why: a long async loop must let queued messages (pause, inspect) in between its rounds; a
// MessageChannel message is a task, without setTimeout's 4 ms clamp on nested timers.

/** Resolves in a new task, after the tasks already queued. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
