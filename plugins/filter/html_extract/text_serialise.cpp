// A single forward walk over each subtree with a stack of open elements; text is appended to the
// block being built, and block-level elements close it.
#include "text_serialise.h"

#include <algorithm>

namespace forge::html {
namespace {

// Readability's test, simplified: a table of data has header cells, a caption or a grid of more
// than one row and column without nested tables or long running text in its cells.
bool is_data_table(const Dom& dom, std::int32_t table) {
  int rows = 0, columns = 0, cells = 0, cell_blocks = 0;
  bool header = false;
  for (std::int32_t i = table + 1; i < dom[table].end; ++i) {
    const Node& node = dom[i];
    switch (node.tag) {
      case Tag::table:
        return false;
      case Tag::caption:
      case Tag::thead:
      case Tag::tfoot:
      case Tag::th:
        header = true;
        break;
      case Tag::tr:
        ++rows;
        columns = std::max(columns, cells);
        cells = 0;
        break;
      case Tag::td:
        ++cells;
        break;
      case Tag::p:
      case Tag::div:
      case Tag::ul:
      case Tag::ol:
      case Tag::blockquote:
      case Tag::h1:
      case Tag::h2:
      case Tag::h3:
        ++cell_blocks;
        break;
      default:
        break;
    }
  }
  columns = std::max(columns, cells);
  if (cell_blocks > rows) return false;  // paragraphs laid out in cells: a layout table
  if (header) return true;
  if (rows <= 1 || columns <= 1) return false;
  return true;
}

bool space_or_newline(char c) { return c == ' ' || c == '\n'; }

class Serialiser {
 public:
  explicit Serialiser(const Dom& dom) : dom_(dom) {}

  void walk(std::int32_t root) {
    std::vector<std::int32_t> open;
    for (std::int32_t i = root; i < dom_[root].end; ++i) {
      while (!open.empty() && i >= dom_[open.back()].end) {
        close(open.back());
        open.pop_back();
      }
      const Node& node = dom_[i];
      if (node.removed()) {
        i = node.end - 1;
        continue;
      }
      if (node.is_text()) {
        add_text(node);
        continue;
      }
      start(i);
      open.push_back(i);
    }
    while (!open.empty()) {
      close(open.back());
      open.pop_back();
    }
    flush();
  }

  std::vector<Block> take() { return std::move(blocks_); }

 private:
  struct Context {
    BlockKind kind;
    std::int32_t group;
  };

  bool in_cell() const { return cell_depth_ > 0; }

  void start(std::int32_t i) {
    const Node& node = dom_[i];
    if (node.tag == Tag::br) {
      if (in_cell()) {
        space();
      } else if (!current_.text.empty() && current_.text.back() != '\n') {
        while (!current_.text.empty() && current_.text.back() == ' ') current_.text.pop_back();
        current_.text += '\n';
      }
      return;
    }
    if (node.tag == Tag::a) links_.push_back(i);
    if (node.tag == Tag::table) {
      tables_.push_back({i, is_data_table(dom_, i)});
      if (in_cell()) space();
    }
    const bool data = !tables_.empty() && tables_.back().data;
    if (data && (node.tag == Tag::td || node.tag == Tag::th)) {
      if (cell_depth_ == 0 && current_.chars > 0) current_.text += " | ";
      ++cell_depth_;
      return;
    }
    if (!traits(node.tag).block) return;
    if (in_cell()) {
      space();
      return;
    }
    flush();
    Context context{BlockKind::paragraph, -1};
    if (!contexts_.empty()) context = contexts_.back();
    if (traits(node.tag).heading) {
      context = {BlockKind::heading, -1};
    } else if (node.tag == Tag::li || node.tag == Tag::dt || node.tag == Tag::dd) {
      context = {BlockKind::list_item, node.parent};
    } else if (node.tag == Tag::tr && data) {
      context = {BlockKind::row, tables_.back().table};
    } else if (node.tag == Tag::pre) {
      context = {BlockKind::preformatted, -1};
    } else if (node.tag != Tag::span) {
      if (context.kind != BlockKind::list_item && context.kind != BlockKind::row)
        context = {BlockKind::paragraph, -1};
    }
    contexts_.push_back(context);
    current_.kind = context.kind;
    current_.group = context.group;
  }

  void close(std::int32_t i) {
    const Node& node = dom_[i];
    if (node.tag == Tag::br) return;
    if (node.tag == Tag::a && !links_.empty()) links_.pop_back();
    const bool data = !tables_.empty() && tables_.back().data;
    if (node.tag == Tag::table) tables_.pop_back();
    if (data && (node.tag == Tag::td || node.tag == Tag::th)) {
      --cell_depth_;
      return;
    }
    if (!traits(node.tag).block) return;
    if (in_cell()) {
      space();
      return;
    }
    flush();
    if (!contexts_.empty()) contexts_.pop_back();
    if (!contexts_.empty()) {
      current_.kind = contexts_.back().kind;
      current_.group = contexts_.back().group;
    }
  }

  void space() {
    if (!current_.text.empty() && !space_or_newline(current_.text.back())) current_.text += ' ';
  }

  void add_text(const Node& node) {
    std::string_view text = dom_.text(node);
    if (!(node.flags & node_flag::in_pre)) {
      if (!text.empty() && text.front() == ' ' &&
          (current_.text.empty() || space_or_newline(current_.text.back()))) {
        text.remove_prefix(1);
      }
    }
    current_.text.append(text);
    current_.chars += node.chars;
    if (node.flags & node_flag::in_link) {
      current_.link_chars += node.chars;
      // Consecutive text nodes of one <a> count as one link.
      std::int32_t link = links_.empty() ? -1 : links_.back();
      if (node.chars > 0 && link != last_link_) ++current_.links;
      last_link_ = link;
    }
  }

  void flush() {
    std::string& text = current_.text;
    while (!text.empty() && space_or_newline(text.back())) text.pop_back();
    const bool pre = current_.kind == BlockKind::preformatted;
    // Code keeps its indentation, the first line's included; only leading blank lines go.
    std::size_t start = 0, line_start = 0;
    while (start < text.size() && space_or_newline(text[start]))
      if (text[start++] == '\n') line_start = start;
    text.erase(0, pre ? line_start : start);
    if (current_.chars > 0 && !text.empty() && pre) {
      blocks_.push_back(std::move(current_));
    } else if (current_.chars > 0 && !text.empty()) {
      // A line break followed by the next inline text's space leaves "\n "; drop the space.
      std::string tidy;
      tidy.reserve(text.size());
      for (std::size_t k = 0; k < text.size(); ++k) {
        if (text[k] == ' ' && !tidy.empty() && tidy.back() == '\n') continue;
        tidy += text[k];
      }
      current_.text = std::move(tidy);
      blocks_.push_back(std::move(current_));
    }
    BlockKind kind = current_.kind;
    std::int32_t group = current_.group;
    current_ = Block{};
    current_.kind = kind;
    current_.group = group;
  }

  const Dom& dom_;
  std::vector<Block> blocks_;
  Block current_;
  std::vector<Context> contexts_;
  struct OpenTable {
    std::int32_t table;
    bool data;  // a table of data, read by rows and cells; otherwise a layout of blocks
  };
  std::vector<OpenTable> tables_;
  std::vector<std::int32_t> links_;  // the open <a> elements
  int cell_depth_ = 0;
  std::int32_t last_link_ = -1;
};

}  // namespace

std::vector<Block> serialise_blocks(const Dom& dom, const std::vector<std::int32_t>& roots) {
  Serialiser serialiser(dom);
  for (std::int32_t root : roots) serialiser.walk(root);
  return serialiser.take();
}

std::string join_blocks(const std::vector<Block>& blocks) {
  std::string out;
  std::size_t total = 0;
  for (const Block& block : blocks) total += block.text.size() + 2;
  out.reserve(total);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0) {
      const Block& previous = blocks[i - 1];
      const Block& block = blocks[i];
      bool same_group = block.group >= 0 && block.group == previous.group &&
                        block.kind == previous.kind &&
                        (block.kind == BlockKind::list_item || block.kind == BlockKind::row);
      out += same_group ? "\n" : "\n\n";
    }
    out += blocks[i].text;
  }
  return out;
}

}  // namespace forge::html
