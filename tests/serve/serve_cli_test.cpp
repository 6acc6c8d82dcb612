// `forge serve` as a process: it reports its port, answers over a real checkpoint, logs one
// line per request and exits 0 on SIGTERM.
#include "serve/serve_test_support.h"
#include "serve/tiny_chat_checkpoint.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <regex>

namespace forge::serve {
namespace {

using nlohmann::json;

// A `forge serve` child with its output in a file.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& args) {
    log_ = forge::test::temp_dir("serve-cli") / "serve.log";
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<std::string> all{FORGE_EXECUTABLE, "serve"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      setenv("FORGE_PLUGIN_PATH", "", 1);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // The port from the "at http://127.0.0.1:PORT/" line, or 0 after `seconds`.
  unsigned short wait_for_port(double seconds = 60) {
    const std::regex line(R"(at http://127\.0\.0\.1:(\d+)/)");
    for (int i = 0; i < seconds * 20; ++i) {
      std::smatch m;
      const std::string text = output();
      if (std::regex_search(text, m, line)) return static_cast<unsigned short>(std::stoi(m[1]));
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        exited_ = true;
        return 0;
      }
      usleep(50000);
    }
    return 0;
  }
  // Sends `signal` and returns the exit code, or -1 when it did not exit within 10 s.
  int stop(int signal) {
    kill(pid_, signal);
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
      }
      usleep(50000);
    }
    return -1;
  }
  std::string output() const { return forge::test::read_text(log_); }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
};

TEST(ServeCli, ServesACheckpointAndStopsCleanlyOnSigterm) {
  const auto checkpoint = test::tiny_chat_checkpoint();
  ServeProcess serve({checkpoint.string(), "--port", "0", "--max-tokens", "16"});
  const unsigned short port = serve.wait_for_port();
  ASSERT_NE(port, 0) << serve.output();

  auto models = test::http_request(port, "GET", "/v1/models");
  ASSERT_EQ(models.status, 200) << models.body;
  EXPECT_EQ(models.json()["data"][0]["id"], "tiny-chat");

  auto chat = test::http_request(port, "POST", "/v1/chat/completions",
                                 R"({"messages": [{"role": "user", "content": "Hi"}],
                                     "seed": 3, "max_tokens": 8})");
  ASSERT_EQ(chat.status, 200) << chat.body;
  json body = chat.json();
  EXPECT_TRUE(body["choices"][0]["message"]["content"].is_string());
  EXPECT_GT(body["usage"]["prompt_tokens"].get<int>(), 3);
  EXPECT_LE(body["usage"]["completion_tokens"].get<int>(), 8);

  auto stream = test::http_request(port, "POST", "/v1/chat/completions",
                                   R"({"messages": [{"role": "user", "content": "Hi"}],
                                       "seed": 3, "max_tokens": 8, "stream": true})");
  ASSERT_EQ(stream.status, 200);
  std::vector<std::string> data = test::sse_data(stream.body);
  ASSERT_GE(data.size(), 3u) << stream.body;
  EXPECT_EQ(data.back(), "[DONE]");
  std::string text;
  for (std::size_t i = 0; i + 1 < data.size(); ++i) {
    json chunk = json::parse(data[i]);
    text += chunk["choices"][0]["delta"].value("content", "");
  }
  // The same seed gives the same reply, whole or streamed.
  EXPECT_EQ(text, body["choices"][0]["message"]["content"]);

  auto over =
      test::http_request(port, "POST", "/v1/completions", R"({"prompt": "In", "max_tokens": 17})");
  EXPECT_EQ(over.status, 400);
  EXPECT_NE(over.body.find("--max-tokens"), std::string::npos) << over.body;
  auto too_long = test::http_request(port, "POST", "/v1/completions",
                                     R"({"prompt": ")" + std::string(300, 'a') + R"("})");
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.json()["error"]["code"], "context_length_exceeded") << too_long.body;
  auto text_reply =
      test::http_request(port, "POST", "/v1/completions", R"({"prompt": "In", "max_tokens": 4})");
  EXPECT_EQ(text_reply.status, 200) << text_reply.body;

  EXPECT_EQ(serve.stop(SIGTERM), 0) << serve.output();
  const std::string log = serve.output();
  EXPECT_NE(log.find("POST /v1/chat/completions -> 200"), std::string::npos) << log;
  EXPECT_NE(log.find("POST /v1/completions -> 400"), std::string::npos) << log;
  EXPECT_NE(log.find("SIGTERM: shutting down"), std::string::npos) << log;
  EXPECT_NE(log.find("serve: stopped"), std::string::npos) << log;
}

TEST(ServeCli, BadFlagsAndCheckpointsFailBeforeListening) {
  auto no_file = forge::test::run_forge({"serve", "/nonexistent/ck.h5", "--port", "0"});
  EXPECT_EQ(no_file.exit_code, 2) << no_file.output;
  auto bad_port = forge::test::run_forge({"serve", "x.h5", "--port", "70000"});
  EXPECT_EQ(bad_port.exit_code, 2);
  EXPECT_NE(bad_port.output.find("--port"), std::string::npos) << bad_port.output;
  auto bad_host = forge::test::run_forge(
      {"serve", test::tiny_chat_checkpoint().string(), "--host", "localhost-ish", "--port", "0"});
  EXPECT_EQ(bad_host.exit_code, 2);
  EXPECT_NE(bad_host.output.find("not an IP address"), std::string::npos) << bad_host.output;
}

}  // namespace
}  // namespace forge::serve
