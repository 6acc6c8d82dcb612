// The tree is built from libxml2's SAX events rather than from its xmlDoc: the parser (its
// tokenizer, entity decoding, implied and auto-closed elements) is the same, but skipping its
// tree of malloc'd nodes and attribute strings makes parsing about 1.6 times faster.
#include "dom.h"

#include "cues.h"

#include <forge/error.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace forge::html {
namespace {

// HTML_PARSE_IGNORE_ENC: the text is UTF-8 by contract, whatever its <meta charset> says.
constexpr int kParseOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                              HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;

std::string_view view(const xmlChar* text) {
  return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

std::uint32_t fnv1a(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

bool ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// display:none or visibility:hidden in a style attribute, spaces and case aside.
bool style_hides(std::string_view style) {
  std::string compact;
  compact.reserve(style.size());
  for (char c : style) {
    if (!ascii_space(static_cast<unsigned char>(c))) compact += c >= 'A' && c <= 'Z' ? c + 32 : c;
  }
  return compact.find("display:none") != std::string::npos ||
         compact.find("visibility:hidden") != std::string::npos;
}

}  // namespace

std::string Dom::text_of(std::int32_t i) const {
  std::string out;
  for (std::int32_t k = i; k < (*this)[i].end; ++k) {
    const Node& node = (*this)[k];
    if (node.removed()) {
      k = node.end - 1;
    } else if (node.is_text()) {
      out.append(text(node));
    }
  }
  return out;
}

// Receives libxml2's SAX events and appends nodes in document order.
class DomBuilder {
 public:
  explicit DomBuilder(Dom& dom) : dom_(dom) {
    dom_.nodes_.reserve(4096);
    dom_.nodes_.push_back(Node{});  // the root, parent of <html> and of anything outside it
    open_.push_back(0);
  }

  void start(std::string_view name, const xmlChar** attributes) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return;
    }
    Tag tag = tag_of(name);
    if (traits(tag).dropped) {
      skip_depth_ = 1;
      return;
    }
    Node node;
    node.tag = tag;
    node.parent = open_.back();
    std::string_view class_name, id;
    for (const xmlChar** pair = attributes; pair && pair[0]; pair += 2) {
      attribute(node, pair);
      std::string_view key = view(pair[0]);
      if (key == "class") class_name = view(pair[1]);
      if (key == "id") id = view(pair[1]);
    }
    if (!class_name.empty() || !id.empty()) {
      node.names_begin = static_cast<std::uint32_t>(dom_.names_.size());
      dom_.names_.append(class_name);
      if (!id.empty()) (dom_.names_ += '#').append(id);
      node.names_size = static_cast<std::uint32_t>(dom_.names_.size()) - node.names_begin;
    }
    auto index = static_cast<std::int32_t>(dom_.nodes_.size());
    if (tag == Tag::body && dom_.body_ == 0) dom_.body_ = index;
    if (tag == Tag::a) ++link_depth_;
    if (tag == Tag::pre) ++pre_depth_;
    if (tag == Tag::title) ++title_depth_;
    if (tag == Tag::head) ++head_depth_;
    dom_.nodes_.push_back(node);
    open_.push_back(index);
  }

  void end() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return;
    }
    if (open_.size() <= 1) return;  // libxml2 balances its events; this is only a guard
    close_top();
  }

  void characters(const char* bytes, int length) {
    if (skip_depth_ > 0 || length <= 0) return;
    std::string_view text(bytes, static_cast<std::size_t>(length));
    if (title_depth_ > 0) {
      if (!title_done_) append_collapsed(dom_.title_, text);
      return;
    }
    if (head_depth_ > 0) return;
    std::int32_t parent = open_.back();
    Node* node = &dom_.nodes_.back();
    if (!node->is_text() || node->parent != parent) {
      Node fresh;
      fresh.tag = Tag::text;
      fresh.parent = parent;
      fresh.text_begin = static_cast<std::uint32_t>(dom_.text_.size());
      if (link_depth_ > 0) fresh.flags |= node_flag::in_link;
      if (pre_depth_ > 0) fresh.flags |= node_flag::in_pre;
      fresh.end = static_cast<std::int32_t>(dom_.nodes_.size()) + 1;
      dom_.nodes_.push_back(fresh);
      node = &dom_.nodes_.back();
    }
    std::size_t before = dom_.text_.size();
    if (pre_depth_ > 0) {
      dom_.text_.append(text);
    } else {
      append_collapsed(dom_.text_, text);
    }
    std::string_view added = std::string_view(dom_.text_).substr(before);
    node->text_size += static_cast<std::uint32_t>(added.size());
    count(*node, added);
  }

  void finish() {
    while (open_.size() > 1) close_top();
    dom_.nodes_[0].end = static_cast<std::int32_t>(dom_.nodes_.size());
    if (!dom_.title_.empty() && dom_.title_.back() == ' ') dom_.title_.pop_back();
    if (!dom_.title_.empty() && dom_.title_.front() == ' ') dom_.title_.erase(0, 1);
  }

 private:
  void close_top() {
    std::int32_t index = open_.back();
    open_.pop_back();
    Node& node = dom_.nodes_[static_cast<std::size_t>(index)];
    node.end = static_cast<std::int32_t>(dom_.nodes_.size());
    if (node.tag == Tag::a) --link_depth_;
    if (node.tag == Tag::pre) --pre_depth_;
    if (node.tag == Tag::head) --head_depth_;
    if (node.tag == Tag::title && --title_depth_ == 0) title_done_ = !dom_.title_.empty();
  }

  static void attribute(Node& node, const xmlChar** pair) {
    std::string_view name = view(pair[0]);
    std::string_view value = view(pair[1]);
    if (name == "class") {
      node.cues |= name_cues(value);
      node.class_hash = fnv1a(value);
    } else if (name == "id") {
      node.cues |= name_cues(value);
    } else if (name == "role") {
      node.cues |= role_cues(value);
    } else if (name == "itemprop") {
      node.cues |= itemprop_cues(value);
    } else if (name == "hidden") {
      node.flags |= node_flag::hidden;
    } else if (name == "aria-hidden") {
      if (value == "true") node.flags |= node_flag::hidden;
    } else if (name == "style") {
      if (style_hides(value)) node.flags |= node_flag::hidden;
    }
  }

  // Appends with each run of whitespace (and no-break spaces) as one space.
  static void append_collapsed(std::string& out, std::string_view text) {
    bool space = !out.empty() && out.back() == ' ';
    for (std::size_t i = 0; i < text.size(); ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      bool is_space = ascii_space(c);
      if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
        is_space = true;
        ++i;
      }
      if (is_space) {
        if (!space) out += ' ';
        space = true;
      } else {
        out += static_cast<char>(c);
        space = false;
      }
    }
  }

  // Non-space code points and commas (ASCII, fullwidth, ideographic, Arabic).
  static void count(Node& node, std::string_view text) {
    std::uint32_t chars = 0, commas = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      if ((c & 0xC0) != 0x80 && !ascii_space(c)) ++chars;
      if (c == ',') ++commas;
      if (c == 0xEF || c == 0xE3 || c == 0xD8) {
        std::string_view rest = text.substr(i);
        if (rest.starts_with("\xEF\xBC\x8C") || rest.starts_with("\xE3\x80\x81") ||
            rest.starts_with("\xD8\x8C"))
          ++commas;
      }
    }
    node.chars += chars;
    node.commas = static_cast<std::uint16_t>(std::min<std::uint32_t>(node.commas + commas, 65535));
  }

  Dom& dom_;
  std::vector<std::int32_t> open_;
  int skip_depth_ = 0, link_depth_ = 0, pre_depth_ = 0, title_depth_ = 0, head_depth_ = 0;
  bool title_done_ = false;
};

namespace {

DomBuilder& builder(void* context) {
  auto* parser = static_cast<htmlParserCtxtPtr>(context);
  return *static_cast<DomBuilder*>(parser->_private);
}

void on_start(void* context, const xmlChar* name, const xmlChar** attributes) {
  builder(context).start(view(name), attributes);
}
void on_end(void* context, const xmlChar*) { builder(context).end(); }
void on_characters(void* context, const xmlChar* text, int length) {
  builder(context).characters(reinterpret_cast<const char*>(text), length);
}

struct ParserDeleter {
  void operator()(htmlParserCtxtPtr parser) const {
    if (parser->myDoc) xmlFreeDoc(parser->myDoc);
    htmlFreeParserCtxt(parser);
  }
};

}  // namespace

Dom Dom::parse(std::string_view html) {
  Dom dom;
  DomBuilder builder(dom);
  if (html.size() > static_cast<std::size_t>(INT32_MAX / 2))
    throw Error(cat("[html_extract] page of ", html.size(), " bytes is too large to parse"));
  // libxml2 reads nothing from an empty buffer; an empty page is an empty tree.
  if (!html.empty()) {
    std::unique_ptr<htmlParserCtxt, ParserDeleter> parser(
        htmlCreateMemoryParserCtxt(html.data(), static_cast<int>(html.size())));
    if (!parser) throw Error("[html_extract] libxml2 could not create an HTML parser");
    std::memset(parser->sax, 0, sizeof(htmlSAXHandler));
    parser->sax->startElement = on_start;
    parser->sax->endElement = on_end;
    parser->sax->characters = on_characters;
    parser->sax->ignorableWhitespace = on_characters;
    parser->_private = &builder;
    parser->userData = parser.get();
    htmlCtxtUseOptions(parser.get(), kParseOptions);
    xmlSwitchEncoding(parser.get(), XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(parser.get());
  }
  builder.finish();
  return dom;
}

}  // namespace forge::html
