#include "harness/cache/git_changes.h"

#include "tests/catch.h"
#include "tests/fake_process_runner.h"

using namespace hmt;
using hmt::testing::exited;
using hmt::testing::FakeProcessRunner;

namespace {

bool has(const ProcessSpec& spec, const std::string& word) {
  return std::find(spec.argv.begin(), spec.argv.end(), word) != spec.argv.end();
}

// git as it answers in a work tree at /src/hm whose top is /src/hm.
ProcessResult git(const ProcessSpec& spec) {
  if (has(spec, "rev-parse") && has(spec, "--verify"))
    return spec.argv.back() == "nope^{commit}" ? exited(1) : exited(0, "abc123\n");
  if (has(spec, "diff")) return exited(0, std::string("modules/programs/git.nix") + '\0' + "tests/default.nix" + '\0');
  if (has(spec, "ls-files")) return exited(0, std::string("modules/programs/new.nix") + '\0');
  if (has(spec, "--show-toplevel")) return exited(0, "/src/hm\n");
  return exited(2, "", "unexpected git call");
}

}  // namespace

TEST_CASE("the files changed since a commit: committed, uncommitted and untracked, absolute and sorted") {
  FakeProcessRunner runner(git);
  auto changed = changed_since(runner, "/src/hm", "HEAD~3");
  REQUIRE(changed);
  CHECK(*changed == std::vector<std::filesystem::path>{"/src/hm/modules/programs/git.nix",
                                                       "/src/hm/modules/programs/new.nix", "/src/hm/tests/default.nix"});
  // The REF is checked as a commit first, and diff does not follow renames.
  const auto calls = runner.calls();
  REQUIRE_FALSE(calls.empty());
  CHECK(calls[0].argv.back() == "HEAD~3^{commit}");
  for (const auto& call : calls)
    if (has(call, "diff")) CHECK(has(call, "--no-renames"));
}

TEST_CASE("a REF that is not a commit is an error naming it and the work tree") {
  FakeProcessRunner runner(git);
  auto changed = changed_since(runner, "/src/hm", "nope");
  REQUIRE_FALSE(changed);
  CHECK(changed.error() == "--affected nope: not a commit in /src/hm");
}
