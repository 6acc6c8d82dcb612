#pragma once

#include <string_view>

namespace forge {

// Sentences in one line of text, counted without a trained model (datatrove asks NLTK's punkt).
// A sentence ends at a run of sentence terminals (. ! ? and other scripts' marks), with any
// closing quotes or brackets after it, that is followed by whitespace or the end of the line,
// unless
//   - the next word starts with a lowercase letter ("e.g. the", "wait... what"),
//   - the run is one period after a single letter ("J. Smith") or a title (Mr Mrs Ms Dr Prof
//     Sr Jr St Mt vs),
//   - nothing with a letter or digit came since the previous end.
// CJK terminals (。！？) end a sentence without whitespace after them. Text with a letter or
// digit after the last end is one more sentence.
int count_sentences(std::string_view line);

}  // namespace forge
