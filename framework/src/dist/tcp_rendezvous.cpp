#include "dist/tcp_rendezvous.h"

#include <forge/error.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace forge {
namespace {

using Clock = std::chrono::steady_clock;

// A socket closed when it goes out of scope.
struct Socket {
  int fd = -1;
  explicit Socket(int descriptor) : fd(descriptor) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

int integer_variable(const char* name, int fallback, int at_least) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end || value < at_least || value > 1 << 30)
    throw Error(cat("environment variable ", name, "='", text, "' is not an integer of at least ",
                    at_least, "; fix the launcher's settings"));
  return static_cast<int>(value);
}

std::string where(const EnvironmentWorld& world) {
  return cat(world.master_address, ":", world.master_port);
}

void send_all(int fd, const char* data, std::size_t bytes) {
  while (bytes > 0) {
    const ssize_t sent = ::send(fd, data, bytes, MSG_NOSIGNAL);
    if (sent <= 0) throw Error(cat("rendezvous: sending failed: ", std::strerror(errno)));
    data += sent;
    bytes -= static_cast<std::size_t>(sent);
  }
}

bool receive_all(int fd, char* data, std::size_t bytes) {
  while (bytes > 0) {
    const ssize_t got = ::recv(fd, data, bytes, 0);
    if (got <= 0) return false;
    data += got;
    bytes -= static_cast<std::size_t>(got);
  }
  return true;
}

std::string serve(const std::string& blob, const EnvironmentWorld& world, double timeout_s) {
  Socket listener(::socket(AF_INET6, SOCK_STREAM, 0));
  if (listener.fd < 0) throw Error(cat("rendezvous: no socket: ", std::strerror(errno)));
  int yes = 1, no = 0;
  ::setsockopt(listener.fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  ::setsockopt(listener.fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);  // IPv4 peers too
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_any;
  address.sin6_port = htons(static_cast<std::uint16_t>(world.master_port));
  if (::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener.fd, world.size) != 0)
    throw Error(cat("rank 0 cannot listen on port ", world.master_port,
                    " (MASTER_PORT): ", std::strerror(errno), "; choose a free port"));
  const std::uint32_t length = static_cast<std::uint32_t>(blob.size());
  const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
  for (int served = 1; served < world.size;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd waiting{listener.fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&waiting, 1, static_cast<int>(left.count())) <= 0)
      throw Error(cat("rank 0 waited ", timeout_s, " s at port ", world.master_port, " for ",
                      world.size - served, " of ", world.size - 1,
                      " ranks; start every rank with the same MASTER_ADDR, MASTER_PORT and "
                      "WORLD_SIZE"));
    Socket peer(::accept(listener.fd, nullptr, nullptr));
    if (peer.fd < 0) continue;
    send_all(peer.fd, reinterpret_cast<const char*>(&length), sizeof length);
    send_all(peer.fd, blob.data(), blob.size());
    ++served;
  }
  return blob;
}

std::string fetch(const EnvironmentWorld& world, double timeout_s) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string port = std::to_string(world.master_port);
  const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
  while (true) {
    addrinfo* found = nullptr;
    if (::getaddrinfo(world.master_address.c_str(), port.c_str(), &hints, &found) == 0) {
      for (addrinfo* candidate = found; candidate; candidate = candidate->ai_next) {
        Socket peer(::socket(candidate->ai_family, candidate->ai_socktype, 0));
        if (peer.fd < 0 || ::connect(peer.fd, candidate->ai_addr, candidate->ai_addrlen) != 0)
          continue;
        std::uint32_t length = 0;
        std::string blob;
        if (receive_all(peer.fd, reinterpret_cast<char*>(&length), sizeof length)) {
          blob.resize(length);
          if (receive_all(peer.fd, blob.data(), length)) {
            ::freeaddrinfo(found);
            return blob;
          }
        }
      }
      ::freeaddrinfo(found);
    }
    if (Clock::now() > deadline)
      throw Error(cat("rank ", world.rank, " found no rank 0 at ", where(world), " within ",
                      timeout_s, " s; check MASTER_ADDR and MASTER_PORT and that rank 0 runs"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // rank 0 is not listening yet
  }
}

}  // namespace

std::optional<EnvironmentWorld> environment_world() {
  if (!std::getenv("WORLD_SIZE")) return std::nullopt;
  EnvironmentWorld world;
  world.size = integer_variable("WORLD_SIZE", 1, 1);
  world.rank = integer_variable("RANK", 0, 0);
  world.local_rank = integer_variable("LOCAL_RANK", world.rank, 0);
  world.master_port = integer_variable("MASTER_PORT", world.master_port, 1);
  if (const char* address = std::getenv("MASTER_ADDR"); address && *address)
    world.master_address = address;
  if (world.rank >= world.size)
    throw Error(cat("environment variable RANK=", world.rank,
                    " is not below WORLD_SIZE=", world.size, "; fix the launcher's settings"));
  if (world.master_port > 65535)
    throw Error(cat("environment variable MASTER_PORT=", world.master_port,
                    " is not a TCP port (1-65535)"));
  return world;
}

std::string share_over_tcp(const std::string& blob, const EnvironmentWorld& world,
                           double timeout_s) {
  if (world.size == 1) return blob;
  return world.rank == 0 ? serve(blob, world, timeout_s) : fetch(world, timeout_s);
}

}  // namespace forge
