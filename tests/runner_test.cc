#include "harness/runner.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "fake_process_runner.h"

using namespace hmt;
using hmt::testing::arg_after;
using hmt::testing::exited;
using hmt::testing::FakeProcessRunner;

namespace {

namespace fs = std::filesystem;

// A tested tree and manifests on disk; Nix itself is faked: every case
// named in `broken` throws in evaluation, every case in `hangs` times out
// in its build, the rest build to a manifest running `script`.
struct FakeNix {
  fs::path root;
  std::set<std::string> broken;
  std::set<std::string> breaks_shard;  // uncatchable: the whole shard fails
  std::set<std::string> hangs;
  std::set<std::string> hangs_evaluating;  // the shard holding it times out
  std::set<std::string> interrupted_while_building;  // a stop signal arrives during the build
  std::function<void()> interrupt;
  std::map<std::string, std::string> scripts;
  std::mutex mutex;
  int shard_calls = 0;

  FakeNix() {
    root = fs::temp_directory_path() / ("hmt-runner-test-" + std::to_string(::getpid()));
    fs::create_directories(root / "tested" / "home-files");
    std::ofstream(root / "tested" / "home-files" / "a.conf") << "key = value\n";
  }
  ~FakeNix() { fs::remove_all(root); }

  fs::path manifest_for(const std::string& name) {
    nlohmann::json m{{"format", 1}, {"name", name}, {"file", "/cases/" + name + ".nix"},
                     {"script", scripts.count(name) ? scripts[name] : "assertFileExists home-files/a.conf"},
                     {"tested", (root / "tested").string()}};
    fs::path path = root / ("manifest-" + name);
    std::ofstream(path) << m.dump();
    return path;
  }

  ProcessResult answer(const ProcessSpec& call) {
    std::lock_guard lock(mutex);
    if (call.argv.front() == "nix-build") {
      std::string name = call.argv[2].substr(std::string("/drv/").size());
      if (hangs.count(name)) return hmt::testing::timed_out();
      if (interrupted_while_building.count(name)) interrupt();
      return exited(0, manifest_for(name).string() + "\n");
    }
    auto spec = nlohmann::json::parse(arg_after(call, "spec"));
    std::string attribute = arg_after(call, "-A");
    if (attribute == "shard") {
      ++shard_calls;
      nlohmann::json out = nlohmann::json::object();
      for (const auto& name : spec["names"]) {
        if (hangs_evaluating.count(name)) return hmt::testing::timed_out();
        if (breaks_shard.count(name)) return exited(1, "", "error: infinite recursion encountered\n");
        out[name.get<std::string>()] =
            broken.count(name) ? nlohmann::json{{"failed", true}} : nlohmann::json{{"drvPath", "/drv/" + name.get<std::string>()}};
      }
      return exited(0, out.dump());
    }
    // strict: one case alone
    std::string name = spec["names"][0];
    if (broken.count(name) || breaks_shard.count(name))
      return exited(1, "", "error: case " + name + " is broken\n       at /cases/" + name + ".nix:2:3\n");
    return exited(0, nlohmann::json{{name, {{"drvPath", "/drv/" + name}}}}.dump());
  }
};

struct Recorder : Reporter {
  std::vector<CaseResult> results;
  std::vector<std::string> planned;
  RunSummary summary;
  std::vector<std::string> bail_reasons;
  void run_started(const RunInfo& info) override { planned = info.case_names; }
  void case_finished(const CaseResult& r) override { results.push_back(r); }
  void bail_out(const std::string& reason) override { bail_reasons.push_back(reason); }
  void run_finished(const RunSummary& s) override { summary = s; }
  const CaseResult& get(const std::string& name) const {
    auto it = std::find_if(results.begin(), results.end(), [&](const CaseResult& r) { return r.name == name; });
    REQUIRE(it != results.end());
    return *it;
  }
};

std::vector<CaseEntry> entries(std::initializer_list<std::string> names) {
  std::vector<CaseEntry> out;
  for (const auto& n : names) out.push_back({n, "/cases/" + n + ".nix", "/cases"});
  return out;
}

struct Fixture {
  FakeNix nix_state;
  FakeProcessRunner processes{[this](const ProcessSpec& call) { return nix_state.answer(call); }};
  NixDriver nix{processes, NixSettings{"/driver.nix", "/evaluator.nix", {}, {}, {}, std::nullopt}};
  Recorder reporter;

  Fixture() {
    nix_state.interrupt = [this] { processes.cancellation().cancel("hmt received SIGTERM"); };
  }

  RunSummary run(std::vector<CaseEntry> cases, RunOptions options = {}) {
    Runner runner(processes, reporter, options);
    return runner.run_cases(nix, cases);
  }
};

}  // namespace

TEST_CASE("cases are sharded over the jobs: one evaluation per shard") {
  Fixture f;
  RunOptions options;
  options.jobs = 2;
  auto summary = f.run(entries({"a", "b", "c", "d", "e"}), options);
  CHECK(f.nix_state.shard_calls == 2);
  CHECK(summary.passed == 5);
  CHECK(f.reporter.results.size() == 5);
  CHECK(f.reporter.planned == std::vector<std::string>{"a", "b", "c", "d", "e"});
}

TEST_CASE("a case that throws in its shard is reported with its own Nix error; the others run") {
  Fixture f;
  f.nix_state.broken = {"b"};
  auto summary = f.run(entries({"a", "b", "c"}));
  CHECK(summary.passed == 2);
  CHECK(summary.failed == 1);
  const auto& b = f.reporter.get("b");
  CHECK(b.status == Status::Error);
  CHECK(b.reason == "evaluating the case failed");
  CHECK(b.nix_error.find("case b is broken") != std::string::npos);
  CHECK(b.file == "/cases/b.nix");
}

TEST_CASE("a shard that fails as a whole is retried case by case") {
  Fixture f;
  f.nix_state.breaks_shard = {"c"};
  auto summary = f.run(entries({"a", "b", "c"}));
  CHECK(summary.passed == 2);
  CHECK(f.reporter.get("c").status == Status::Error);
  CHECK(f.reporter.get("a").status == Status::Pass);
}

TEST_CASE("a build that times out is a TIMEOUT, not a crash") {
  Fixture f;
  f.nix_state.hangs = {"slow"};
  auto summary = f.run(entries({"slow", "fast"}));
  CHECK(f.reporter.get("slow").status == Status::Timeout);
  CHECK(f.reporter.get("slow").reason == "building the case timed out");
  CHECK(f.reporter.get("fast").status == Status::Pass);
  CHECK(summary.failed == 1);
}

TEST_CASE("failing assertions make a FAIL with every failure listed") {
  Fixture f;
  f.nix_state.scripts["bad"] =
      "assertFileExists home-files/missing\nassertFileContains home-files/a.conf 'nope'\nassertFileExists home-files/a.conf\n";
  f.run(entries({"bad"}));
  const auto& bad = f.reporter.get("bad");
  CHECK(bad.status == Status::Fail);
  CHECK(bad.reason == "2 of 3 assertions failed");
  REQUIRE(bad.assertions.size() == 3);
  CHECK(bad.assertions[0].line == 1);
  CHECK(bad.assertions[1].status == Status::Fail);
}

TEST_CASE("fail-fast skips the cases that had not started") {
  Fixture f;
  f.nix_state.scripts["first"] = "assertFileExists home-files/missing\n";
  RunOptions options;
  options.jobs = 1;
  options.fail_fast = true;
  auto summary = f.run(entries({"first", "second", "third"}), options);
  CHECK(f.reporter.get("first").status == Status::Fail);
  CHECK(f.reporter.get("second").status == Status::Skip);
  CHECK(f.reporter.get("third").reason.find("--fail-fast") != std::string::npos);
  CHECK(summary.skipped == 2);
}

TEST_CASE("verify-only mode asserts manifests without calling Nix") {
  Fixture f;
  f.nix_state.scripts["v"] = "assertFileContains home-files/a.conf 'key = value'\n";
  fs::path manifest = f.nix_state.manifest_for("v");
  Runner runner(f.processes, f.reporter, RunOptions{});
  auto summary = runner.verify_manifests({manifest, f.nix_state.root / "no-such-manifest"});
  CHECK(f.processes.calls().empty());
  CHECK(summary.passed == 1);
  CHECK(summary.failed == 1);
  CHECK(f.reporter.results[1].status == Status::Error);
  CHECK(f.reporter.results[1].reason.find("no-such-manifest") != std::string::npos);
}

TEST_CASE("a manifest whose tested tree is gone is an error naming it") {
  Fixture f;
  Manifest m;
  m.name = "gone";
  m.tested = "/nonexistent/hmt-tree";
  m.script = "assertFileExists x";
  Runner runner(f.processes, f.reporter, RunOptions{});
  CaseResult r = runner.assert_manifest(m, "");
  CHECK(r.status == Status::Error);
  CHECK(r.reason.find("/nonexistent/hmt-tree") != std::string::npos);
}

TEST_CASE("an interrupt stops the run: what did not finish is reported as interrupted, and nothing more starts") {
  Fixture f;
  f.nix_state.interrupted_while_building = {"b"};
  RunOptions options;
  options.jobs = 1;
  auto summary = f.run(entries({"a", "b", "c"}), options);
  CHECK(f.reporter.get("a").status == Status::Pass);
  CHECK(f.reporter.get("b").status == Status::Error);
  CHECK(f.reporter.get("b").reason == "interrupted");
  CHECK(f.reporter.get("c").status == Status::Error);
  CHECK(f.reporter.get("c").reason == "interrupted");
  CHECK(summary.bailed_out);
  REQUIRE(f.reporter.bail_reasons.size() == 1);
  CHECK(f.reporter.bail_reasons[0].find("hmt received SIGTERM") != std::string::npos);
  // One evaluation and two builds; c was never built.
  CHECK(f.processes.calls().size() == 3);
}

TEST_CASE("a shard whose evaluation times out reports its cases as timed out, without evaluating them again") {
  Fixture f;
  f.nix_state.hangs_evaluating = {"b"};
  RunOptions options;
  options.jobs = 2;  // shards {a, c} and {b, d}
  auto summary = f.run(entries({"a", "b", "c", "d"}), options);
  CHECK(f.reporter.get("a").status == Status::Pass);
  CHECK(f.reporter.get("c").status == Status::Pass);
  for (const std::string name : {"b", "d"}) {
    CHECK(f.reporter.get(name).status == Status::Timeout);
    CHECK(f.reporter.get(name).reason == "evaluating the case timed out");
  }
  CHECK(summary.failed == 2);
  // Two shard evaluations, two builds, and no case evaluated alone.
  for (const auto& call : f.processes.calls()) CHECK(arg_after(call, "-A") != "strict");
  CHECK(f.processes.calls().size() == 4);
}
