#pragma once

#include <forge/export.h>

namespace forge {

// Whether ops record the autograd graph on this thread (on by default).
FORGE_API bool grad_enabled();

// Turns recording off for its scope: evaluation, sampling, optimizer updates.
class FORGE_API NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// Turns recording back on for its scope, within a backward pass: activation recomputation runs
// a block's forward again there in order to differentiate it.
class FORGE_API EnableGradGuard {
 public:
  EnableGradGuard();
  ~EnableGradGuard();
  EnableGradGuard(const EnableGradGuard&) = delete;
  EnableGradGuard& operator=(const EnableGradGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace forge
