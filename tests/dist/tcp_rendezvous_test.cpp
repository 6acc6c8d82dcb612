// The TCP rendezvous that ranks started by RANK/WORLD_SIZE use to share NCCL's unique id.
#include "dist/tcp_rendezvous.h"

#include <forge/error.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace forge {
namespace {

// A port nothing listens on at the moment.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(TcpRendezvous, RankZeroHandsEveryRankTheSameBytes) {
  std::string blob(128, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 37);
  const int port = free_port();
  std::vector<std::future<std::string>> peers;
  // The others start first: they retry until rank 0 listens.
  for (int rank = 1; rank < 4; ++rank)
    peers.push_back(std::async(std::launch::async, [=] {
      return share_over_tcp("", {rank, 4, rank, "localhost", port}, 30);
    }));
  EXPECT_EQ(share_over_tcp(blob, {0, 4, 0, "127.0.0.1", port}, 30), blob);
  for (auto& peer : peers) EXPECT_EQ(peer.get(), blob);
}

TEST(TcpRendezvous, GivesUpWithTheAddressWhenNoRankZeroListens) {
  const int port = free_port();
  try {
    share_over_tcp("", {2, 3, 0, "127.0.0.1", port}, 0.3);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find("rank 2 found no rank 0 at 127.0.0.1:" + std::to_string(port)),
        std::string::npos)
        << e.what();
  }
  try {
    share_over_tcp("x", {0, 3, 0, "127.0.0.1", port}, 0.3);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("for 2 of 2 ranks"), std::string::npos) << e.what();
  }
}

TEST(TcpRendezvous, ReadsTheLaunchersVariablesAndRefusesInconsistentOnes) {
  ::unsetenv("WORLD_SIZE");
  EXPECT_FALSE(environment_world().has_value());
  ::setenv("WORLD_SIZE", "4", 1);
  ::setenv("RANK", "3", 1);
  ::setenv("LOCAL_RANK", "1", 1);
  ::setenv("MASTER_ADDR", "node07", 1);
  ::setenv("MASTER_PORT", "29600", 1);
  auto world = environment_world();
  ASSERT_TRUE(world.has_value());
  EXPECT_EQ(world->rank, 3);
  EXPECT_EQ(world->size, 4);
  EXPECT_EQ(world->local_rank, 1);
  EXPECT_EQ(world->master_address, "node07");
  EXPECT_EQ(world->master_port, 29600);
  ::setenv("RANK", "4", 1);
  EXPECT_THROW(environment_world(), Error);
  ::setenv("RANK", "two", 1);
  EXPECT_THROW(environment_world(), Error);
  ::setenv("RANK", "0", 1);
  ::setenv("MASTER_PORT", "70000", 1);
  EXPECT_THROW(environment_world(), Error);
  for (const char* name : {"WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"})
    ::unsetenv(name);
}

}  // namespace
}  // namespace forge
