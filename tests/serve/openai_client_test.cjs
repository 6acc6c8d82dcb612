// OpenAI's official Node client against `forge serve`: a chat, a streamed chat, a completion
// (whole and streamed), the model list, and an error it raises as the API's own.
//   node tests/serve/openai_client_test.cjs FORGE_EXECUTABLE
"use strict";
const assert = require("node:assert/strict");
const { requirePackage, withServer, main } = require("./serve_harness.cjs");

const { OpenAI } = requirePackage("openai");

main(() => withServer(async (server) => {
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });

  const models = await client.models.list();
  assert.equal(models.data[0].id, "tiny-chat");

  const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello!" }];
  const chat = await client.chat.completions.create({
    model: "tiny-chat", messages, max_tokens: 12, seed: 7, temperature: 0.8,
  });
  assert.equal(chat.object, "chat.completion");
  assert.equal(chat.choices[0].message.role, "assistant");
  assert.equal(typeof chat.choices[0].message.content, "string");
  assert.ok(["stop", "length", "tool_calls"].includes(chat.choices[0].finish_reason));
  assert.ok(chat.usage.prompt_tokens > 10, JSON.stringify(chat.usage));
  assert.ok(chat.usage.completion_tokens >= 1 && chat.usage.completion_tokens <= 12);

  // The same seed streamed: the deltas add up to the same reply.
  const stream = await client.chat.completions.create({
    model: "tiny-chat", messages, max_tokens: 12, seed: 7, temperature: 0.8, stream: true,
    stream_options: { include_usage: true },
  });
  let text = "", chunks = 0, finish = null, usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, "chat.completion.chunk");
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content || "";
      finish = choice.finish_reason || finish;
    }
    ++chunks;
  }
  assert.equal(text, chat.choices[0].message.content);
  assert.equal(finish, chat.choices[0].finish_reason);
  assert.ok(chunks >= 3, `${chunks} chunks`);
  assert.equal(usage.completion_tokens, chat.usage.completion_tokens);

  const completion = await client.completions.create({
    model: "tiny-chat", prompt: "In the beginning", max_tokens: 6, seed: 1,
  });
  assert.equal(completion.object, "text_completion");
  assert.equal(typeof completion.choices[0].text, "string");
  assert.ok(completion.usage.completion_tokens <= 6);
  let streamed = "";
  for await (const chunk of await client.completions.create({
    model: "tiny-chat", prompt: "In the beginning", max_tokens: 6, seed: 1, stream: true,
  })) streamed += chunk.choices[0]?.text || "";
  assert.equal(streamed, completion.choices[0].text);

  // A bad request comes back as the client's own error type, with OpenAI's fields.
  await assert.rejects(
    client.chat.completions.create({ model: "tiny-chat", messages, temperature: 5 }),
    (error) => {
      assert.equal(error.status, 400);
      assert.equal(error.param, "temperature");
      assert.equal(error.type, "invalid_request_error");
      return true;
    });
}));
