#pragma once

// Turns the bytes of generated tokens into text that is safe to send as it comes: a token may
// end inside a multi-byte character (held until it completes), bytes that are not UTF-8 become
// U+FFFD (JSON needs valid text), and text that could be the start of a stop sequence is held
// until it is known not to be one.

#include <string>
#include <string_view>
#include <vector>

namespace forge::serve {

class TextStream {
 public:
  explicit TextStream(std::vector<std::string> stop = {});

  // Adds the bytes of one token and returns the text that may be sent now (possibly empty).
  std::string push(std::string_view bytes);
  // At the end of generation: the text still held (an unfinished character becomes U+FFFD).
  std::string finish();
  // True once a stop sequence appeared; nothing from it on is ever returned.
  bool stopped() const { return stopped_; }
  // Everything returned so far.
  const std::string& text() const { return text_; }

 private:
  std::string release(std::string candidate, bool final);

  std::vector<std::string> stop_;
  std::string bytes_;  // the start of a character not yet complete
  std::string held_;   // complete text that may begin a stop sequence
  std::string text_;
  bool stopped_ = false;
};

// The valid UTF-8 prefix of `bytes` with every malformed sequence replaced by U+FFFD; an
// unfinished character at the end stays in `rest` (or is replaced too when `final`).
std::string take_utf8(std::string_view bytes, bool final, std::string& rest);

}  // namespace forge::serve
