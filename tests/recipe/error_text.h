#pragma once

// The message of the forge::Error a call throws, so tests can compare it as exact text.

#include <forge/error.h>

#include <string>

namespace forge::test {

template <class Call>
std::string error_text(Call&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace forge::test
