#include <signal.h>

#include <cerrno>
#include <string>
#include <thread>

#include "tests/catch.h"

#include "process/process.h"

using namespace std::chrono_literals;
using hmt::ProcessSpec;
using hmt::Session;
using hmt::SessionReply;
using hmt::SystemProcessRunner;

namespace {

// A shell on the far end of a session: it says its pid and "ready" on
// stderr, then runs `body`.
std::unique_ptr<Session> open_shell(SystemProcessRunner& runner, const std::string& body) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo $$ >&2; echo ready >&2; " + body};
  auto opened = runner.open(spec);
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

pid_t pid_of(Session& session) {
  SessionReply reply = session.read_until("ready", 10s);
  REQUIRE(reply.outcome == SessionReply::Outcome::Answered);
  return static_cast<pid_t>(std::stol(reply.text));
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

TEST_CASE("a session answers request after request, each up to its marker line") {
  SystemProcessRunner runner;
  auto session = open_shell(runner, R"(while read -r line; do echo "got $line" >&2; echo "done" >&2; done)");
  pid_of(*session);
  REQUIRE(session->send("a\n"));
  SessionReply first = session->read_until("done", 10s);
  CHECK(first.outcome == SessionReply::Outcome::Answered);
  CHECK(first.text == "got a\n");
  // A marker must be a whole line: "not done" is not the end.
  REQUIRE(session->send("not\nb\n"));
  CHECK(session->read_until("done", 10s).text == "got not\n");
  CHECK(session->read_until("done", 10s).text == "got b\n");
  CHECK(session->peak_memory_kib() > 0);
}

TEST_CASE("a session whose child exits says so, with what it wrote and its status, and sending then fails cleanly") {
  SystemProcessRunner runner;
  auto session = open_shell(runner, "read -r line; echo bye >&2; exit 3");
  pid_of(*session);
  REQUIRE(session->send("x\n"));
  SessionReply reply = session->read_until("done", 10s);
  CHECK(reply.outcome == SessionReply::Outcome::Exited);
  CHECK(reply.text == "bye\n");
  CHECK(reply.exit_code == 3);
  CHECK_FALSE(session->send("y\n"));  // no SIGPIPE: hmt ignores it, and the session reports it
}

TEST_CASE("a session read that runs out of time stops the child") {
  SystemProcessRunner runner;
  auto session = open_shell(runner, "exec sleep 100");
  const pid_t pid = pid_of(*session);
  const auto started = std::chrono::steady_clock::now();
  SessionReply reply = session->read_until("done", 200ms);
  CHECK(reply.outcome == SessionReply::Outcome::TimedOut);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK_FALSE(alive(pid));
}

TEST_CASE("cancelling the runner stops a session that is being read") {
  SystemProcessRunner runner;
  auto session = open_shell(runner, "exec sleep 100");
  const pid_t pid = pid_of(*session);
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    runner.cancellation().cancel("test");
  });
  SessionReply reply = session->read_until("done", std::nullopt);
  stopper.join();
  CHECK(reply.outcome == SessionReply::Outcome::Cancelled);
  CHECK_FALSE(alive(pid));
  // A cancelled runner opens nothing more.
  ProcessSpec spec;
  spec.argv = {"true"};
  CHECK_FALSE(runner.open(spec).ok());
}

TEST_CASE("destroying a session ends its child, even one that does not read its input") {
  SystemProcessRunner runner;
  auto session = open_shell(runner, "trap '' TERM; while :; do sleep 1; done");
  const pid_t pid = pid_of(*session);
  session.reset();
  CHECK_FALSE(alive(pid));
}

TEST_CASE("a session that cannot start says why") {
  SystemProcessRunner runner;
  ProcessSpec spec;
  spec.argv = {"hmt-no-such-program"};
  auto opened = runner.open(spec);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().find("not found on PATH") != std::string::npos);
}
