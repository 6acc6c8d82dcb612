#pragma once

// Turns yaml-cpp's parse events into a Node tree. Working on events rather than YAML::Node
// lets us see duplicate keys, locate every value and refuse alias cycles before they loop.

#include <forge/node.h>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace forge {

class NodeBuilder : public YAML::EventHandler {
 public:
  // Aliases may copy a subtree many times over ("billion laughs"); cap what they may add.
  static constexpr std::size_t kMaxAliasNodes = 100000;

  // `text` is what the parser reads; it must outlive the builder.
  NodeBuilder(std::string_view text, std::string file);

  // The finished document's root, once OnDocumentEnd has been seen.
  std::optional<Node>& root() { return root_; }
  // Where the last quoted scalar that ran over several lines opened, when it closed on
  // `error_line`: a parse error there usually means that quote was never meant to run on.
  std::optional<Location> runaway_quote(int error_line) const;
  const Location& last_document_start() const { return last_document_start_; }

  void OnDocumentStart(const YAML::Mark& mark) override;
  void OnDocumentEnd() override;
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override;
  void OnSequenceEnd() override;
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override;
  void OnMapEnd() override;
  void OnAnchor(const YAML::Mark& mark, const std::string& anchor_name) override;

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::optional<Node> key;
    std::unordered_map<std::string, int> key_lines;  // for duplicate keys
  };
  struct Anchored {
    Node node;
    int height = 0;        // levels of nesting, 0 for a scalar
    std::size_t size = 0;  // nodes in the subtree
  };

  Location locate(const YAML::Mark& mark) const;
  void open(Node node, const YAML::Mark& mark, YAML::anchor_t anchor);
  void close();
  void add(Node value, YAML::anchor_t anchor);
  [[noreturn]] void fail(const Location& where, const std::string& message) const;
  void check_closed_quote(const YAML::Mark& mark);

  std::string_view text_;
  std::size_t mark_offset_ = 0;  // bytes yaml-cpp skipped before its positions start (a BOM)
  std::string file_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::map<YAML::anchor_t, std::string> anchor_names_;
  std::string pending_anchor_name_;
  std::size_t alias_nodes_ = 0;
  Location multiline_quote_;
  int multiline_quote_end_ = 0;  // the line of its closing quote
  Location last_document_start_;
};

}  // namespace forge
