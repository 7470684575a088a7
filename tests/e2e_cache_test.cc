// End-to-end: the verdict cache and the record through the real hmt and the
// real Nix: a run with nothing changed evaluates nothing, --no-cache, a
// changed case file, --last-failed and --failed-first. Three case sources,
// one case each, in a temporary folder (not a git work tree), so that each
// source is a tree of its own; gamma fails.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/catch.h"

#include "process/process.h"
#include "tests/e2e_support.h"
#include "tests/temp_dir.h"

namespace {

using hmt::ProcessResult;
using hmt::testing::Contains;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

struct Sources {
  TempDir dir{"hmt-e2e-cache-"};

  Sources() {
    for (const std::string name : {"alpha", "beta", "gamma"}) {
      dir.write(name + "/default.nix", "{ " + name + " = ./" + name + ".nix; }\n");
      dir.write(name + "/tree/home-files/x.conf", "a = 1\n");
      write_case(name, name == "gamma" ? "a = 2" : "a = 1");
    }
  }

  void write_case(const std::string& name, const std::string& expected) const {
    dir.write(name + "/" + name + ".nix",
              "{ tested = ./tree; script = \"assertFileContains home-files/x.conf '" + expected + "'\"; }\n");
  }

  // hmt over the three sources, with the cache in this test's folder.
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--jobs", "1", "--verbose"});
    hmt::ProcessSpec spec;
    std::vector<std::string> sources;
    for (const char* name : {"alpha", "beta", "gamma"}) sources.push_back((dir.path() / name).string());
    spec.argv = hmt::e2e::cached_fixture_command(sources, args);
    spec.env = {{"XDG_CACHE_HOME", (dir.path() / "cache").string()}};
    spec.timeout = std::chrono::minutes(5);
    return hmt::SystemProcessRunner().run(spec);
  }
};

// The TAP 13 test points, in order, each with " (cached)" when a
// "# cached: <name>" comment follows it.
std::vector<std::string> points(const std::string& tap) {
  std::vector<std::string> out;
  for (auto line : hmt::e2e::lines(tap)) {
    if (line.rfind("ok ", 0) == 0 || line.rfind("not ok ", 0) == 0)
      out.emplace_back(line.substr(line.find(" - ") + 3));
    else if (line.rfind("# cached: ", 0) == 0 && !out.empty())
      out.back() += " (cached)";
  }
  return out;
}

bool evaluated_anything(const ProcessResult& r) { return r.err.find("hmt: evaluated ") != std::string::npos; }

}  // namespace

TEST_CASE("a second run with nothing changed reports every case cached and evaluates nothing") {
  Sources s;
  const ProcessResult first = s.run({});
  INFO("first stdout:\n" << first.out << "\nfirst stderr:\n" << first.err);
  CHECK(first.exit_code == 1);
  CHECK(evaluated_anything(first));
  CHECK(first.out.find("# cached") == std::string::npos);

  const ProcessResult second = s.run({});
  INFO("second stdout:\n" << second.out << "\nsecond stderr:\n" << second.err);
  CHECK(second.exit_code == 1);  // the same verdicts: gamma still fails
  CHECK(points(second.out) == std::vector<std::string>{"alpha (cached)", "beta (cached)", "gamma (cached)"});
  CHECK_THAT(second.out, Contains("# 2 passed, 1 failed, 0 skipped; 3 cached"));
  CHECK_FALSE(evaluated_anything(second));
  CHECK(second.err.find("nix-build") == std::string::npos);
  CHECK(second.err.find("warning") == std::string::npos);
  // The failure is reported as it was, with its assertion.
  CHECK_THAT(hmt::e2e::tap_point_with_block(second.out, "gamma"), Contains("to contain 'a = 2'"));
}

TEST_CASE("the JSON Lines report marks each cached verdict, and the run counts them") {
  Sources s;
  s.run({});
  const ProcessResult again = s.run({"--format", "jsonl"});
  INFO(again.out << again.err);
  CHECK_THAT(again.out, Contains("\"cached\":true,\"case\":\"alpha\""));
  CHECK_THAT(again.out, Contains("\"cached\":3"));
}

TEST_CASE("with --no-cache every case is evaluated again, and a later run still finds the cache") {
  Sources s;
  s.run({});
  const ProcessResult uncached = s.run({"--no-cache"});
  INFO(uncached.out << uncached.err);
  CHECK(uncached.exit_code == 1);
  CHECK(points(uncached.out) == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK(evaluated_anything(uncached));
  CHECK(points(s.run({}).out) == std::vector<std::string>{"alpha (cached)", "beta (cached)", "gamma (cached)"});
}

TEST_CASE("changing a case's file reruns only that case") {
  Sources s;
  s.run({});
  s.write_case("gamma", "a = 1");  // fixed
  const ProcessResult r = s.run({});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(points(r.out) == std::vector<std::string>{"alpha (cached)", "beta (cached)", "gamma"});
  CHECK_THAT(r.err, Contains("hmt: evaluated 1 case "));
  // Back as it was: that verdict is still in the cache.
  s.write_case("gamma", "a = 2");
  CHECK(points(s.run({}).out) == std::vector<std::string>{"alpha (cached)", "beta (cached)", "gamma (cached)"});
}

TEST_CASE("a changed file of a case's tree that its script reads reruns that case") {
  Sources s;
  s.run({});
  s.dir.write("beta/tree/home-files/x.conf", "a = 2\n");
  const ProcessResult r = s.run({});
  INFO(r.out << r.err);
  CHECK(points(r.out) == std::vector<std::string>{"alpha (cached)", "gamma (cached)", "beta"});
  CHECK(hmt::e2e::tap_point(r.out, "beta").rfind("not ok", 0) == 0);
}

TEST_CASE("with --last-failed hmt runs only what failed last time, every case when nothing did") {
  Sources s;
  s.run({});
  const ProcessResult r = s.run({"--last-failed", "--no-cache"});
  INFO(r.out << r.err);
  CHECK(points(r.out) == std::vector<std::string>{"gamma"});
  CHECK(evaluated_anything(r));
  CHECK(r.exit_code == 1);

  s.write_case("gamma", "a = 1");
  CHECK(s.run({}).exit_code == 0);
  const ProcessResult none = s.run({"--last-failed"});
  INFO(none.out << none.err);
  CHECK_THAT(none.err, Contains("--last-failed: no case failed last time; running every selected case"));
  CHECK(points(none.out).size() == 3);
}

TEST_CASE("with --failed-first hmt runs last time's failures first") {
  Sources s;
  s.run({});
  const ProcessResult listed = s.run({"--list", "--failed-first"});
  INFO(listed.out << listed.err);
  CHECK(listed.out == "gamma\nalpha\nbeta\n");
  const ProcessResult r = s.run({"--failed-first", "--no-cache"});
  INFO(r.out << r.err);
  CHECK(points(r.out) == std::vector<std::string>{"gamma", "alpha", "beta"});
}

TEST_CASE("with --last-failed and no record yet every case runs") {
  Sources s;
  const ProcessResult r = s.run({"--last-failed"});
  INFO(r.out << r.err);
  CHECK(points(r.out).size() == 3);
}

TEST_CASE("a damaged verdict file: a warning naming it, and the case runs") {
  Sources s;
  s.run({});
  for (const auto& entry : fs::recursive_directory_iterator(s.dir.path() / "cache" / "hmt" / "verdicts"))
    if (entry.is_regular_file()) std::ofstream(entry.path(), std::ios::trunc) << "{ damaged";
  const ProcessResult r = s.run({});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(points(r.out) == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK_THAT(r.err, Contains("hmt: warning: the cached verdict "));
  CHECK_THAT(r.err, Contains("is not JSON (a damaged cache file); the case runs"));
  // Written afresh: the next run takes them.
  CHECK(points(s.run({}).out) == std::vector<std::string>{"alpha (cached)", "beta (cached)", "gamma (cached)"});
}

TEST_CASE("a cache folder that cannot be made: a warning, and the run goes on without the cache") {
  Sources s;
  s.dir.write("cache/hmt", "a file where the cache folder should be");
  const ProcessResult r = s.run({});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(points(r.out) == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK_THAT(r.err, Contains("hmt: warning: no verdict cache or record this run: cannot create the cache folder"));
}

TEST_CASE("after a run, shards are balanced on its recorded durations and still cover every case once") {
  Sources s;
  const ProcessResult before = s.run({"--list", "--shard", "1/2"});
  CHECK(before.err.find("parts balanced") == std::string::npos);  // no record yet: dealt by name
  s.run({});
  std::multiset<std::string> seen;
  for (const char* shard : {"1/2", "2/2"}) {
    const ProcessResult r = s.run({"--list", "--shard", shard});
    INFO(r.out << r.err);
    CHECK_THAT(r.err, Contains(std::string("hmt: --shard ") + shard +
                               ": parts balanced on the recorded durations of 3 of 3 cases"));
    for (auto line : hmt::e2e::lines(r.out))
      if (!line.empty()) seen.insert(std::string(line));
  }
  CHECK(seen == std::multiset<std::string>{"alpha", "beta", "gamma"});
}
