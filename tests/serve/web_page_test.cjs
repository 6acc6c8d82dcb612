// The web chat in headless Chromium: type a message, send it, and see the reply stream in
// (its text grows over several updates) and the status report the finish.
//   node tests/serve/web_page_test.cjs FORGE_EXECUTABLE
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { requirePackage, withServer, main } = require("./serve_harness.cjs");

const { chromium } = requirePackage("playwright-core");
const kChromium = process.env.CHROMIUM || "/usr/bin/chromium";

main(() => withServer(async (server) => {
  assert.ok(fs.existsSync(kChromium), `no Chromium at ${kChromium}; apt-get install chromium`);
  const browser = await chromium.launch({
    executablePath: kChromium, headless: true, args: ["--no-sandbox"],
  });
  try {
    const page = await browser.newPage();
    const requests = [], chats = [];
    page.on("request", (request) => {
      requests.push(request.url());
      if (request.url().endsWith("/v1/chat/completions")) chats.push(JSON.parse(request.postData()));
    });
    await page.goto(server.url + "/");
    await page.waitForFunction(() => document.getElementById("model").textContent === "tiny-chat");
    // Counts the changes to replies' text: one per streamed piece (a fast model's pieces may
    // arrive in one network read, so changes are counted, not repaints).
    await page.evaluate(() => {
      window.updates = 0;
      new MutationObserver((records) => {
        window.updates += records.filter((r) => r.target.classList &&
                                                r.target.classList.contains("content")).length;
      })
          .observe(document.getElementById("messages"),
                   { childList: true, subtree: true, characterData: true });
    });
    // Short replies: a byte-level model's stray bytes come back as U+FFFD, 3 tokens each, and
    // the whole conversation must fit the tiny model's context on the second turn.
    await page.fill("#max-tokens", "20");
    await page.fill("#input", "Hello, who are you?");
    await page.click("#send");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("done"),
                               null, { timeout: 60000 });
    const user = await page.textContent(".message.user .content");
    assert.equal(user, "Hello, who are you?");
    const reply = await page.textContent(".message.assistant[data-last] .content");
    assert.ok(reply.length > 0, "the reply is empty");
    assert.ok(await page.evaluate(() => window.updates) > 3, "the reply did not stream");
    assert.equal(await page.inputValue("#input"), "");

    // A second turn sends the whole conversation.
    await page.fill("#input", "And then?");
    await page.press("#input", "Enter");
    await page.waitForFunction(() => document.querySelectorAll(".message.assistant").length === 2 &&
                                     document.getElementById("status").textContent.startsWith("done"),
                               null, { timeout: 60000 });
    assert.equal(await page.locator(".message.user").count(), 2);
    assert.equal(chats.length, 2);
    assert.deepEqual(chats[1].messages.map((m) => m.role), ["user", "assistant", "user"]);
    assert.equal(chats[1].messages[1].content, reply);
    assert.equal(chats[1].stream, true);
    // Everything the page loaded came from the server itself.
    for (const url of requests) {
      assert.ok(url.startsWith(server.url) || url.startsWith("data:"), url);
    }
  } finally {
    await browser.close();
  }
}));
