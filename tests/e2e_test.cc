// End-to-end: the real hmt binary runs the real nix-build on self-contained
// fixture cases (builtins only, no nixpkgs): passing, failing, evaluation
// error, build error, a hung build stopped by --timeout, the bash fallback.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <regex>
#include <string>
#include <thread>

#include "tests/catch.h"

#include "tests/proc_scan.h"
#include <nlohmann/json.hpp>

#include "process/process.h"
#include "tests/e2e_support.h"

namespace {

using hmt::ProcessResult;
using hmt::ProcessSpec;

using hmt::e2e::kFixtures;
using hmt::e2e::tap_point;

ProcessResult run_cases(const std::vector<std::string>& args) { return hmt::e2e::run_fixture("cases", args); }

bool marker_process_alive(const std::string& marker) {
  for (const auto& process : hmt::testing::running_processes())
    if (process.cmdline.find(marker) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a run over the fixtures reports each case with the right verdict") {
  const auto junit = std::filesystem::temp_directory_path() / "hmt-e2e-junit.xml";
  ProcessResult r = run_cases({"--jobs", "2", "--timeout", "8", "--junit", junit.string()});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.outcome == ProcessResult::Outcome::Exited);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("TAP version 13\n1..6\n", 0) == 0);

  CHECK(tap_point(r.out, "passing").rfind("ok ", 0) == 0);
  CHECK(tap_point(r.out, "shell-fallback").rfind("ok ", 0) == 0);
  CHECK(tap_point(r.out, "failing").rfind("not ok ", 0) == 0);
  CHECK(tap_point(r.out, "eval-error").rfind("not ok ", 0) == 0);
  CHECK(tap_point(r.out, "build-error").rfind("not ok ", 0) == 0);
  CHECK(tap_point(r.out, "hangs").rfind("not ok ", 0) == 0);

  // Both failed assertions of `failing` are there, with the diff.
  CHECK(r.out.find("name = nmt") != std::string::npos);
  CHECK(r.out.find("+name = nmt") != std::string::npos);
  // Nix's own messages name the cause.
  CHECK(r.out.find("this case is broken on purpose") != std::string::npos);
  CHECK(r.out.find("the build fails on purpose") != std::string::npos);
  CHECK(r.out.find("timed out") != std::string::npos);
  // The hung builder is gone with its nix-build.
  CHECK_FALSE(marker_process_alive("hmt_fixture_hang_marker"));

  const std::string xml = hmt::e2e::read_file(junit);
  std::filesystem::remove(junit);
  CHECK(xml.find("<testsuites") != std::string::npos);
  CHECK(xml.find("name=\"failing\"") != std::string::npos);
}

TEST_CASE("selected cases run alone and a passing run exits 0") {
  ProcessResult r = run_cases({"passing", "shell-*"});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("1..2\n") != std::string::npos);
  CHECK(tap_point(r.out, "failing").empty());
}

TEST_CASE("listing prints the fixture cases, as JSON too") {
  ProcessResult plain = run_cases({"--list"});
  CHECK(plain.exit_code == 0);
  CHECK(plain.out == "build-error\neval-error\nfailing\nhangs\npassing\nshell-fallback\n");
  ProcessResult json = run_cases({"--list", "--json", "pass*"});
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"name\": \"passing\"") != std::string::npos);
  CHECK(json.out.find("\"folder\"") != std::string::npos);
}

TEST_CASE("an unknown case is a usage error that points at --list") {
  ProcessResult r = run_cases({"no-such-case"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no case matches 'no-such-case'") != std::string::npos);
  CHECK(r.out == "TAP version 13\n1..0\nBail out! no case matches 'no-such-case'; hmt --list shows the cases\n");
}

TEST_CASE("prove reads a setup error as a bail out with a plan, not a parse error") {
  const auto tap = std::filesystem::temp_directory_path() / ("hmt-e2e-bail-" + std::to_string(::getpid()) + ".tap");
  std::ofstream(tap) << run_cases({"no-such-case"}).out;
  ProcessSpec prove;
  prove.argv = {"prove", "--exec", "cat", tap.string()};
  ProcessResult r = hmt::SystemProcessRunner().run(prove);
  std::filesystem::remove(tap);
  INFO(r.out << r.err << r.error);
  REQUIRE(r.outcome == ProcessResult::Outcome::Exited);  // prove comes with Debian's perl
  const std::string said = r.out + r.err;
  CHECK(said.find("Bailout called") != std::string::npos);
  CHECK(said.find("No plan found") == std::string::npos);
  CHECK(said.find("Parse errors") == std::string::npos);
}

TEST_CASE("fail-fast skips what had not started after the first failure") {
  ProcessResult r = run_cases({"--jobs", "1", "--fail-fast", "build-error", "passing", "shell-fallback"});
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(tap_point(r.out, "build-error").rfind("not ok", 0) == 0);
  CHECK(tap_point(r.out, "passing").find("# SKIP") != std::string::npos);
}

TEST_CASE("verify-only mode asserts a built manifest without Nix") {
  // Build one manifest the way `nix flake check` would, then verify it.
  hmt::SystemProcessRunner runner;
  ProcessSpec instantiate;
  const std::string spec =
      R"({"evaluator":")" + kFixtures + R"(/evaluator.nix","sources":[")" + kFixtures + R"(/cases"]})";
  instantiate.argv = {"nix-instantiate", "--eval", "--strict", "--json", "--read-write-mode", "--expr",
                      "{ spec }: (import " + std::string(HMT_SOURCE_ROOT) +
                          "/harness/nix/driver.nix { inherit spec; }).manifestPaths 0 \"failing\"",
                      "--argstr", "spec", spec};
  ProcessResult eval = runner.run(instantiate);
  REQUIRE(eval.ok());
  std::smatch drv;
  REQUIRE(std::regex_search(eval.out, drv, std::regex("/nix/store/[^\"]+\\.drv")));
  ProcessSpec build;
  build.argv = {"nix-build", "--no-out-link", drv.str(), "--option", "substituters", ""};
  ProcessResult built = runner.run(build);
  REQUIRE(built.ok());
  std::string manifest = built.out.substr(0, built.out.find('\n'));

  ProcessSpec verify;
  verify.argv = {HMT_BINARY, "--verify", manifest};
  verify.env["PATH"] = "/nonexistent";  // no Nix reachable
  ProcessResult r = runner.run(verify);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(tap_point(r.out, "failing").rfind("not ok 1", 0) == 0);
}

TEST_CASE("SIGTERM stops hmt and the builds it started, leaving no process behind") {
  const std::string marker = "hmt_fixture_hang_marker";
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Quiet child: only the exit status matters.
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    std::vector<std::string> argv = hmt::e2e::fixture_command({"cases"}, {"--timeout", "600", "hangs"});
    std::vector<char*> c_argv;
    for (auto& arg : argv) c_argv.push_back(arg.data());
    c_argv.push_back(nullptr);
    ::execv(HMT_BINARY, c_argv.data());
    ::_exit(127);
  }
  // Wait until the hung builder is running, then interrupt hmt.
  for (int i = 0; i < 300 && !marker_process_alive(marker); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // Signal hmt before any REQUIRE, so a failing check leaves no hmt behind.
  const bool builder_started = marker_process_alive(marker);
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(builder_started);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 143);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !marker_process_alive(marker);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(gone);
}

TEST_CASE("setup errors exit 2 and say how to fix them") {
  SECTION("no Nix on PATH") {
    ProcessSpec spec;
    spec.argv = hmt::e2e::fixture_command({"cases"}, {});
    spec.env["PATH"] = "/nonexistent";
    hmt::SystemProcessRunner runner;
    ProcessResult r = runner.run(spec);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("nix-instantiate was not found on PATH: install Nix") != std::string::npos);
    CHECK(r.out.find("Bail out!") != std::string::npos);
  }
  SECTION("home-manager cases without <nixpkgs>") {
    // An empty Nix configuration and search path: nothing resolves.
    auto empty = std::filesystem::temp_directory_path() / "hmt-e2e-empty-nix-conf";
    std::filesystem::create_directories(empty);
    ProcessSpec spec;
    spec.argv = {HMT_BINARY};
    spec.env["NIX_CONF_DIR"] = empty.string();
    spec.env["NIX_PATH"] = "";
    hmt::SystemProcessRunner runner;
    ProcessResult r = runner.run(spec);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("<nixpkgs> does not resolve: pass --nixpkgs PATH") != std::string::npos);
  }
  SECTION("a folder that does not exist") {
    ProcessResult r = run_cases({"--cases", "/nonexistent-hmt-folder"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--cases /nonexistent-hmt-folder: no such file or folder (it does not exist)") !=
          std::string::npos);
  }
  SECTION("a folder without default.nix") {
    ProcessResult r = run_cases({"--cases", kFixtures + "/trees"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("case folder " + kFixtures + "/trees has no default.nix") != std::string::npos);
  }
}

TEST_CASE("update-golden rewrites the source of a failing expected file") {
  namespace fs = std::filesystem;
  const fs::path folder = fs::temp_directory_path() / ("hmt-e2e-golden-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  // Removed however the test ends.
  struct RemoveOnExit {
    fs::path path;
    ~RemoveOnExit() { fs::remove_all(path); }
  } cleanup{folder};
  // Only the tree it tests: others hold links out of the tree, to / among them.
  fs::create_directories(folder / "trees");
  fs::copy(kFixtures + "/trees/basic", folder / "trees/basic", fs::copy_options::recursive);
  std::ofstream(folder / "golden.conf") << "stale content\n";
  std::ofstream(folder / "default.nix") << "{ golden = ./golden.nix; }\n";
  std::ofstream(folder / "golden.nix") << "{ tested = ./trees/basic; script = ''\n"
                                          "  assertFileContent home-files/.config/app/app.conf ${./golden.conf}\n''; }\n";
  ProcessSpec spec;
  spec.argv = hmt::e2e::fixture_command({folder.string()}, {"--update-golden"});
  hmt::SystemProcessRunner runner;
  ProcessResult first = runner.run(spec);
  INFO(first.out << first.err);
  CHECK(first.exit_code == 1);
  CHECK(hmt::e2e::read_file(folder / "golden.conf") == "greeting = hello\nname = hmt\n");
  // With the golden file rewritten, the case passes.
  ProcessResult second = runner.run(spec);
  CHECK(second.exit_code == 0);
}

TEST_CASE("a report that cannot be written is a setup error before any case runs") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("hmt-e2e-reports-" + std::to_string(::getpid()));
  fs::create_directories(root / "folder");
  std::ofstream(root / "file") << "x";
  struct RemoveOnExit {
    fs::path path;
    ~RemoveOnExit() { fs::remove_all(path); }
  } cleanup{root};
  for (auto [junit, problem] : {std::pair{root / "missing" / "report.xml", "does not exist"},
                                std::pair{root / "file" / "report.xml", "is a file, not a folder"},
                                std::pair{root / "folder", "is a folder"}}) {
    ProcessResult r = run_cases({"--junit", junit.string(), "passing"});
    INFO(junit << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot write the JUnit report to " + junit.string() + ": ") != std::string::npos);
    CHECK(r.err.find(problem) != std::string::npos);
    // No case ran; the stream still has a version line and a plan.
    CHECK(r.out.rfind("TAP version 13\n1..0\nBail out! ", 0) == 0);
  }
}

TEST_CASE("a report that fails to be written later makes the run exit 2") {
  SECTION("JUnit on a full disk") {
    ProcessResult r = run_cases({"--junit", "/dev/full", "passing"});
    INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(tap_point(r.out, "passing").rfind("ok 1", 0) == 0);
    CHECK(r.err.find("cannot write the JUnit report /dev/full: No space left on device") != std::string::npos);
  }
  SECTION("stdout on a full disk") {
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "exec \"$@\" >/dev/full", "sh"};
    for (const auto& arg : hmt::e2e::fixture_command({"cases"}, {"passing"})) spec.argv.push_back(arg);
    hmt::SystemProcessRunner runner;
    ProcessResult r = runner.run(spec);
    INFO("stderr:\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot write the TAP report: No space left on device") != std::string::npos);
  }
  SECTION("--list on a full disk") {
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "exec \"$@\" >/dev/full", "sh"};
    for (const auto& arg : hmt::e2e::fixture_command({"cases"}, {"--list"})) spec.argv.push_back(arg);
    hmt::SystemProcessRunner runner;
    ProcessResult r = runner.run(spec);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot write to stdout: No space left on device") != std::string::npos);
  }
}

TEST_CASE("format jsonl prints one JSON object per event, each line parseable") {
  ProcessResult r = run_cases({"--jobs", "2", "--timeout", "8", "--format", "jsonl", "failing", "passing", "eval-error"});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.outcome == ProcessResult::Outcome::Exited);
  CHECK(r.exit_code == 1);
  std::vector<nlohmann::json> events;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    INFO("line: " << line);
    REQUIRE_NOTHROW(events.push_back(nlohmann::json::parse(line)));
  }
  REQUIRE(events.size() >= 5);
  for (const auto& e : events) CHECK(e["schema"] == 1);
  CHECK(events.front()["event"] == "run_started");
  CHECK(events.front()["cases"].size() == 3);
  CHECK(events.back()["event"] == "run_finished");
  CHECK(events.back()["passed"] == 1);
  CHECK(events.back()["failed"] == 2);
  std::map<std::string, std::string> verdicts;
  int failed_assertions = 0;
  for (const auto& e : events) {
    if (e["event"] == "case_finished") verdicts[e["case"]] = e["status"];
    if (e["event"] == "assertion" && e["case"] == "failing" && e["status"] == "FAIL") ++failed_assertions;
  }
  CHECK(verdicts == std::map<std::string, std::string>{{"eval-error", "ERROR"}, {"failing", "FAIL"}, {"passing", "PASS"}});
  CHECK(failed_assertions == 2);
}

TEST_CASE("shard K/N lists disjoint parts that cover the cases, and a bad shard is a usage error") {
  std::multiset<std::string> seen;
  for (const char* shard : {"1/2", "2/2"}) {
    ProcessResult r = run_cases({"--list", "--shard", shard});
    INFO("stderr:\n" << r.err);
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) seen.insert(line);
  }
  CHECK(seen == std::multiset<std::string>{"build-error", "eval-error", "failing", "hangs", "passing",
                                           "shell-fallback"});
  ProcessResult first = run_cases({"--list", "--shard", "1/2"});
  CHECK(first.out == "build-error\nfailing\npassing\n");

  ProcessResult bad = run_cases({"--shard", "3/2"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--shard 3/2: K must be between 1 and N (2)") != std::string::npos);
}
