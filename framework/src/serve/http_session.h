#pragma once

// One HTTP/1.1 connection: reads requests (bounded header and body), hands them to the Api,
// writes whole or chunked answers, and logs one line per request.

#include "serve/api.h"

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>

namespace forge::serve {

// What the server's reaper sees of a connection.
struct ConnectionWatch {
  std::atomic<bool> waiting{true};                // between requests or reading one
  std::atomic<std::int64_t> waiting_since_ms{0};  // steady clock
};

std::int64_t steady_ms();

void serve_connection(boost::asio::ip::tcp::socket& socket, Api& api, ConnectionWatch& watch);

}  // namespace forge::serve
