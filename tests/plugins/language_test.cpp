#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

// The plugin is built only where CLD2 (Debian's libcld2-dev) is installed.
bool have_language_plugin() {
  return test::plugins().find(PluginKind::filter, "language") != nullptr;
}

std::unique_ptr<Filter> language(const std::string& options = "") {
  return make_plugin<Filter>("{plugin: language" + (options.empty() ? "" : ", " + options) + "}");
}

struct Sample {
  std::string code;
  std::string text;
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> all = {
      {"en",
       "The old lighthouse keeper climbed the stairs every evening to light the lamp. Ships "
       "passing in the night relied on its steady beam to avoid the rocks, and the villagers "
       "said he had never missed a single night in forty years."},
      {"de",
       "Der alte Leuchtturmw\u00e4rter stieg jeden Abend die Treppe hinauf, um die Lampe "
       "anzuz\u00fcnden. Die Schiffe, die in der Nacht vorbeifuhren, verlie\u00dfen sich auf "
       "ihren ruhigen Strahl, und die Dorfbewohner sagten, er habe in vierzig Jahren keine "
       "einzige Nacht vers\u00e4umt."},
      {"fr",
       "Le vieux gardien du phare montait l'escalier chaque soir pour allumer la lampe. Les "
       "navires qui passaient dans la nuit comptaient sur son faisceau r\u00e9gulier pour "
       "\u00e9viter les rochers, et les villageois disaient qu'il n'avait jamais manqu\u00e9 une "
       "seule nuit en quarante ans."},
      {"es",
       "El viejo farero sub\u00eda las escaleras cada tarde para encender la l\u00e1mpara. Los "
       "barcos que pasaban por la noche confiaban en su haz constante para evitar las rocas, y "
       "los vecinos del pueblo dec\u00edan que nunca hab\u00eda faltado ni una sola noche en "
       "cuarenta a\u00f1os."},
      {"it",
       "Il vecchio guardiano del faro saliva le scale ogni sera per accendere la lampada. Le "
       "navi che passavano di notte contavano sul suo fascio costante per evitare gli scogli, e "
       "gli abitanti del villaggio dicevano che non aveva mai saltato una sola notte in "
       "quarant'anni."},
      {"pt",
       "O velho faroleiro subia as escadas todas as tardes para acender a l\u00e2mpada. Os "
       "navios que passavam durante a noite confiavam no seu feixe constante para evitar as "
       "rochas, e os moradores da aldeia diziam que ele nunca tinha faltado uma \u00fanica noite "
       "em quarenta anos."},
      {"ru",
       "\u0421\u0442\u0430\u0440\u044b\u0439 \u0441\u043c\u043e\u0442\u0440\u0438\u0442\u0435"
       "\u043b\u044c \u043c\u0430\u044f\u043a\u0430 \u043a\u0430\u0436\u0434\u044b\u0439 "
       "\u0432\u0435\u0447\u0435\u0440 \u043f\u043e\u0434\u043d\u0438\u043c\u0430\u043b\u0441"
       "\u044f \u043f\u043e \u043b\u0435\u0441\u0442\u043d\u0438\u0446\u0435, \u0447\u0442\u043e"
       "\u0431\u044b \u0437\u0430\u0436\u0435\u0447\u044c \u043b\u0430\u043c\u043f\u0443. "
       "\u041a\u043e\u0440\u0430\u0431\u043b\u0438, \u043f\u0440\u043e\u0445\u043e\u0434\u0438"
       "\u0432\u0448\u0438\u0435 \u043d\u043e\u0447\u044c\u044e, \u043f\u043e\u043b\u0430\u0433"
       "\u0430\u043b\u0438\u0441\u044c \u043d\u0430 \u0435\u0451 \u0440\u043e\u0432\u043d\u044b"
       "\u0439 \u0441\u0432\u0435\u0442, \u0430 \u0436\u0438\u0442\u0435\u043b\u0438 \u0434\u0435"
       "\u0440\u0435\u0432\u043d\u0438 \u0433\u043e\u0432\u043e\u0440\u0438\u043b\u0438, \u0447"
       "\u0442\u043e \u043e\u043d \u043d\u0438 \u0440\u0430\u0437\u0443 \u043d\u0435 \u043f\u0440"
       "\u043e\u043f\u0443\u0441\u0442\u0438\u043b \u043d\u0438 \u043e\u0434\u043d\u043e\u0439 "
       "\u043d\u043e\u0447\u0438 \u0437\u0430 \u0441\u043e\u0440\u043e\u043a \u043b\u0435\u0442."},
      // Esperanto is in CLD2's full tables only: this sample fails with the small ones.
      {"eo",
       "La maljuna lumturisto grimpis la \u015dtuparon \u0109iun vesperon por ekbruligi la "
       "lampon. La \u015dipoj, kiuj preterpasis en la nokto, fidis je \u011dia konstanta lumo "
       "por eviti la rokojn, kaj la vila\u011danoj diris, ke li neniam maltrafis e\u0109 unu "
       "nokton dum kvardek jaroj."},
      {"zh",
       "\u8001\u706f\u5854\u770b\u5b88\u4eba\u6bcf\u5929\u665a\u4e0a\u90fd\u722c\u4e0a\u697c"
       "\u68af\u53bb\u70b9\u4eae\u706f\u3002\u591c\u91cc\u7ecf\u8fc7\u7684\u8239\u53ea\u4f9d"
       "\u9760\u5b83\u7a33\u5b9a\u7684\u5149\u675f\u907f\u5f00\u5ca9\u77f3\uff0c\u6751\u91cc"
       "\u7684\u4eba\u8bf4\u4ed6\u56db\u5341\u5e74\u6765\u4ece\u672a\u9519\u8fc7\u4e00\u4e2a"
       "\u591c\u665a\u3002\u4ed6\u603b\u662f\u5148\u64e6\u4eae\u73bb\u7483\uff0c\u518d\u52a0"
       "\u6ee1\u706f\u6cb9\uff0c\u7136\u540e\u9759\u9759\u5730\u5750\u5728\u7a97\u8fb9\u770b"
       "\u7740\u5927\u6d77\u3002"},
  };
  return all;
}

TEST(Language, IdentifiesAndKeepsTheLanguagesAskedFor) {
  if (!have_language_plugin()) GTEST_SKIP() << "CLD2 (libcld2-dev) is not installed";
  auto english_only = language();
  auto european = language("languages: [de, FR, es]");
  auto any = language("languages: []");
  for (const Sample& sample : samples()) {
    ASSERT_GE(sample.text.size(), 200u) << sample.code;
    Document document;
    document.text = sample.text;
    Verdict verdict = any->apply(document);
    EXPECT_EQ(verdict.action, Verdict::Action::keep) << sample.code;
    EXPECT_EQ(document.metadata["language"], sample.code) << sample.text;
    double score = document.metadata["language_score"].get<double>();
    EXPECT_GE(score, 0.9) << sample.code;
    EXPECT_LE(score, 1.0) << sample.code;

    Document again;
    again.text = sample.text;
    EXPECT_EQ(english_only->apply(again).reason, sample.code == "en" ? "" : "language");
    bool european_wanted = sample.code == "de" || sample.code == "fr" || sample.code == "es";
    EXPECT_EQ(european->apply(again).reason, european_wanted ? "" : "language");
    EXPECT_EQ(document.text, sample.text) << "the filter never rewrites";
  }
}

TEST(Language, MixedTextHasALowScore) {
  if (!have_language_plugin()) GTEST_SKIP() << "CLD2 (libcld2-dev) is not installed";
  Document document;
  document.text = samples()[0].text + " " + samples()[1].text;  // English, then German
  Verdict verdict = language("languages: [en, de]")->apply(document);
  double score = document.metadata["language_score"].get<double>();
  EXPECT_GT(score, 0.3);
  EXPECT_LT(score, 0.65);
  EXPECT_EQ(verdict.reason, "low_language_score");
  EXPECT_EQ(language("languages: [en, de], min_score: 0.3")->apply(document).action,
            Verdict::Action::keep);
}

TEST(Language, ChineseCoversTraditionalScript) {
  if (!have_language_plugin()) GTEST_SKIP() << "CLD2 (libcld2-dev) is not installed";
  Document document;
  document.text =
      "\u8001\u71c8\u5854\u770b\u5b88\u4eba\u6bcf\u5929\u665a\u4e0a\u90fd\u722c\u4e0a\u6a13"
      "\u68af\u53bb\u9ede\u4eae\u71c8\u3002\u591c\u88e1\u7d93\u904e\u7684\u8239\u96bb\u4f9d"
      "\u9760\u5b83\u7a69\u5b9a\u7684\u5149\u675f\u907f\u958b\u5ca9\u77f3\uff0c\u6751\u88e1"
      "\u7684\u4eba\u8aaa\u4ed6\u56db\u5341\u5e74\u4f86\u5f9e\u672a\u932f\u904e\u4e00\u500b"
      "\u591c\u665a\u3002\u4ed6\u7e3d\u662f\u5148\u64e6\u4eae\u73bb\u7483\uff0c\u518d\u52a0"
      "\u6eff\u71c8\u6cb9\uff0c\u7136\u5f8c\u975c\u975c\u5730\u5750\u5728\u7a97\u908a\u770b"
      "\u8457\u5927\u6d77\u3002";
  EXPECT_EQ(language("languages: [zh]")->apply(document).action, Verdict::Action::keep);
  EXPECT_EQ(document.metadata["language"], "zh-Hant");
  EXPECT_EQ(language("languages: [zh-hant]")->apply(document).action, Verdict::Action::keep);
}

TEST(Language, UnknownAndBrokenText) {
  if (!have_language_plugin()) GTEST_SKIP() << "CLD2 (libcld2-dev) is not installed";
  for (std::string text : {std::string(), std::string("12345 67890 !!! ---")}) {
    Document document;
    document.text = text;
    EXPECT_EQ(language("languages: []")->apply(document).reason, "language") << text;
    EXPECT_EQ(document.metadata["language"], "un");
    EXPECT_EQ(document.metadata["language_score"], 0.0);
  }
  // Ill-formed UTF-8 and control bytes are blanked, not fatal.
  Document broken;
  broken.text = samples()[1].text + "\xFF\xFE\x01\xC0\x80" + samples()[1].text;
  EXPECT_EQ(language("languages: [de]")->apply(broken).action, Verdict::Action::keep);
  EXPECT_EQ(broken.metadata["language"], "de");
}

TEST(Language, RefusesBadOptions) {
  if (!have_language_plugin()) GTEST_SKIP() << "CLD2 (libcld2-dev) is not installed";
  EXPECT_THROW(language("min_score: 1.5"), Error);
  EXPECT_THROW(language("languages: ['']"), Error);
}

}  // namespace
}  // namespace forge
