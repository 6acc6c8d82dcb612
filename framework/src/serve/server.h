#pragma once

// The HTTP server of `forge serve`: Boost.Beast over blocking sockets, one thread per
// connection (bounded), a reaper that closes connections idle past the timeout, and a clean
// stop that refuses new work, cancels generation and closes every connection.

#include "serve/api.h"

#include <memory>
#include <string>

namespace forge::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free one; port() says which
  Limits limits;
  int max_connections = 32;
  double idle_timeout_s = 30;  // a connection waiting this long for a request is closed
};

class Server {
 public:
  // Binds now, so a taken port fails here with a forge::Error.
  Server(ChatBackend& backend, ServerOptions options);
  ~Server();
  unsigned short port() const;
  // Serves until stop(), or SIGINT/SIGTERM when `handle_signals`; returns once every
  // connection has closed.
  void run(bool handle_signals);
  void stop();  // from any thread

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace forge::serve
