#include "serve/web_page.h"

namespace forge::serve {

const std::string& web_page() {
  static const std::string kPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Forge chat</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fafafa; --muted: #6b6b70;
          --user: #dbeafe; --bot: #ffffff; --tool: #f3f0e6; --line: #d4d4d8; }
  @media (prefers-color-scheme: dark) {
    :root { --fg: #e8e8ea; --bg: #17171a; --muted: #9a9aa2; --user: #1e3a5f; --bot: #232327;
            --tool: #2e2a20; --line: #3a3a40; }
  }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg);
         display: flex; flex-direction: column; height: 100vh; }
  header { display: flex; gap: 1em; align-items: center; padding: .6em 1em;
           border-bottom: 1px solid var(--line); flex-wrap: wrap; }
  header h1 { font-size: 1.05em; margin: 0; }
  header label { color: var(--muted); font-size: .9em; }
  header input { width: 5em; }
  #model { color: var(--muted); font-size: .9em; }
  #messages { flex: 1; overflow-y: auto; padding: 1em; display: flex; flex-direction: column;
              gap: .7em; }
  .message { max-width: 48em; padding: .55em .85em; border-radius: .6em; white-space: pre-wrap;
             word-wrap: break-word; border: 1px solid var(--line); }
  .message .role { display: block; font-size: .75em; color: var(--muted); text-transform: uppercase; }
  .user { align-self: flex-end; background: var(--user); }
  .assistant, .system { align-self: flex-start; background: var(--bot); }
  .tool { align-self: flex-start; background: var(--tool); font-family: ui-monospace, monospace; }
  .tool-call { display: block; margin-top: .4em; padding: .3em .5em; background: var(--tool);
               border-radius: .3em; font-family: ui-monospace, monospace; }
  .tool-output { display: block; margin: .3em 0; padding: .3em .5em; border-left: 3px solid var(--line);
                 font-family: ui-monospace, monospace; color: var(--muted); }
  .tool-output::before { content: "output: "; }
  .error { border-color: #c0392b; color: #c0392b; }
  form { display: flex; gap: .5em; padding: .8em 1em; border-top: 1px solid var(--line); }
  textarea { flex: 1; resize: vertical; min-height: 2.6em; font: inherit; padding: .4em; }
  button { font: inherit; padding: .4em 1.1em; }
  #status { padding: 0 1em .5em; color: var(--muted); font-size: .85em; min-height: 1.4em; }
</style>
</head>
<body>
<header>
  <h1>Forge chat</h1><span id="model"></span>
  <label>system <input id="system" style="width: 14em" placeholder="(none)"></label>
  <label>temperature <input id="temperature" type="number" min="0" max="2" step="0.1" value="0.8"></label>
  <label>max tokens <input id="max-tokens" type="number" min="1" value="256"></label>
  <button id="reset" type="button">New chat</button>
</header>
<main id="messages" aria-live="polite"></main>
<div id="status"></div>
<form id="composer">
  <textarea id="input" placeholder="Send a message (Enter sends, Shift+Enter breaks the line)"></textarea>
  <button id="send" type="submit">Send</button>
</form>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let conversation = [];  // OpenAI messages, as sent
let busy = false;

function show(message) {
  const box = document.createElement("div");
  box.className = "message " + message.role;
  const role = document.createElement("span");
  role.className = "role";
  role.textContent = message.role;
  const text = document.createElement("span");
  text.className = "content";
  text.textContent = message.content || "";
  box.append(role, text);
  for (const call of message.tool_calls || []) addToolCall(box, call);
  $("messages").append(box);
  box.scrollIntoView({block: "end"});
  return box;
}

function addToolCall(box, call) {
  const pre = document.createElement("code");
  pre.className = "tool-call";
  pre.textContent = call.function.name + " " + call.function.arguments;
  box.append(pre);
}

function addToolOutput(box, text) {
  const pre = document.createElement("code");
  pre.className = "tool-output";
  pre.textContent = text;
  box.append(pre);
}

// A span for the text the assistant writes after a tool's output, inside the same reply.
function addSegment(box) {
  const span = document.createElement("span");
  span.className = "content more";
  box.append(span);
  return span;
}

function status(text) { $("status").textContent = text; }

async function send(text) {
  busy = true;
  $("send").disabled = true;
  const user = {role: "user", content: text};
  conversation.push(user);
  show(user);
  const reply = {role: "assistant", content: ""};
  const box = show(reply);
  box.id = "reply";
  for (const old of document.querySelectorAll(".message[data-last]")) delete old.dataset.last;
  const content = box.querySelector(".content");
  // The reply's messages: tools that ran on the server add steps (forge_step deltas).
  const turn = [reply];
  let segment = content;
  status("generating...");
  const messages = [];
  if ($("system").value.trim()) messages.push({role: "system", content: $("system").value});
  messages.push(...conversation);
  let finish = null;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({messages, stream: true,
                            temperature: Number($("temperature").value),
                            max_tokens: Number($("max-tokens").value),
                            stream_options: {include_usage: true}}),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error((body.error && body.error.message) || response.statusText);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "", usage = null;
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      pending += decoder.decode(value, {stream: true});
      let cut;
      while ((cut = pending.indexOf("\n\n")) >= 0) {
        const event = pending.slice(0, cut);
        pending = pending.slice(cut + 2);
        if (!event.startsWith("data: ")) continue;
        const data = event.slice(6);
        if (data === "[DONE]") continue;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Error(chunk.error.message);
        if (chunk.usage) usage = chunk.usage;
        for (const choice of chunk.choices || []) {
          const delta = choice.delta || {};
          if (delta.content) {
            const current = turn[turn.length - 1];
            current.content += delta.content;
            segment.textContent = current.content;
            box.scrollIntoView({block: "end"});
          }
          const step = delta.forge_step;
          if (step && step.role === "assistant") {
            const current = turn[turn.length - 1];
            for (const call of step.tool_calls || []) {
              (current.tool_calls = current.tool_calls || []).push(call);
              addToolCall(box, call);
            }
          } else if (step && step.role === "tool") {
            turn.push({role: "tool", content: step.content});
            addToolOutput(box, step.content);
            turn.push({role: "assistant", content: ""});
            segment = addSegment(box);
          }
          for (const call of delta.tool_calls || []) {
            (reply.tool_calls = reply.tool_calls || []).push(
                {id: call.id, type: "function", function: call.function});
            addToolCall(box, call);
          }
          if (choice.finish_reason) finish = choice.finish_reason;
        }
      }
    }
    const last = turn[turn.length - 1];
    if (turn.length > 1 && !last.content && !last.tool_calls) turn.pop();
    conversation.push(...turn);
    status("done (" + (finish || "?") + (usage ? ", " + usage.completion_tokens + " tokens" : "") + ")");
  } catch (error) {
    box.classList.add("error");
    content.textContent = reply.content + (reply.content ? "\n" : "") + "error: " + error.message;
    conversation.pop();  // the user's message, so it can be sent again
    status("error");
  } finally {
    box.removeAttribute("id");
    box.dataset.last = "true";
    busy = false;
    $("send").disabled = false;
  }
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("input").value;
  if (busy || !text.trim()) return;
  $("input").value = "";
  send(text);
});
$("input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});
$("reset").addEventListener("click", () => {
  if (busy) return;
  conversation = [];
  $("messages").replaceChildren();
  status("");
});
fetch("/v1/models").then((r) => r.json()).then((list) => {
  $("model").textContent = list.data[0].id;
}).catch(() => {});
</script>
</body>
</html>
)HTML";
  return kPage;
}

}  // namespace forge::serve
