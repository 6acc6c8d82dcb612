#pragma once

// Everything a training run is made of, built and checked before it starts.

#include <forge/architecture.h>
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/loss.h>
#include <forge/sampler.h>
#include <forge/tokenizer.h>

#include "engine/tool_set.h"
#include "stages/pretrain/batches.h"
#include "train/optimizer.h"
#include "train/parallel_optimizer.h"
#include "train/schedule.h"
#include "train/train_checkpoint.h"

#include <memory>
#include <string>

namespace forge {

struct SampleSettings {
  std::unique_ptr<Sampler> sampler;
  std::int64_t every = 0;  // 0: only at the end
  std::string prompt;
  std::int64_t max_tokens = 64, count = 1;
  bool chat = false;  // the prompt is a user's message; the sample is the assistant's reply
  ToolSet tools;      // chat samples: the tools the assistant's turn may call
};

struct TrainSetup {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<Model> model;
  std::unique_ptr<Loss> loss;
  std::unique_ptr<Dataset> train_data, val_data;            // val_data may be null
  std::unique_ptr<BatchSource> train_batches, val_batches;  // val_batches may be null
  AdamWConfig optimizer;
  ScheduleConfig schedule;
  CheckpointMeta meta;
  std::int64_t steps = 0, micro_batch = 0, seq_len = 0;
  std::int64_t accumulation = 1;  // micro-batches per rank and step
  int world_size = 1;             // data-parallel ranks
  DataParallelConfig parallel;
  double grad_clip = 1.0;
  bool recompute = false;  // activation recomputation (ForwardOptions::recompute)
  std::int64_t log_every = 1;
  std::int64_t eval_every = 0, eval_batches = 0;
  std::int64_t checkpoint_every = 0, checkpoint_keep = 0;
  std::unique_ptr<SampleSettings> sample;  // null: no samples
  std::uint64_t seed = 0;
  Device device;
  DType precision = DType::f32;  // the parameters'; bf16 ones are updated through f32 masters
  ChatTemplate chat;             // conversation stages: the markers of the chat template
};

}  // namespace forge
