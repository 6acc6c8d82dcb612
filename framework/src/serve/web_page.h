#pragma once

#include <string>

namespace forge::serve {

// The single-page chat served at GET /: HTML, CSS and script in one document with no external
// resources. It keeps the conversation in the page and streams replies from
// /v1/chat/completions. Stable ids for scripts and tests: #messages, #input, #send, #status.
const std::string& web_page();

}  // namespace forge::serve
