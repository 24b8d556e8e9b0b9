import { connect as netConnect, type Socket } from "node:net";
import { hostname } from "node:os";
import { connect as tlsConnect } from "node:tls";

export interface SmtpGreeting {
  greeting: string;
  /** EHLO keywords, e.g. STARTTLS, AUTH PLAIN LOGIN, SIZE 35882577. */
  extensions: string[];
}

/**
 * A real SMTP handshake without sending mail: connect (TLS for smtps://), read the 220 greeting,
 * EHLO, QUIT. Resolves with what the server announced; rejects with what went wrong.
 */
export async function smtpHandshake(url: string, timeoutMs = 5000): Promise<SmtpGreeting> {
  const parsed = new URL(url);
  const secure = parsed.protocol === "smtps:";
  const host = parsed.hostname;
  const port = Number(parsed.port || (secure ? 465 : 587));
  const socket: Socket = secure
    ? tlsConnect({ host, port, servername: host, timeout: timeoutMs })
    : netConnect({ host, port, timeout: timeoutMs });
  const replies = new ReplyReader(socket);
  try {
    const greeting = await replies.next();
    if (greeting.code !== 220) throw new Error(`expected a 220 greeting, got: ${greeting.text}`);
    socket.write(`EHLO ${hostname() || "localhost"}\r\n`);
    const ehlo = await replies.next();
    if (ehlo.code !== 250) throw new Error(`EHLO was refused: ${ehlo.text}`);
    socket.write("QUIT\r\n");
    await replies.next().catch(() => undefined);
    return { greeting: greeting.lines[0] ?? "", extensions: ehlo.lines.slice(1) };
  } finally {
    socket.destroy();
  }
}

interface Reply {
  code: number;
  lines: string[];
  text: string;
}

/** SMTP replies: lines `250-…` continue, the line `250 …` ends one. */
class ReplyReader {
  private buffer = "";
  private lines: string[] = [];
  private waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.flush();
    });
    socket.on("timeout", () => this.fail(new Error("the SMTP server stopped answering")));
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("the SMTP server closed the connection")));
  }

  next(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.flush();
    });
  }

  private flush(): void {
    for (;;) {
      const end = this.buffer.indexOf("\n");
      if (end < 0 || !this.waiting) return;
      const line = this.buffer.slice(0, end).replace(/\r$/, "");
      this.buffer = this.buffer.slice(end + 1);
      this.lines.push(line.slice(4));
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: this.lines, text: line };
        this.lines = [];
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting.resolve(reply);
      }
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }
}
