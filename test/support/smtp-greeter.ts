import { type AddressInfo, createServer as createNetServer } from "node:net";

/** A tiny SMTP server that greets, answers EHLO and says goodbye, and remembers what it heard. */
export async function startSmtpGreeter() {
  const heard: string[] = [];
  const server = createNetServer((socket) => {
    socket.write("220 greeter.test ESMTP ready\r\n");
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      for (let end = buffer.indexOf("\r\n"); end >= 0; end = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        heard.push(line.split(" ")[0] ?? "");
        if (line.startsWith("EHLO"))
          socket.write("250-greeter.test hello\r\n250-SIZE 1000000\r\n250 STARTTLS\r\n");
        else if (line === "QUIT") socket.end("221 bye\r\n");
        else socket.write("502 not here\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, heard, close: () => new Promise((r) => server.close(r)) };
}
