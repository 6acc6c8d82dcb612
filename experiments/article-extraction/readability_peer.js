// Readability.js (the benchmark's readability_js, F1 0.947) on the same pages, one thread, for
// a side-by-side speed ratio: jsdom parses each page, Readability extracts, textContent is the
// prediction. Gunzipping is not timed.
//   node readability_peer.js DATA_DIR OUT.json
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const {JSDOM, VirtualConsole} = require('jsdom');
const {Readability} = require('@mozilla/readability');

const [dataDir, outFile] = process.argv.slice(2);
const truth = JSON.parse(fs.readFileSync(path.join(dataDir, 'ground-truth.json'), 'utf8'));
const ids = Object.keys(truth).sort();
const pages = ids.map((id) => ({
  id,
  url: truth[id].url || 'https://example.org/',
  html: zlib.gunzipSync(fs.readFileSync(path.join(dataDir, 'html', id + '.html.gz'))).toString('utf8'),
}));
const quiet = new VirtualConsole();  // pages' CSS and markup errors are not ours to print
const output = {};
let bytes = 0;
const start = process.hrtime.bigint();
for (const page of pages) {
  bytes += Buffer.byteLength(page.html);
  const dom = new JSDOM(page.html, {url: page.url, virtualConsole: quiet});
  const article = new Readability(dom.window.document).parse();
  output[page.id] = {articleBody: article ? article.textContent : '', url: page.url};
  dom.window.close();
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
fs.writeFileSync(outFile, JSON.stringify(output));
console.log(`readability.js ${(pages.length / seconds).toFixed(1)} docs/s  ` +
            `${(bytes / seconds / 1e6).toFixed(1)} MB/s  (${pages.length} docs, ${seconds.toFixed(2)} s, 1 thread)`);
