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
    // Greedy: the same reply every run (a sampled one can end after a token or two).
    await page.fill("#temperature", "0");
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
    // A reply in which a tool ran on the server (forge serve --tool): the call and its output
    // show inside the reply, and the next request carries the turn's messages. The tiny model
    // calls no tools, so this one reply is a recorded stream.
    const chunk = (delta, finish = null) => "data: " + JSON.stringify({
      id: "chatcmpl-recorded", object: "chat.completion.chunk", created: 1, model: "tiny-chat",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    }) + "\n\n";
    const call = { type: "function", function: { name: "calculator", arguments: "2+2" } };
    const recorded = chunk({ role: "assistant", content: "" }) + chunk({ content: "Let me add." }) +
        chunk({ forge_step: { role: "assistant", content: "", tool_calls: [call] } }) +
        chunk({ forge_step: { role: "tool", content: "4" } }) + chunk({ content: "It is 4." }) +
        chunk({}, "stop") + "data: [DONE]\n\n";
    await page.click("#reset");
    await page.route("**/v1/chat/completions", (route) => route.fulfill({
      status: 200, contentType: "text/event-stream", body: recorded,
    }), { times: 1 });
    const done = () => document.getElementById("status").textContent.startsWith("done");
    await page.fill("#input", "What is 2+2?");
    await page.press("#input", "Enter");
    await page.waitForFunction(done, null, { timeout: 60000 });
    assert.equal(await page.textContent(".message.assistant .tool-call"), "calculator 2+2");
    assert.equal(await page.textContent(".message.assistant .tool-output"), "4");
    assert.equal(await page.textContent(".message.assistant .content.more"), "It is 4.");
    await page.fill("#input", "Thanks");
    await page.press("#input", "Enter");
    await page.waitForFunction(done, null, { timeout: 60000 });
    assert.equal(chats.length, 4);
    assert.deepEqual(chats[3].messages.map((m) => m.role),
                     ["user", "assistant", "tool", "assistant", "user"]);
    assert.equal(chats[3].messages[1].content, "Let me add.");
    assert.deepEqual(chats[3].messages[1].tool_calls, [call]);
    assert.equal(chats[3].messages[2].content, "4");
    // The server took the turn (its template renders it) and answered.
    assert.equal(await page.locator(".message.assistant.error").count(), 0);
    assert.equal(await page.locator(".message.assistant").count(), 2);

    // Everything the page loaded came from the server itself.
    for (const url of requests) {
      assert.ok(url.startsWith(server.url) || url.startsWith("data:"), url);
    }
  } finally {
    await browser.close();
  }
}));
