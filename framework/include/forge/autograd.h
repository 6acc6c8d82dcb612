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

}  // namespace forge
