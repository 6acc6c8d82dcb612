// Tool `python`: code runs in a child confined by seccomp and Landlock, with CPU, memory,
// wall-clock and output limits, each reported to the model when hit.
#include <forge/tool.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <unistd.h>

namespace forge {
namespace {

class PythonTool : public ::testing::Test {
 protected:
  void SetUp() override {
    tool_ = test::make_plugin<Tool>("{plugin: python, cpu_seconds: 2, memory_mb: 256}");
    ToolResult probe = tool_->run("print('ready')", ToolLimits{});
    // Only a kernel without seccomp filters or Landlock skips; any other failure fails.
    if (probe.message.find("the sandbox is unavailable") != std::string::npos)
      GTEST_SKIP() << probe.message;
    ASSERT_EQ(probe.output, "ready") << tool_result_text(probe);
  }
  ToolResult run(const std::string& code, ToolLimits limits = {}) {
    return tool_->run(code, limits);
  }
  std::unique_ptr<Tool> tool_;
};

TEST_F(PythonTool, RunsCodeAndReturnsItsOutputWithoutTheFinalNewline) {
  ToolResult result = run("import sys\nprint(sum(range(10)))\nprint('err', file=sys.stderr)");
  EXPECT_FALSE(result.failed) << result.message;
  EXPECT_EQ(result.output, "45\nerr");
}

TEST_F(PythonTool, AnExceptionFailsWithItsTraceback) {
  ToolResult result = run("1 / 0");
  EXPECT_TRUE(result.failed);
  EXPECT_NE(result.output.find("ZeroDivisionError"), std::string::npos) << result.output;
  EXPECT_EQ(result.message, "error: the code exited with status 1");
}

TEST_F(PythonTool, CannotOpenASocket) {
  ToolResult result =
      run("import socket\n"
          "try:\n"
          "    socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
          "    print('opened')\n"
          "except PermissionError as e:\n"
          "    print('refused', e.errno)\n"
          "try:\n"
          "    socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
          "    print('opened')\n"
          "except PermissionError:\n"
          "    print('refused')\n");
  EXPECT_EQ(result.output, "refused 13\nrefused") << tool_result_text(result);
}

TEST_F(PythonTool, WritesOnlyInsideItsOwnFolder) {
  auto outside = test::temp_dir("python-tool-outside");
  ToolResult result =
      run("import os\n"
          "open('notes.txt', 'w').write('kept')\n"
          "os.mkdir('sub')\n"
          "print(open('notes.txt').read(), os.path.isdir('sub'))\n"
          "for path in ['" +
          outside.string() +
          "/escaped.txt', '/tmp/forge-escaped.txt']:\n"
          "    try:\n"
          "        open(path, 'w').write('x')\n"
          "        print('wrote', path)\n"
          "    except PermissionError:\n"
          "        print('refused')\n"
          "print(len(open('/etc/passwd').read()) > 0)\n");
  EXPECT_EQ(result.output, "kept True\nrefused\nrefused\nTrue") << tool_result_text(result);
  EXPECT_FALSE(std::filesystem::exists(outside / "escaped.txt"));
}

TEST_F(PythonTool, CannotLiftItsOwnLimits) {
  ToolResult result =
      run("import resource\n"
          "try:\n"
          "    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2)\n"
          "    print('lifted')\n"
          "except (ValueError, PermissionError, OSError):\n"
          "    print('refused')\n");
  EXPECT_EQ(result.output, "refused") << tool_result_text(result);
}

// Alive, as opposed to gone or a zombie waiting to be reaped.
bool running(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  return static_cast<bool>(stat >> pid_field >> name >> state) && state != "Z" && state != "X";
}

TEST_F(PythonTool, StopsAtTheWallClockLimitWithProcessesItStarted) {
  const auto start = std::chrono::steady_clock::now();
  ToolResult result =
      run("import subprocess, time\n"
          "child = subprocess.Popen(['sleep', '60'])\n"
          "print('waiting', child.pid, flush=True)\n"
          "time.sleep(60)\n",
          ToolLimits{1, 4000});
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.message, "stopped: the code ran past its 1 s wall-clock limit");
  ASSERT_EQ(result.output.rfind("waiting ", 0), 0u) << "output written before the limit comes back";
  EXPECT_LT(took, 5.0);
  const int pid = std::stoi(result.output.substr(8));
  for (int i = 0; i < 100 && running(pid); ++i) usleep(10000);
  EXPECT_FALSE(running(pid)) << "the process the code started outlived the limit";
}

TEST_F(PythonTool, CannotLeaveItsProcessGroupOrSignalEveryone) {
  // Signal 0 only checks permission, so kill(-1, 0) is harmless even if it were allowed.
  ToolResult result =
      run("import os\n"
          "for name, call in [('setsid', os.setsid), ('setpgid', lambda: os.setpgid(0, 0)),\n"
          "                   ('kill', lambda: os.kill(-1, 0))]:\n"
          "    try:\n"
          "        call()\n"
          "        print(name, 'allowed')\n"
          "    except PermissionError:\n"
          "        print(name, 'refused')\n");
  EXPECT_EQ(result.output, "setsid refused\nsetpgid refused\nkill refused")
      << tool_result_text(result);
}

TEST_F(PythonTool, StopsAtTheCpuTimeLimit) {
  ToolResult result = run("while True:\n    pass\n", ToolLimits{20, 4000});
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.message, "stopped: the code used up its 2 s CPU-time limit");
}

TEST_F(PythonTool, StopsAtTheMemoryLimit) {
  ToolResult result = run("block = bytearray(1024 ** 3)\nprint(len(block))\n");
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.message, "stopped: the code ran out of its 256 MiB memory limit")
      << result.output;
}

TEST_F(PythonTool, CutsOutputAtTheCallersLimit) {
  ToolResult result = run("print('a' * 10000)", ToolLimits{10, 100});
  EXPECT_FALSE(result.failed) << result.message;
  EXPECT_EQ(result.output, std::string(100, 'a') + "\n[output truncated: 9901 more characters]");
}

}  // namespace
}  // namespace forge
