// One HTTP/2 GET with request headers of any size, for tests/stack.py (Caddy.http2_request): curl's
// HTTP/2 library, nghttp2, sends no header block over 64 KB, and Node's (nghttp2 too) lets a
// client raise that limit. Reads {url, path, ca, headers} as JSON on standard input and prints
// {status, headers, body} or, when the server ends the stream or connection instead, {error}.
import http2 from "node:http2";
import { readFileSync } from "node:fs";

const { url, path, ca, headers } = JSON.parse(readFileSync(0, "utf8"));
let printed = false;
const print = (result) => {
  if (!printed) process.stdout.write(JSON.stringify(result));
  printed = true;
};
const session = http2.connect(url, { ca: readFileSync(ca), maxSendHeaderBlockLength: 16 * 1024 * 1024 });
session.on("goaway", (code) => print({ error: `GOAWAY ${code}` }));
session.on("error", (error) => print({ error: error.code || error.message }));
const request = session.request({ ":path": path, ...headers }, { endStream: true });
const chunks = [];
let response = null;
request.on("response", (received) => (response = received));
request.on("data", (chunk) => chunks.push(chunk));
request.on("end", () => {
  const { ":status": status, ...rest } = response;
  print({ status, headers: rest, body: Buffer.concat(chunks).toString("utf8") });
  session.close();
});
request.on("error", (error) => {
  print({ error: error.code || error.message });
  session.destroy();
});
