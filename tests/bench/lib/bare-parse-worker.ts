// Worker thread for the importer benchmark's baseline: parses each raw
// message it is sent with mailparser's simpleParser (the options the importer
// uses in importer/parse-message.ts) and answers with how many it parsed.
// Nothing else: no threading, no database, no sanitising.
import { parentPort } from "node:worker_threads";
import { simpleParser } from "mailparser";

const MB = 1024 * 1024;
const port = parentPort;
if (!port) throw new Error("bare-parse-worker.ts must run in a worker thread");

port.postMessage("ready");
port.on("message", (raw: Uint8Array) => {
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  simpleParser(buffer, {
    keepCidLinks: true,
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: 5 * MB,
  }).then(
    () => port.postMessage(1),
    () => port.postMessage(0),
  );
});
