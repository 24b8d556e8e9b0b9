import WebSocket from "ws";

/**
 * A raw Engine.IO v4 WebSocket connection: frames go out exactly as given. `ready` resolves once
 * the Socket.IO namespace connect (`40`) has been answered; `closed` once the connection is gone.
 */
export class RawEngine {
  readonly ws: WebSocket;
  readonly ready: Promise<boolean>;
  readonly closed: Promise<void>;
  received = 0;

  constructor(port: number, headers: Record<string, string>) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, { headers });
    this.closed = new Promise((resolve) => {
      this.ws.on("close", () => resolve());
      this.ws.on("error", () => resolve());
    });
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      this.ws.on("message", (data, binary) => {
        this.received++;
        const text = binary ? "" : data.toString();
        if (text.startsWith("0{")) this.ws.send("40");
        else if (text === "2") this.ws.send("3");
        else if (text.startsWith("40")) {
          clearTimeout(timer);
          resolve(true);
        } else if (text.startsWith("44")) {
          clearTimeout(timer);
          resolve(false);
        }
      });
      void this.closed.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: string | Buffer, binary = false): void {
    if (this.open) this.ws.send(frame, { binary });
  }

  close(): void {
    this.ws.terminate();
  }
}
