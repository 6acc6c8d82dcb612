#include "stages/sft/conversation_batches.h"

#include <forge/error.h>
#include <forge/log.h>
#include <forge/random.h>

#include <algorithm>
#include <numeric>

namespace forge {
namespace {

struct Rendered {
  std::vector<TokenId> ids;
  std::vector<std::uint8_t> mask;
};

std::vector<Rendered> render_source(const ConversationSource& source, const Tokenizer& tokenizer,
                                    const ConversationSettings& settings) {
  const auto window = static_cast<std::size_t>(settings.seq_len + 1);
  std::vector<Rendered> out;
  std::uint64_t tokens = 0, truncated = 0, empty = 0;
  for (const std::string& shard : source.dataset->shards()) {
    source.dataset->read(shard, [&](Document&& document) {
      auto messages = document.metadata.find("messages");
      if (messages == document.metadata.end())
        throw Error(cat(source.label, ": document '", document.id, "' has no metadata.messages; ",
                        "read conversations with the conversations dataset or a generator"));
      RenderedChat chat;
      try {
        chat = render_chat(tokenizer, chat_from_json(*messages, document.id), settings.chat);
      } catch (const Error& e) {
        throw Error(cat(source.label, ": ", e.what()));
      }
      if (chat.ids.size() > window) {
        chat.ids.resize(window);
        chat.mask.resize(window);
        ++truncated;
      }
      // The first token is never a target: a conversation learns from positions 1 and on.
      if (std::find(chat.mask.begin() + 1, chat.mask.end(), 1) == chat.mask.end()) {
        ++empty;
        return true;
      }
      tokens += chat.ids.size();
      out.push_back({std::move(chat.ids), std::move(chat.mask)});
      return true;
    });
  }
  if (out.empty())
    throw Error(cat(source.label, ": no conversation with an assistant turn to learn from",
                    empty ? cat(" (", empty, " had none within ", window, " tokens)") : ""));
  log_info(source.label, ": ", out.size(), " conversations, ", tokens, " tokens",
           truncated ? cat(", ", truncated, " cut to ", window, " tokens") : "",
           empty ? cat(", ", empty, " skipped with nothing to learn within the window") : "");
  return out;
}

class ConversationBatches : public BatchSource {
 public:
  ConversationBatches(std::vector<std::vector<Rendered>> sources, std::vector<double> weights,
                      TokenId pad, ConversationSettings settings)
      : sources_(std::move(sources)),
        weights_(std::move(weights)),
        pad_(pad),
        settings_(std::move(settings)) {
    seek(0);
  }

  TokenBatch next(std::int64_t rows, std::int64_t seq_len, Device device) override {
    FORGE_CHECK(seq_len == settings_.seq_len, "conversation windows were cut for another length");
    const auto T = static_cast<std::size_t>(seq_len);
    std::vector<std::int32_t> ids, targets, starts;
    std::vector<float> weights;
    for (std::int64_t row = 0; row < rows; ++row) {
      fill_window();
      for (std::size_t t = 0; t < T; ++t) {
        ids.push_back(window_ids_[t]);
        targets.push_back(window_ids_[t + 1]);
        weights.push_back(window_mask_[t + 1]);
        starts.push_back(window_starts_[t]);
      }
      ++position_;
    }
    TokenBatch batch{
        Tensor::from_ints(ids, {rows, seq_len}), Tensor::from_ints(targets, {rows, seq_len}),
        Tensor::from_floats(weights, {rows, seq_len}), Tensor::from_ints(starts, {rows, seq_len})};
    if (device != Device::cpu()) {
      batch.ids = batch.ids.to(device);
      batch.targets = batch.targets.to(device);
      batch.weights = batch.weights.to(device);
      batch.document_starts = batch.document_starts.to(device);
    }
    return batch;
  }

  std::uint64_t position() const override { return position_; }

  // Windows depend on every draw before them: replay from the start (cheap: lengths only).
  void seek(std::uint64_t position) override {
    generator_ = Generator(mix64(settings_.seed));
    cursors_.assign(sources_.size(), 0);
    orders_.clear();
    for (const auto& source : sources_) {
      orders_.emplace_back(source.size());
      std::iota(orders_.back().begin(), orders_.back().end(), std::size_t{0});
    }
    if (settings_.shuffle)
      for (auto& order : orders_) shuffle(order);
    sequential_source_ = 0;
    pending_ = nullptr;
    position_ = 0;
    while (position_ < position) {
      fill_window();
      ++position_;
    }
  }

 private:
  void shuffle(std::vector<std::size_t>& order) {
    for (std::size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[generator_.next_u64() % i]);
  }

  std::size_t pick_source() {
    if (!settings_.shuffle) {
      if (cursors_[sequential_source_] == sources_[sequential_source_].size()) {
        cursors_[sequential_source_] = 0;
        sequential_source_ = (sequential_source_ + 1) % sources_.size();
      }
      return sequential_source_;
    }
    if (sources_.size() == 1) return 0;
    const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
    double draw = generator_.uniform() * total;
    for (std::size_t s = 0; s + 1 < sources_.size(); ++s) {
      if (draw < weights_[s]) return s;
      draw -= weights_[s];
    }
    return sources_.size() - 1;
  }

  const Rendered& next_conversation() {
    const std::size_t s = pick_source();
    if (cursors_[s] == sources_[s].size()) {  // a pass over this source is done: a new order
      cursors_[s] = 0;
      if (settings_.shuffle) shuffle(orders_[s]);
    }
    return sources_[s][orders_[s][cursors_[s]++]];
  }

  void fill_window() {
    const auto window = static_cast<std::size_t>(settings_.seq_len + 1);
    window_ids_.clear();
    window_mask_.clear();
    window_starts_.clear();
    while (window_ids_.size() < window) {
      const Rendered* chat = pending_ ? pending_ : &next_conversation();
      pending_ = nullptr;
      if (!window_ids_.empty() && chat->ids.size() > window - window_ids_.size()) {
        pending_ = chat;  // it opens the next window
        break;
      }
      const auto start = static_cast<std::int32_t>(window_ids_.size());
      window_ids_.insert(window_ids_.end(), chat->ids.begin(), chat->ids.end());
      window_mask_.insert(window_mask_.end(), chat->mask.begin(), chat->mask.end());
      window_starts_.insert(window_starts_.end(), chat->ids.size(), start);
      if (!settings_.pack) break;
    }
    // Padding is a document of its own that nothing learns.
    const auto pad_start = static_cast<std::int32_t>(window_ids_.size());
    window_starts_.resize(window, pad_start);
    window_ids_.resize(window, pad_);
    window_mask_.resize(window, 0);
  }

  std::vector<std::vector<Rendered>> sources_;
  std::vector<double> weights_;
  TokenId pad_;
  ConversationSettings settings_;
  Generator generator_{0};
  std::vector<std::vector<std::size_t>> orders_;
  std::vector<std::size_t> cursors_;
  std::size_t sequential_source_ = 0;
  const Rendered* pending_ = nullptr;
  std::uint64_t position_ = 0;
  std::vector<TokenId> window_ids_;
  std::vector<std::uint8_t> window_mask_;
  std::vector<std::int32_t> window_starts_;
};

}  // namespace

std::unique_ptr<BatchSource> conversation_batches(const std::vector<ConversationSource>& sources,
                                                  const Tokenizer& tokenizer,
                                                  const ConversationSettings& settings) {
  std::vector<std::vector<Rendered>> rendered;
  std::vector<double> weights;
  for (const ConversationSource& source : sources) {
    rendered.push_back(render_source(source, tokenizer, settings));
    weights.push_back(source.weight);
  }
  return std::make_unique<ConversationBatches>(std::move(rendered), std::move(weights),
                                               tokenizer.end_of_text(), settings);
}

}  // namespace forge
