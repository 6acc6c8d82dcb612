// The HTML reports in headless Chromium: a 4-run sweep of a tiny recipe, `forge compare` of
// it, and one run's report card; their SVG charts have plotted paths, the controls redraw
// them, nothing is loaded from elsewhere, and screenshots go to OUT_DIR.
//   node tests/report/report_html_chromium.cjs FORGE_EXECUTABLE OUT_DIR
"use strict";
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { requirePackage, main } = require("../serve/serve_harness.cjs");

const { chromium } = requirePackage("playwright-core");
const kChromium = process.env.CHROMIUM || "/usr/bin/chromium";
const [forge, outDir] = process.argv.slice(2);

const kRecipe = `stage: pretrain
name: sweep-tiny
seed: 7
device: cpu
tokenizer: {plugin: bytes}
data:
  train: {plugin: text, paths: ['/usr/share/common-licenses/GPL-3']}
  val: {plugin: text, paths: ['/usr/share/common-licenses/Apache-2.0']}
model: {plugin: gpt2, n_layer: 1, n_head: 2, d_model: 16, context: 32}
train: {steps: 12, micro_batch: 2}
eval: {every: 3, batches: 2}
`;

function forgeIn(dir, args) {
  const run = spawnSync(forge, args, { cwd: dir, encoding: "utf8", env: { ...process.env, FORGE_PLUGIN_PATH: "" } });
  assert.equal(run.status, 0, `forge ${args.join(" ")} failed:\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

// Every chart has an SVG with at least one series path of several points.
async function checkCharts(page, minimumCharts) {
  const charts = await page.$$eval("figure.chart svg.chart-svg", (svgs) => svgs.map((svg) => ({
    paths: [...svg.querySelectorAll("path.series")].map((p) => p.getAttribute("d")),
    box: svg.getBoundingClientRect().width,
  })));
  assert.ok(charts.length >= minimumCharts, `${charts.length} charts, wanted ${minimumCharts}`);
  for (const chart of charts) {
    assert.ok(chart.box > 100, "a chart is not laid out");
    assert.ok(chart.paths.length >= 1, "a chart has no series");
    assert.ok(chart.paths.some((d) => (d.match(/L/g) || []).length >= 2), `no plotted line: ${chart.paths}`);
  }
  return charts;
}

main(async () => {
  assert.ok(forge && fs.existsSync(forge), `usage: node report_html_chromium.cjs FORGE OUT_DIR`);
  assert.ok(fs.existsSync(kChromium), `no Chromium at ${kChromium}; apt-get install chromium`);
  fs.mkdirSync(outDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forge-report-js-"));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, "tiny.yaml"), kRecipe);
  forgeIn(dir, ["sweep", "tiny.yaml", "optimizer.lr=1e-3,1e-2", "model.n_layer=1,2", "--jobs", "2",
                "--sweep-dir", "sw"]);
  forgeIn(dir, ["compare", "sw", "--html", "compare.html"]);

  const browser = await chromium.launch({ executablePath: kChromium, headless: true, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests = [], errors = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto("file://" + path.join(dir, "compare.html"));
    const before = await checkCharts(page, 3);
    const lines = await page.$$eval("svg.parallel path.pc-line", (paths) => paths.map((p) => p.getAttribute("d")));
    assert.equal(lines.length, 4, "one parallel-coordinates line per run");
    assert.ok(lines.every((d) => (d.match(/L/g) || []).length === 2), `lines cross lr, n_layer and the metric: ${lines}`);
    const first = before[0].paths.length;
    assert.equal(first, 4, "the first chart overlays the four runs");
    await page.screenshot({ path: path.join(outDir, "report_html_chromium.png"), fullPage: true });

    // The controls redraw every chart: another x-axis, smoothing, log scale.
    await page.selectOption("#x-axis", "tokens");
    await page.check("#log-y");
    await page.$eval("#smoothing", (input) => { input.value = "0.8"; input.dispatchEvent(new Event("input", { bubbles: true })); });
    const after = await checkCharts(page, 3);
    assert.notDeepEqual(after[0].paths, before[0].paths, "the controls did not redraw the chart");
    assert.ok(await page.$eval("figure.chart .axis-label", (t) => t.textContent) === "tokens");
    assert.ok((await page.$eval("figure.chart .title", (t) => t.textContent)).endsWith("(log)"));
    await page.screenshot({ path: path.join(outDir, "report_html_chromium_tokens_log.png"), fullPage: true });

    // A run's own report card, written when it ended.
    const card = path.join(dir, "sw", "lr=1e-3,n_layer=2", "report.html");
    assert.ok(fs.existsSync(card), `no report card at ${card}`);
    await page.goto("file://" + card);
    await checkCharts(page, 2);
    assert.ok((await page.textContent("h1")).includes("sweep-tiny"));
    await page.screenshot({ path: path.join(outDir, "report_card_chromium.png"), fullPage: true });

    assert.deepEqual(errors, [], "the page's script threw");
    for (const url of requests) assert.ok(url.startsWith("file://"), `the report loaded ${url}`);
    console.log("screenshot: " + path.join(outDir, "report_html_chromium.png"));
    console.log("screenshot: " + path.join(outDir, "report_html_chromium_tokens_log.png"));
    console.log("screenshot: " + path.join(outDir, "report_card_chromium.png"));
  } finally {
    await browser.close();
  }
});
