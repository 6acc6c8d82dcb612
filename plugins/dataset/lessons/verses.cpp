// `verse_requests`: the user asks for a line about a topic and the assistant answers with a
// short King James verse that holds the topic word. Replies differ in quality (on topic or
// not, short or long), which is what rankings and a reward model learn from.
#include "lessons.h"

#include <forge/files.h>
#include <forge/words.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace forge::lessons {
namespace {

// Common concrete nouns of the King James text; only those in enough short verses are used.
const std::vector<std::string> kTopics = {
    "altar",     "angel",   "angels",   "ark",        "ass",     "beast",    "beasts",
    "bed",       "blood",   "bones",    "book",       "bow",     "branch",   "brass",
    "bread",     "brook",   "brother",  "bullock",    "camp",    "cattle",   "cedar",
    "chariot",   "child",   "cities",   "city",       "cloud",   "clouds",   "corn",
    "crown",     "cup",     "daughter", "day",        "door",    "dust",     "earth",
    "enemy",     "evening", "eyes",     "face",       "father",  "feast",    "feet",
    "field",     "fire",    "fish",     "flesh",      "flock",   "flood",    "foot",
    "fountain",  "friend",  "fruit",    "garment",    "gate",    "gates",    "gift",
    "goats",     "gold",    "grass",    "hair",       "hand",    "hands",    "harp",
    "harvest",   "head",    "heart",    "heaven",     "hill",    "hills",    "honey",
    "horse",     "horses",  "house",    "husband",    "iron",    "joy",      "kid",
    "king",      "kings",   "lamb",     "lambs",      "law",     "light",    "linen",
    "lion",      "love",    "money",    "moon",       "morning", "mother",   "mountain",
    "mountains", "mouth",   "name",     "net",        "night",   "oil",      "ointment",
    "ox",        "oxen",    "palace",   "path",       "peace",   "pit",      "priest",
    "prison",    "prophet", "rain",     "ram",        "river",   "rivers",   "rock",
    "rod",       "root",    "sabbath",  "salt",       "sea",     "seed",     "serpent",
    "servant",   "sheep",   "shield",   "ship",       "silver",  "sister",   "snow",
    "son",       "song",    "sorrow",   "stars",      "stone",   "stones",   "stranger",
    "sun",       "sword",   "table",    "tabernacle", "temple",  "tent",     "throne",
    "tongue",    "tree",    "trees",    "trumpet",    "valley",  "vineyard", "voice",
    "wall",      "water",   "waters",   "wheat",      "widow",   "wife",     "wilderness",
    "wind",      "wine",    "wood",     "word",       "year",
};

// {} stands for the topic.
const std::vector<std::string> kRequests = {
    "Write a line about the {}.",
    "Say something about the {}.",
    "Give me a verse about the {}.",
    "Quote a verse that mentions the {}.",
    "A verse about the {}, please.",
    "Tell me a line with the word {}.",
    "What does the Bible say about the {}?",
    "I'd like a verse about the {}.",
    "Share a verse about the {}.",
    "Give me a line about {}.",
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Lower-case runs of letters: the words a topic is matched against.
std::set<std::string> words_of(const std::string& text) {
  std::set<std::string> out;
  std::string word;
  for (char c : text + " ") {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      out.insert(word);
      word.clear();
    }
  }
  return out;
}

std::string trimmed(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
}

class VerseRequests : public LessonDataset {
 public:
  explicit VerseRequests(const Config& config) : LessonDataset(config) {
    const auto max_words = static_cast<std::size_t>(config.integer("max_words"));
    const auto max_chars = static_cast<std::size_t>(config.integer("max_chars"));
    std::vector<std::string> wanted = config.strings("topics");
    if (wanted.empty()) wanted = kTopics;
    std::map<std::string, std::vector<std::size_t>> by_topic;
    for (const std::string& topic : wanted) by_topic[lower(topic)];
    try {
      for (const auto& file : expand_glob(config.string("path"))) {
        LineReader reader(file);
        for (std::string line; reader.next(line);) {
          std::string verse = trimmed(line);
          if (verse.empty() || verse.size() > max_chars || count_words(verse) > max_words) continue;
          bool used = false;
          for (const std::string& word : words_of(verse))
            if (auto at = by_topic.find(word); at != by_topic.end()) {
              if (!used) verses_.push_back(verse);
              used = true;
              at->second.push_back(verses_.size() - 1);
            }
        }
      }
    } catch (const Error& e) {
      config.fail("path", cat(e.what(), "; scripts/data/kjv.sh writes the King James text"));
    }
    const auto min_verses = static_cast<std::size_t>(config.integer("min_verses"));
    for (auto& [topic, verses] : by_topic)
      if (verses.size() >= min_verses) topics_.push_back({topic, std::move(verses)});
    if (topics_.empty())
      config.fail("topics", cat("no topic occurs in ", min_verses, " verses of at most ", max_words,
                                " words; lower min_verses or raise max_words"));
  }

 protected:
  std::optional<Lesson> make(Generator& g) const override {
    const auto& [topic, verses] = pick(g, topics_);
    const std::string& verse = verses_[pick(g, verses)];
    std::string request = pick(g, kRequests);
    request.replace(request.find("{}"), 2, topic);
    Lesson lesson;
    lesson.key = topic;
    lesson.messages = {{"user", request, {}}, {"assistant", verse, {}}};
    lesson.extra["topic"] = topic;
    return lesson;
  }

 private:
  std::vector<std::string> verses_;
  std::vector<std::pair<std::string, std::vector<std::size_t>>> topics_;
};

}  // namespace

PluginInfo verse_requests_plugin() {
  Schema schema;
  for (Param& p : lesson_params(5000)) schema.add(std::move(p));
  schema.add(param::string("path")
                 .fallback("data/kjv/train/*.txt")
                 .doc("glob of verse files, one verse per line (scripts/data/kjv.sh writes them)"));
  schema.add(param::integer("max_words")
                 .fallback(20)
                 .at_least(1)
                 .doc("only verses of at most this many words, so replies fit a small context"));
  schema.add(param::integer("max_chars")
                 .fallback(110)
                 .at_least(1)
                 .doc("only verses of at most this many bytes (a byte model's tokens)"));
  schema.add(param::string_list("topics")
                 .fallback(std::vector<std::string>{})
                 .doc("topic words asked about; empty: a built-in list of 159 common nouns"));
  schema.add(param::integer("min_verses")
                 .fallback(8)
                 .at_least(1)
                 .doc("a topic is used only when this many short verses hold it"));
  return describe_plugin<VerseRequests>(
      "verse_requests", "1.0",
      "requests for a line about a topic, answered with a King James verse holding the word; "
      "held-out topics for the test split",
      std::move(schema));
}

}  // namespace forge::lessons
