#include "train/optimizer.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include "io/checkpoint_file.h"
#include "io/checkpoint_tensors.h"

namespace forge {

Schema optimizer_schema() {
  return Schema{
      param::string("name").fallback("adamw").one_of({"adamw"}).doc("the optimizer"),
      param::number("lr").fallback(1e-3).at_least(0).doc("peak learning rate"),
      param::number_list("betas")
          .fallback(std::vector<double>{0.9, 0.95})
          .doc("AdamW's beta1 and beta2"),
      param::number("eps").fallback(1e-8).at_least(0).doc("AdamW's epsilon"),
      param::number("weight_decay")
          .fallback(0.0)
          .at_least(0)
          .doc("decoupled weight decay of the decayed group (matrices, not embeddings)"),
      param::string_list("no_decay")
          .fallback(std::vector<std::string>{})
          .doc("name fragments of further parameters never decayed"),
  };
}

AdamWConfig optimizer_from(const Config& section) {
  AdamWConfig config;
  config.lr = section.number("lr");
  std::vector<double> betas = section.numbers("betas");
  if (betas.size() != 2 || betas[0] < 0 || betas[0] >= 1 || betas[1] < 0 || betas[1] >= 1)
    section.fail("betas", "expected two numbers in [0, 1), e.g. [0.9, 0.95]");
  config.beta1 = betas[0];
  config.beta2 = betas[1];
  config.eps = section.number("eps");
  config.weight_decay = section.number("weight_decay");
  config.no_decay = section.strings("no_decay");
  return config;
}

OptimizerState::~OptimizerState() = default;

ops::AdamWOptions adamw_options(const AdamWConfig& config, double lr, double grad_scale,
                                std::int64_t step) {
  ops::AdamWOptions options;
  options.lr = lr;
  options.beta1 = config.beta1;
  options.beta2 = config.beta2;
  options.eps = config.eps;
  options.step = step;
  options.grad_scale = grad_scale;
  return options;
}

std::vector<bool> decayed_parameters(Model& model, const AdamWConfig& config) {
  std::vector<bool> decayed;
  for (const auto& [name, param] : model.parameters()) {
    bool decays = model.decays(name);
    for (const std::string& fragment : config.no_decay)
      if (name.find(fragment) != std::string::npos) decays = false;
    decayed.push_back(decays);
  }
  return decayed;
}

void write_moments(CheckpointWriter& writer, const NamedTensors& params,
                   const std::vector<Tensor>& m, const std::vector<Tensor>& v, std::int64_t steps) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string group = "/optim/" + params[i].first;
    write_tensor(writer, group + "/m", m[i]);
    write_tensor(writer, group + "/v", v[i]);
  }
  writer.set_attribute("/optim", "step", steps);
}

std::int64_t read_moments(const CheckpointReader& reader, const NamedTensors& params,
                          std::vector<Tensor>& m, std::vector<Tensor>& v) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string group = "/optim/" + params[i].first;
    read_tensor(reader, group + "/m", m[i]);
    read_tensor(reader, group + "/v", v[i]);
  }
  auto step = reader.attribute("/optim", "step");
  if (!step || !std::holds_alternative<std::int64_t>(*step))
    throw Error(cat("checkpoint '", reader.file().string(),
                    "' has no integer /optim step attribute; it was not written by a trainer"));
  return std::get<std::int64_t>(*step);
}

AdamW::AdamW(Model& model, const AdamWConfig& config)
    : params_(model.parameters()), config_(config), decay_(decayed_parameters(model, config)) {
  NoGradGuard no_grad;
  for (const auto& [name, param] : params_) {
    DType dtype = param.dtype() == DType::f64 ? DType::f64 : DType::f32;
    m_.push_back(Tensor::zeros(param.shape(), dtype, param.device()));
    v_.push_back(Tensor::zeros(param.shape(), dtype, param.device()));
    Tensor master;
    if (param.dtype() == DType::bf16) {
      master = Tensor::empty(param.shape(), DType::f32, param.device());
      ops::copy_into(master, param);
    }
    masters_.push_back(master);
  }
}

std::int64_t AdamW::state_bytes() const {
  std::int64_t bytes = 0;
  for (const std::vector<Tensor>* state : {&m_, &v_, &masters_})
    for (const Tensor& t : *state)
      if (t.defined()) bytes += t.numel() * static_cast<std::int64_t>(dtype_size(t.dtype()));
  return bytes;
}

std::int64_t AdamW::decayed_count() const {
  std::int64_t count = 0;
  for (bool decayed : decay_) count += decayed;
  return count;
}

void AdamW::step(double lr, double grad_scale) {
  NoGradGuard no_grad;
  ++steps_;
  ops::AdamWOptions options = adamw_options(config_, lr, grad_scale, steps_);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor& param = params_[i].second;
    Tensor grad = param.grad();
    if (!grad.defined()) continue;
    options.weight_decay = decay_[i] ? config_.weight_decay : 0.0;
    const Tensor& master = masters_[i];
    ops::adamw_step(master.defined() ? master : param, grad, m_[i], v_[i], options);
    if (master.defined()) ops::copy_into(param, master);
  }
}

void AdamW::zero_grad() {
  for (auto& [name, param] : params_) param.set_grad(Tensor());
}

void AdamW::save(CheckpointWriter& writer) const { write_moments(writer, params_, m_, v_, steps_); }

// The checkpoint's /model weights are the masters, so resuming a bf16 run is exact.
void AdamW::load(const CheckpointReader& reader) {
  steps_ = read_moments(reader, params_, m_, v_);
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (masters_[i].defined()) read_tensor(reader, "/model/" + params_[i].first, masters_[i]);
}

}  // namespace forge
