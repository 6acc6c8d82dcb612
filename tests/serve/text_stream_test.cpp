// Streamed text: whole characters only, malformed bytes replaced, stop sequences cut even when
// they arrive split over several tokens.
#include "serve/text_stream.h"

#include <gtest/gtest.h>

namespace forge::serve {
namespace {

TEST(TextStream, HoldsACharacterSplitAcrossTokensUntilItCompletes) {
  TextStream stream;
  EXPECT_EQ(stream.push("caf"), "caf");
  EXPECT_EQ(stream.push("\xC3"), "");  // the first byte of é
  EXPECT_EQ(stream.push("\xA9!"), "\xC3\xA9!");
  EXPECT_EQ(stream.push("\xF0\x9F"), "");  // half of an emoji
  EXPECT_EQ(stream.push("\x98"), "");
  EXPECT_EQ(stream.push("\x80"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(stream.finish(), "");
  EXPECT_EQ(stream.text(), "caf\xC3\xA9!\xF0\x9F\x98\x80");
}

TEST(TextStream, ReplacesMalformedBytesAndAnUnfinishedLastCharacter) {
  TextStream stream;
  // A stray continuation byte, an invalid lead byte, a lead followed by ASCII, an overlong form.
  EXPECT_EQ(stream.push("a\x80"
                        "b\xFF"
                        "c\xC3"
                        "d\xC0\xAF"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD"
            "d\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(stream.push("\xE2\x82"), "");  // the start of €, never finished
  EXPECT_EQ(stream.finish(), "\xEF\xBF\xBD");
}

TEST(TextStream, CutsAStopSequenceThatArrivesInPieces) {
  TextStream stream({"END", "\n\n"});
  EXPECT_EQ(stream.push("Hello E"), "Hello ");  // "E" may begin END
  EXPECT_EQ(stream.push("N"), "");
  EXPECT_FALSE(stream.stopped());
  EXPECT_EQ(stream.push("D and more"), "");
  EXPECT_TRUE(stream.stopped());
  EXPECT_EQ(stream.push("ignored"), "");
  EXPECT_EQ(stream.finish(), "");
  EXPECT_EQ(stream.text(), "Hello ");
}

TEST(TextStream, ReleasesHeldTextOnceItCannotStartAStopSequence) {
  TextStream stream({"END"});
  EXPECT_EQ(stream.push("an E"), "an ");
  EXPECT_EQ(stream.push("ND"), "");
  EXPECT_TRUE(stream.stopped());

  TextStream other({"END"});
  EXPECT_EQ(other.push("EN"), "");
  EXPECT_EQ(other.push("d"), "ENd");
  EXPECT_EQ(other.push("E"), "");
  EXPECT_EQ(other.finish(), "E");  // the end of generation releases what was held
  EXPECT_FALSE(other.stopped());
  EXPECT_EQ(other.text(), "ENdE");
}

TEST(TextStream, FindsTheEarliestOfSeveralStopSequences) {
  TextStream stream({"bb", "a"});
  EXPECT_EQ(stream.push("xxbbya"), "xx");
  EXPECT_TRUE(stream.stopped());
}

}  // namespace
}  // namespace forge::serve
