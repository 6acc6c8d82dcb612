// The peer: warcio.js (npm warcio) reading the same file on one thread, best of three passes.
// Responses and resources are read decoded (chunked and Content-Encoding undone) and turned
// into strings as UTF-8 (warcio does no charset detection; forge's reader does).
//   node read_warcio.mjs FILE
import fs from "node:fs";
import { WARCParser } from "warcio";

const file = process.argv[2];
let best = Infinity, records = 0, documents = 0;
for (let pass = 0; pass < 3; ++pass) {
  const start = process.hrtime.bigint();
  records = 0;
  documents = 0;
  const decoder = new TextDecoder("utf-8");
  for await (const record of WARCParser.iterRecords(fs.createReadStream(file))) {
    ++records;
    const type = record.warcType;
    if (type !== "response" && type !== "resource" && type !== "conversion") continue;
    const payload = await record.readFully(true);
    decoder.decode(payload);
    ++documents;
  }
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
const size = fs.statSync(file).size;
console.log(`engine=warcio.js file=${file.split("/").pop()} records=${records} ` +
            `content_records=${documents} seconds=${best.toFixed(3)} ` +
            `records/s=${(records / best).toFixed(0)} MB/s_of_file=${(size / best / 1e6).toFixed(0)}`);
