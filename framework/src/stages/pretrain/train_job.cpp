#include "stages/pretrain/train_job.h"

#include <forge/autograd.h>
#include <forge/log.h>
#include <forge/ops.h>
#include <forge/parallel.h>
#include <forge/progress.h>

#include "blas.h"
#include "dist/communicator.h"
#include "dist/nccl/nccl_world.h"
#include "engine/assistant_turn.h"
#include "engine/generate.h"
#include "stages/pretrain/batches.h"
#include "stages/pretrain/evaluate.h"
#include "stages/pretrain/run_files.h"
#include "stages/runner.h"
#include "stages/step_clock.h"
#include "train/grad_norm.h"
#include "train/parallel_optimizer.h"
#include "train/run_checkpoints.h"

#include <chrono>
#include <cmath>
#include <cstdlib>

namespace forge {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t parameter_count(Model& model) {
  std::int64_t total = 0;
  for (const auto& [name, tensor] : model.parameters()) total += tensor.numel();
  return total;
}

// Gradients of several GPU ranks travel through NCCL, others through the process world.
// FORGE_NCCL=1 takes NCCL for one GPU too, to check that path on a single-GPU machine.
Communicator& gradient_world(Device device) {
  const char* forced = std::getenv("FORGE_NCCL");
  const bool nccl = device.type == Device::Type::cuda &&
                    (process_world().size() > 1 || (forced && std::string(forced) == "1"));
  return nccl ? nccl_world() : process_world();
}

class TrainJob : public StageJob {
 public:
  explicit TrainJob(std::unique_ptr<TrainSetup> setup)
      : s_(std::move(setup)),
        world_(process_world()),
        optimizer_(make_parallel_optimizer(*s_->model, s_->optimizer, gradient_world(s_->device),
                                           s_->parallel)) {
    FORGE_CHECK(world_.size() == s_->world_size, "the world changed after the recipe was read");
  }

  void run(RunContext& context) override {
    context_ = &context;
    if (context.resuming)
      restore();
    else
      log_start();
    if (s_->val_batches) bytes_ = token_bytes(*s_->tokenizer);
    Progress progress("train", static_cast<std::uint64_t>(s_->steps), "steps");
    progress.skip(static_cast<std::uint64_t>(position_.step));
    while (position_.step < s_->steps) {
      const auto start = Clock::now();
      const StepResult result = train_step();
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      position_.elapsed_s += seconds;
      const std::int64_t step = position_.step;
      const double tok_per_s = static_cast<double>(tokens_per_step()) / seconds;
      progress.set_status(cat(fixed(result.loss, 4), " loss, ", fixed(tok_per_s, 0), " tok/s"));
      progress.advance();
      nlohmann::json record = {
          {"step", step},
          {"tokens", position_.tokens_seen},
          {"loss", result.loss},
          {"lr", result.lr},
          {"grad_norm", result.grad_norm},
          {"tok_per_s", tok_per_s},
          {"gflops", tok_per_s * s_->model->flops_per_token(s_->seq_len) / 1e9},
          {"elapsed_s", position_.elapsed_s}};
      for (const auto& [name, value] : result.metrics) record[name] = value;
      if (s_->val_batches && due(s_->eval_every, step, s_->steps)) {
        EvalResult eval = evaluate(*s_->model, *s_->val_batches, bytes_, s_->eval_batches,
                                   s_->micro_batch, s_->seq_len, world_);
        record["val_loss"] = eval.loss;
        record["val_bpb"] = eval.bits_per_byte;
        log_info("step ", step, ": val loss ", fixed(eval.loss, 4), ", ",
                 fixed(eval.bits_per_byte, 4), " bits per byte");
      }
      if (due(s_->log_every, step, s_->steps) || record.contains("val_loss"))
        context.metrics->write(record);
      if (s_->sample && world_.is_root() && due(s_->sample->every, step, s_->steps))
        write_samples(step);
      if (due(s_->checkpoint_every, step, s_->steps)) save();
    }
    progress.finish();
  }

 private:
  struct StepResult {
    double loss = 0, lr = 0, grad_norm = 0;
    std::map<std::string, double> metrics;
  };

  // Over every rank.
  std::int64_t tokens_per_step() const {
    return s_->accumulation * s_->micro_batch * s_->seq_len * world_.size();
  }

  StepResult train_step() {
    StepResult result;
    result.lr = learning_rate(s_->optimizer.lr, s_->schedule, position_.step);
    optimizer_->zero_grad();
    // A step is accumulation x ranks micro-batches in one global order; rank r takes every
    // r-th, so the sum of gradients does not depend on how many ranks share the work.
    const int ranks = world_.size();
    const double share = 1.0 / static_cast<double>(s_->accumulation * ranks);
    for (std::int64_t index = 0; index < s_->accumulation * ranks; ++index) {
      if (index % ranks != world_.rank()) {
        s_->train_batches->skip(s_->micro_batch, s_->seq_len);
        continue;
      }
      TokenBatch batch = s_->train_batches->next(s_->micro_batch, s_->seq_len, s_->device);
      if (index + ranks >= s_->accumulation * ranks) optimizer_->overlap_next_backward();
      ForwardOptions forward;
      forward.document_starts = batch.document_starts;
      forward.recompute = s_->recompute;
      LossBatch inputs;
      // The loss reads f32 logits whatever the precision, as autocast gives cross-entropy.
      inputs.tensors["logits"] = s_->model->forward(batch.ids, forward).to(DType::f32);
      inputs.tensors["targets"] = batch.targets;
      if (batch.weights.defined()) inputs.tensors["weights"] = batch.weights;
      LossResult loss = s_->loss->compute(inputs);
      ops::affine(loss.loss, share).backward();
      result.loss += loss.loss.item() * share;
      for (const auto& [name, value] : loss.metrics) result.metrics[name] += value * share;
    }
    if (ranks > 1) sum_over_ranks(result);
    result.grad_norm = optimizer_->reduce_gradients();
    if (!std::isfinite(result.loss) || !std::isfinite(result.grad_norm)) stop_on_nan(result);
    optimizer_->step(result.lr, clip_factor(result.grad_norm, s_->grad_clip));
    ++position_.step;
    position_.tokens_seen += static_cast<std::uint64_t>(tokens_per_step());
    position_.data_position = s_->train_batches->position();
    return result;
  }

  // The loss and the loss plugin's metrics of the whole step, on every rank.
  void sum_over_ranks(StepResult& result) {
    std::vector<double> values = {result.loss};
    for (const auto& [name, value] : result.metrics) values.push_back(value);
    values = world_.all_reduce(values);
    result.loss = values[0];
    std::size_t i = 1;
    for (auto& [name, value] : result.metrics) value = values[i++];
  }

  [[noreturn]] void stop_on_nan(const StepResult& result) {
    NamedTensors grads;
    for (const auto& [name, param] : s_->model->parameters())
      grads.emplace_back("gradient of " + name, param.grad());
    std::string culprit = first_non_finite(s_->model->parameters());
    if (culprit.empty()) culprit = first_non_finite(grads);
    throw RunFailure(cat("step ", position_.step + 1, ": the loss is ", result.loss,
                         " and the gradient norm ", result.grad_norm,
                         culprit.empty() ? std::string() : cat("; first non-finite: ", culprit),
                         ". Lower optimizer.lr, raise schedule.warmup_steps or set "
                         "train.grad_clip; the last checkpoint is intact"));
  }

  // A chat sample is a whole assistant turn, tools run, shown as the template renders it.
  void write_chat_samples(std::int64_t step) {
    const SampleSettings& sample = *s_->sample;
    for (std::int64_t i = 0; i < sample.count; ++i) {
      TurnRequest request;
      request.conversation = {{"user", sample.prompt, {}}};
      request.max_tokens = sample.max_tokens;
      request.seed =
          mix64(s_->seed ^ static_cast<std::uint64_t>(step)) + static_cast<std::uint64_t>(i);
      TurnResult turn = assistant_turn(*s_->model, *s_->tokenizer, *sample.sampler,
                                       sample.tools.tools(), s_->chat, request);
      std::string text;
      for (const ChatMessage& m : turn.messages) {
        if (m.role == "tool") {
          text += s_->chat.output_start + m.content + s_->chat.output_end;
          continue;
        }
        text += m.content;
        for (const ToolCall& call : m.tool_calls)
          text += s_->chat.tool_start + call.name + " " + call.arguments + s_->chat.tool_end;
      }
      append_sample(context_->dir, step, sample.prompt, text, turn.finish);
      log_info("step ", step, " sample: ", sample.prompt, " -> ", text);
    }
  }

  void write_samples(std::int64_t step) {
    const SampleSettings& sample = *s_->sample;
    if (sample.chat) return write_chat_samples(step);
    std::vector<TokenId> prompt =
        sample.chat ? render_chat(*s_->tokenizer, {{"user", sample.prompt}}, s_->chat, true).ids
                    : s_->tokenizer->encode(sample.prompt);
    if (prompt.empty()) prompt.push_back(s_->tokenizer->end_of_text());
    GenerationRequest request;
    request.prompts.assign(static_cast<std::size_t>(sample.count), prompt);
    request.max_tokens = sample.max_tokens;
    request.stop_tokens = {s_->tokenizer->end_of_text()};
    if (sample.chat) request.stop_tokens.push_back(*s_->tokenizer->special_token(s_->chat.end));
    request.seed = mix64(s_->seed ^ static_cast<std::uint64_t>(step));
    std::vector<GenerationRow> rows = generate(*s_->model, *sample.sampler, request);
    for (const GenerationRow& row : rows) {
      std::string text = s_->tokenizer->decode(row.tokens);
      append_sample(context_->dir, step, sample.prompt, text, row.finish);
      log_info("step ", step, " sample: ", sample.prompt, text);
    }
  }

  // Collective; rank 0 writes the file, with the optimizer state as one process would hold it.
  void save() {
    save_run_checkpoint(context_->dir, s_->checkpoint_keep, *s_->model, *optimizer_, *s_->tokenizer,
                        s_->meta, position_);
  }

  void restore() {
    std::optional<TrainPosition> resumed =
        restore_run_checkpoint(context_->dir, *s_->model, *optimizer_, s_->steps);
    if (!resumed) {
      if (world_.is_root()) truncate_run_files(context_->dir, 0);
      log_start();
      return;
    }
    position_ = *resumed;
    s_->train_batches->seek(position_.data_position);
    if (world_.is_root()) truncate_run_files(context_->dir, position_.step);
  }

  void log_start() const {
    const ModelShape& shape = s_->model->shape();
    log_info("model ", s_->meta.architecture, ": ", parameter_count(*s_->model), " parameters (",
             shape.n_layer, " layers, d_model ", shape.d_model, ", ", shape.n_head,
             " heads, context ", shape.context, ", vocabulary ", shape.vocab_size, ")");
    const std::string ranks = world_.size() > 1 ? cat(" x ", world_.size(), " ranks") : "";
    log_info("batch: ", s_->micro_batch, " x ", s_->seq_len, " tokens x ", s_->accumulation,
             " accumulation", ranks, " = ", tokens_per_step(), " tokens per step, ", s_->steps,
             " steps; ", optimizer_->decayed_count(), " of ", s_->model->parameters().size(),
             " parameter tensors decayed",
             s_->recompute ? "; activations recomputed in backward" : "");
    if (s_->precision == DType::bf16)
      log_info(
          "precision: bf16 weights, activations and gradients; f32 master weights and "
          "moments (",
          fixed(static_cast<double>(optimizer_->state_bytes()) / 1e6, 2),
          " MB of optimizer state)");
    if (world_.size() > 1 || s_->parallel.mode == DataParallel::zero1) log_parallel();
    if (s_->device == Device::cpu())
      log_info("cpu: ", default_threads(), " threads, ", cpu::blas_description());
  }

  void log_parallel() const {
    auto megabytes = [](std::int64_t bytes) { return fixed(static_cast<double>(bytes) / 1e6, 2); };
    const bool zero1 = s_->parallel.mode == DataParallel::zero1;
    log_info("data parallel: ", world_.size(), " ranks (", world_.backend(), "), ",
             zero1                    ? "ZeRO-1"
             : optimizer_->overlaps() ? "gradients all-reduced in buckets during backward"
                                      : "gradients all-reduced after backward",
             "; optimizer state ", megabytes(optimizer_->state_bytes()), " MB on this rank",
             zero1 ? cat(" of ", megabytes(optimizer_->unsharded_state_bytes()), " MB unsharded")
                   : std::string());
  }

  std::unique_ptr<TrainSetup> s_;
  Communicator& world_;
  std::unique_ptr<ParallelOptimizer> optimizer_;
  TrainPosition position_;
  std::vector<float> bytes_;
  RunContext* context_ = nullptr;
};

}  // namespace

std::unique_ptr<StageJob> make_train_job(std::unique_ptr<TrainSetup> setup) {
  return std::make_unique<TrainJob>(std::move(setup));
}

}  // namespace forge
