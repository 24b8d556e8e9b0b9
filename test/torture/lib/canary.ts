import { createServer, type Server } from "node:http";

/**
 * A local server that nothing should ever reach: payloads that run fetch it, images and styles
 * injected as HTML load from it, CSP violation reports are posted to it.
 */
export class Canary {
  hits = 0;
  reports = 0;
  readonly paths: string[] = [];
  port = 0;
  private readonly server: Server = createServer((req, res) => {
    if (req.url?.startsWith("/csp")) this.reports++;
    else {
      this.hits++;
      this.paths.push(`${req.method} ${req.url}`);
    }
    req.resume();
    res.writeHead(204, { "access-control-allow-origin": "*" }).end();
  });

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
