// What the runner's tests share: Nix faked at the process level (FakeNix),
// a reporter that keeps what it is told, and a fixture running cases
// through a real Runner and NixDriver over them.
#pragma once

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>

#include <unistd.h>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "tests/catch.h"

#include "harness/pipeline/runner.h"
#include "harness/pipeline/scheduler.h"
#include "tests/fake_process_runner.h"

namespace hmt::testing::runner {

namespace fs = std::filesystem;
using hmt::testing::exited;
using hmt::testing::FakeLine;
using hmt::testing::FakeProcessRunner;
using hmt::testing::LineResponder;

// A tested tree and manifests on disk; Nix itself is faked: every case
// named in `broken` fails to evaluate, every case in `kills_evaluator`
// ends the evaluator it is evaluated in, every case in `hangs` times out in
// its build, and building the rest writes a manifest running `script`.
struct FakeNix {
  fs::path root;
  std::set<std::string> broken;
  std::set<std::string> kills_evaluator;
  std::set<std::string> hangs;
  std::set<std::string> hangs_evaluating;  // its evaluation times out
  std::set<std::string> interrupted_while_building;  // a stop signal arrives during the build
  std::function<void()> interrupt;
  std::set<std::string> breaks_runner;  // its build fails, and building it alone throws
  std::set<std::string> dependency_fails;  // the builder of /drv/dep-NAME.drv, which it needs, fails
  bool keeps_logs = true;                   // whether nix-store --read-log has the failed build's log
  std::map<std::string, std::string> scripts;
  std::mutex mutex;
  int evaluators = 0;   // sessions opened
  int evaluations = 0;  // cases asked for
  int build_calls = 0;
  int alone_build_calls = 0;  // nix-build of one derivation, without --keep-going

  FakeNix() {
    root = fs::temp_directory_path() / ("hmt-runner-test-" + std::to_string(::getpid()));
    fs::create_directories(root / "tested" / "home-files");
    std::ofstream(root / "tested" / "home-files" / "a.conf") << "key = value\n";
  }
  ~FakeNix() { fs::remove_all(root); }

  fs::path manifest_path(const std::string& name) const { return root / ("manifest-" + name); }

  fs::path manifest_for(const std::string& name) {
    nlohmann::json m{{"format", 1}, {"name", name}, {"file", "/cases/" + name + ".nix"},
                     {"script", scripts.count(name) ? scripts[name] : "assertFileExists home-files/a.conf"},
                     {"tested", (root / "tested").string()}};
    std::ofstream(manifest_path(name)) << m.dump();
    return manifest_path(name);
  }

  nlohmann::json paths_of(const std::string& name) const {
    return {{"drv", "/drv/" + name}, {"out", manifest_path(name).string()}};
  }

  ProcessResult answer(const ProcessSpec& call) {
    std::lock_guard lock(mutex);
    if (call.argv.front() == "nix-store") {
      const std::string& path = call.argv.back();
      if (call.argv[1] == "--query") return exited(0, "/drv/dep-" + path.substr(std::string("/drv/").size()) + ".drv\n");
      if (keeps_logs) return exited(0, "compiling " + path + "\nboom\n");
      return exited(1, "", "error: build log of '" + path + "' is not available\n");
    }
    if (call.argv.front() == "nix-build") {
      ++build_calls;
      const bool alone = std::find(call.argv.begin(), call.argv.end(), "--keep-going") == call.argv.end();
      if (alone) ++alone_build_calls;
      bool hung = false, failed = false;
      std::string errors;
      for (const auto& arg : call.argv) {
        if (arg.rfind("/drv/", 0) != 0) continue;
        const std::string name = arg.substr(std::string("/drv/").size());
        if (dependency_fails.count(name)) {
          errors += (alone ? "built alone\n" : "") + fmt::format("error: builder for '/drv/dep-{}.drv' failed with exit code 2\n", name);
          failed = true;
          continue;
        }
        if (interrupted_while_building.count(name)) interrupt();
        if (breaks_runner.count(name)) {
          if (alone) throw std::runtime_error("fake runner: cannot start nix-build");
          failed = true;
        } else if (hangs.count(name)) {
          hung = true;
        } else {
          manifest_for(name);
        }
      }
      if (hung) return hmt::testing::timed_out();
      return failed ? exited(1, "", errors + "error: build failed\n") : exited(0);
    }
    return exited(1, "", "error: unexpected call\n");
  }

  // One line to the driver in a `nix repl`.
  FakeLine answer_line(const std::string& line) {
    std::lock_guard lock(mutex);
    static const std::regex trace(R"re(^builtins\.trace "(.*)" null$)re");
    static const std::regex evaluate(R"re(^hmt\.evaluate (\d+) \d+ "(.*)"$)re");
    std::smatch match;
    if (std::regex_match(line, match, trace)) return {"trace: " + match[1].str() + "\n"};
    if (!std::regex_match(line, match, evaluate)) return {};
    ++evaluations;
    const std::string name = match[2];
    if (hangs_evaluating.count(name)) return {"", FakeLine::Then::Hangs};
    if (kills_evaluator.count(name))
      return {"error: stack overflow (possible infinite recursion) in " + name + "\n", FakeLine::Then::Exits};
    if (broken.count(name)) return {"error: case " + name + " is broken\n       at /cases/" + name + ".nix:2:3\n"};
    return {fmt::format("trace: hmt: evaluated {} {}\n", match[1].str(), paths_of(name).dump())};
  }
};

// The runner reports from its worker threads (production wraps reporters
// in a ReporterSet, which serialises them): so does this one.
struct Recorder : Reporter {
  std::mutex mutex;
  std::vector<CaseResult> results;
  std::vector<std::string> planned;
  RunSummary summary;
  std::vector<std::string> bail_reasons;
  void run_started(const RunInfo& info) override {
    std::lock_guard lock(mutex);
    planned = info.case_names;
  }
  void case_finished(const CaseResult& r) override {
    std::lock_guard lock(mutex);
    results.push_back(r);
  }
  void bail_out(const std::string& reason) override {
    std::lock_guard lock(mutex);
    bail_reasons.push_back(reason);
  }
  void run_finished(const RunSummary& s) override {
    std::lock_guard lock(mutex);
    summary = s;
  }
  const CaseResult& get(const std::string& name) const {
    auto it = std::find_if(results.begin(), results.end(), [&](const CaseResult& r) { return r.name == name; });
    REQUIRE(it != results.end());
    return *it;
  }
};

inline std::vector<CaseEntry> entries(std::initializer_list<std::string> names) {
  std::vector<CaseEntry> out;
  for (const auto& n : names) out.push_back({n, "/cases/" + n + ".nix", "/cases", 0, 0});
  return out;
}

struct Fixture {
  FakeNix nix_state;
  FakeProcessRunner processes{[this](const ProcessSpec& call) { return nix_state.answer(call); },
                              [this](const ProcessSpec&) -> LineResponder {
                                std::lock_guard lock(nix_state.mutex);
                                ++nix_state.evaluators;
                                return [this](const std::string& line) { return nix_state.answer_line(line); };
                              }};
  NixDriver nix{processes, NixSettings{"/driver.nix", "/evaluator.nix", {}, {}, {}, {}, std::nullopt}};
  Recorder reporter;

  Fixture() {
    nix_state.interrupt = [this] { processes.cancellation().cancel("hmt received SIGTERM"); };
  }

  RunSummary run(std::vector<CaseEntry> cases, RunOptions options = {}) {
    Runner runner(processes, reporter, options);
    RunSummary summary = runner.run_cases(nix, cases);
    schedule = runner.schedule_stats();
    return summary;
  }
  ScheduleStats schedule;  // of the last run
};

}  // namespace hmt::testing::runner
