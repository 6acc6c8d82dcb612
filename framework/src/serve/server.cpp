#include "serve/server.h"

#include <forge/error.h>
#include <forge/log.h>

#include "serve/http_session.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <sys/socket.h>

#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

namespace forge::serve {

using tcp = boost::asio::ip::tcp;

struct Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)) {
    watch.waiting_since_ms = steady_ms();
  }
  tcp::socket socket;
  ConnectionWatch watch;
};

struct Server::State {
  State(ChatBackend& backend, ServerOptions o)
      : options(std::move(o)), api(backend, options.limits, stopping), acceptor(io) {}

  // Wakes a blocked read or write on the connection's socket from another thread.
  static void wake(Connection& c) { ::shutdown(c.socket.native_handle(), SHUT_RDWR); }

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec || stopping) return;
      std::unique_lock lock(mutex);
      if (static_cast<int>(connections.size()) >= options.max_connections) {
        log_warn("serve: refused a connection: ", connections.size(),
                 " are open (forge serve --max-connections)");
        socket.close(ec);
      } else {
        connections.emplace_back(std::move(socket));
        auto it = std::prev(connections.end());
        std::thread([this, it] { run_connection(it); }).detach();
      }
      lock.unlock();
      accept();
    });
  }

  void run_connection(std::list<Connection>::iterator it) {
    try {
      serve_connection(it->socket, api, it->watch);
    } catch (const std::exception& e) {
      log_warn("serve: a connection failed: ", e.what());
    }
    boost::system::error_code ignored;
    it->socket.close(ignored);
    std::lock_guard lock(mutex);
    connections.erase(it);
    closed.notify_all();
  }

  // Closes connections that wait for a request longer than the idle timeout.
  void reap() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      closed.wait_for(lock, std::chrono::milliseconds(200));
      const auto limit = static_cast<std::int64_t>(options.idle_timeout_s * 1000);
      for (Connection& c : connections)
        if (c.watch.waiting && steady_ms() - c.watch.waiting_since_ms > limit) wake(c);
    }
  }

  void stop() {
    if (stopping.exchange(true)) return;
    boost::asio::post(io, [this] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
      if (signals) signals->cancel(ignored);
    });
    std::lock_guard lock(mutex);
    for (Connection& c : connections) wake(c);
    closed.notify_all();
  }

  ServerOptions options;
  std::atomic<bool> stopping{false};
  Api api;
  boost::asio::io_context io;
  tcp::acceptor acceptor;
  std::unique_ptr<boost::asio::signal_set> signals;
  std::mutex mutex;
  std::condition_variable closed;
  std::list<Connection> connections;
};

Server::Server(ChatBackend& backend, ServerOptions options)
    : state_(std::make_unique<State>(backend, std::move(options))) {
  const ServerOptions& o = state_->options;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(o.host, ec);
  if (ec)
    throw Error(cat("serve: --host '", o.host, "' is not an IP address (e.g. 127.0.0.1 or ::1)"));
  tcp::endpoint endpoint(address, o.port);
  tcp::acceptor& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw Error(cat("serve: cannot listen on ", o.host, ":", o.port, ": ", ec.message(),
                    "; choose another --port (0 picks a free one)"));
}

Server::~Server() {
  stop();
  std::unique_lock lock(state_->mutex);
  state_->closed.wait(lock, [this] { return state_->connections.empty(); });
}

unsigned short Server::port() const { return state_->acceptor.local_endpoint().port(); }

void Server::run(bool handle_signals) {
  State& s = *state_;
  if (handle_signals) {
    s.signals = std::make_unique<boost::asio::signal_set>(s.io, SIGINT, SIGTERM);
    s.signals->async_wait([&s](boost::system::error_code ec, int signal) {
      if (ec) return;
      log_info("serve: ", signal == SIGINT ? "SIGINT" : "SIGTERM", ": shutting down");
      s.stop();
    });
  }
  s.accept();
  std::thread reaper([&s] { s.reap(); });
  s.io.run();
  reaper.join();
  std::unique_lock lock(s.mutex);
  s.closed.wait(lock, [&s] { return s.connections.empty(); });
}

void Server::stop() { state_->stop(); }

}  // namespace forge::serve
