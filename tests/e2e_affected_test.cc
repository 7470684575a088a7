// End-to-end: --affected and --watch through the real hmt, Nix and git. One
// case source in a temporary git work tree, each case in a folder of its own:
// alpha and beta take their definitions from a module each (the fixture
// evaluator passes on what a case says of its definitions, as home-manager's
// evaluation does from the module system); gamma says nothing, so any change
// may affect it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
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
using namespace std::chrono_literals;

struct Repo {
  TempDir dir{"hmt-e2e-affected-"};
  TempDir side{"hmt-e2e-affected-side-"};  // the cache and outputs, outside the watched tree

  Repo() {
    dir.write("default.nix", "{ alpha = ./alpha/alpha.nix; beta = ./beta/beta.nix; gamma = ./gamma/gamma.nix; }\n");
    dir.write("tree/home-files/x.conf", "a = 1\n");
    dir.write("modules/alpha.nix", "# alpha's module\n");
    dir.write("modules/beta.nix", "# beta's module\n");
    for (const std::string name : {"alpha", "beta"})
      dir.write(name + "/" + name + ".nix",
                "{ tested = ../tree; script = \"assertFileExists home-files/x.conf\";\n"
                "  definitions = { files = [ (toString ../modules/" + name + ".nix) ];\n"
                "    modules = [ (toString ../modules/alpha.nix) (toString ../modules/beta.nix) ]; }; }\n");
    dir.write("gamma/gamma.nix", "{ tested = ../tree; script = \"assertFileExists home-files/x.conf\"; }\n");
    git({"init", "-q"});
    commit("the cases");
  }

  void git(std::vector<std::string> args) const {
    hmt::ProcessSpec spec;
    spec.argv = {"git", "-C", dir.path().string(), "-c", "user.name=hmt", "-c", "user.email=hmt@example.org"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    const ProcessResult r = hmt::SystemProcessRunner().run(spec);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  void commit(const std::string& message) const {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
  }

  std::vector<std::string> command(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--jobs", "1"});
    return hmt::e2e::cached_fixture_command({dir.path().string()}, args);
  }
  std::string cache() const { return (side.path() / "cache").string(); }

  ProcessResult run(const std::vector<std::string>& args) const {
    hmt::ProcessSpec spec;
    spec.argv = command(args);
    spec.env = {{"XDG_CACHE_HOME", cache()}};
    spec.timeout = std::chrono::minutes(5);
    return hmt::SystemProcessRunner().run(spec);
  }
};

// The names of the TAP test points, in order.
std::vector<std::string> points(const std::string& tap) {
  std::vector<std::string> out;
  for (auto line : hmt::e2e::lines(tap))
    if (line.rfind("ok ", 0) == 0 || line.rfind("not ok ", 0) == 0) out.emplace_back(line.substr(line.find(" - ") + 3));
  return out;
}

}  // namespace

TEST_CASE("with --affected, every case runs without a record, then only those whose recorded files changed") {
  Repo repo;
  const ProcessResult first = repo.run({"--affected", "HEAD"});
  INFO(first.out << first.err);
  CHECK(first.exit_code == 0);
  CHECK(points(first.out) == std::vector<std::string>{"alpha", "beta", "gamma"});
  CHECK_THAT(first.err, Contains("hmt: --affected HEAD: 3 of 3 cases (no case has a current record)"));

  repo.dir.write("modules/alpha.nix", "# alpha's module, changed\n");
  const ProcessResult changed = repo.run({"--affected", "HEAD"});
  INFO(changed.out << changed.err);
  // gamma's definitions are unknown: it may depend on anything.
  CHECK(points(changed.out) == std::vector<std::string>{"alpha", "gamma"});
  CHECK_THAT(changed.err, Contains("hmt: --affected HEAD: 2 of 3 cases"));

  // Committed, the same change is found in the history.
  repo.commit("change alpha's module");
  const ProcessResult listed = repo.run({"--affected", "HEAD~1", "--list"});
  INFO(listed.out << listed.err);
  CHECK(listed.out == "alpha\ngamma\n");
  const ProcessResult nothing = repo.run({"--affected", "HEAD", "--list"});
  CHECK(nothing.out == "");
}

TEST_CASE("with --affected, a record that hits an error is asked for alone, then without definitions' values") {
  Repo repo;
  repo.dir.write("default.nix", "{ failing = ./failing/failing.nix; loose = ./loose/loose.nix; }\n");
  // The case fails with an error tryEval cannot catch; its record does not.
  repo.dir.write("failing/failing.nix",
                 "{ tested = builtins.head [ ]; script = \"\";\n"
                 "  definitions = { files = [ (toString ../modules/alpha.nix) ]; }; }\n");
  // The case passes; its record fails but for its loose form.
  repo.dir.write("loose/loose.nix",
                 "{ tested = ../tree; script = \"assertFileExists home-files/x.conf\";\n"
                 "  definitions = { files = [ (builtins.head [ ]) ];\n"
                 "    loose = { files = [ (toString ../modules/beta.nix) ]; }; }; }\n");
  repo.commit("cases whose records hit errors");
  const ProcessResult first = repo.run({"--affected", "HEAD"});
  INFO(first.out << first.err);
  CHECK(points(first.out) == std::vector<std::string>{"failing", "loose"});

  // Each is selected by its own module only: neither record is incomplete.
  repo.dir.write("modules/alpha.nix", "# alpha's module, changed\n");
  const ProcessResult alpha = repo.run({"--affected", "HEAD", "--list"});
  INFO(alpha.out << alpha.err);
  CHECK(alpha.out == "failing\n");
  repo.git({"checkout", "-q", "--", "modules/alpha.nix"});
  repo.dir.write("modules/beta.nix", "# beta's module, changed\n");
  const ProcessResult beta = repo.run({"--affected", "HEAD", "--list"});
  INFO(beta.out << beta.err);
  CHECK(beta.out == "loose\n");
}

TEST_CASE("with --affected, a new file no record accounts for selects every case, and says which") {
  Repo repo;
  repo.run({"--affected", "HEAD"});
  repo.dir.write("modules/helper.nix", "# read by no case yet\n");
  const ProcessResult r = repo.run({"--affected", "HEAD", "--list"});
  INFO(r.out << r.err);
  CHECK(r.out == "alpha\nbeta\ngamma\n");
  CHECK_THAT(r.err, Contains("modules/helper.nix is in no case's record)"));
}

TEST_CASE("with --affected and a commit git does not know: exit 2 and a message naming it") {
  Repo repo;
  const ProcessResult r = repo.run({"--affected", "no-such-ref"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no-such-ref"));
}

TEST_CASE("with --watch, hmt runs, reruns what a saved file affects, and ends cleanly on Ctrl-C") {
  Repo repo;
  const fs::path out = repo.side.path() / "watch.out", err = repo.side.path() / "watch.err";
  std::vector<std::string> argv = repo.command({"--watch"});
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("XDG_CACHE_HOME", repo.cache().c_str(), 1);
    if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr)) ::_exit(127);
    std::vector<char*> c_argv;
    for (auto& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    ::execv(HMT_BINARY, c_argv.data());
    ::_exit(127);
  }
  REQUIRE(pid > 0);
  auto saw = [&](const fs::path& file, const std::string& text, int times) {
    for (int waited = 0; waited < 1200; ++waited) {  // at most 2 minutes
      const std::string now = hmt::e2e::read_file(file);
      std::size_t count = 0;
      for (auto at = now.find(text); at != std::string::npos; at = now.find(text, at + 1)) ++count;
      if (count >= static_cast<std::size_t>(times)) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  int status = -1;
  const bool watching = saw(err, "hmt: --watch: watching", 1);
  if (watching) {
    repo.dir.write("modules/beta.nix", "# beta's module, saved\n");
    CHECK(saw(err, "hmt: --watch: watching", 2));
  }
  ::kill(pid, SIGINT);
  for (int waited = 0; waited < 600 && ::waitpid(pid, &status, WNOHANG) != pid; ++waited)
    std::this_thread::sleep_for(100ms);
  if (status == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  const std::string printed = hmt::e2e::read_file(out), said = hmt::e2e::read_file(err);
  INFO(printed << said);
  REQUIRE(watching);
  // The first run has every case; the second the changed module's and gamma.
  CHECK(points(printed) == std::vector<std::string>{"alpha", "beta", "gamma", "beta", "gamma"});
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 128 + SIGINT);
}
