#include "harness/cli/cache_setup.h"

#include <algorithm>
#include <filesystem>

#include "tests/catch.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  TempDir dir;
  Fixture() {
    dir.write("store/abc-nixpkgs/default.nix", "{ }");
    dir.write("src/home-manager/modules/modules.nix", "[ ]");
    dir.write("src/cases/default.nix", "{ }");
    dir.write("mods/extra.nix", "{ }");
    fs::create_symlink(dir.path() / "store/abc-nixpkgs", dir.path() / "channel");
  }

  CacheInputs inputs() const {
    CacheInputs in;
    in.cache_folder = dir.path() / "cache";
    in.hmt_binary = "/usr/bin/hmt";
    in.hmt_data = {"/usr/share/hmt/nix"};
    in.nix_version = "nix (Nix) 2.26.3";
    in.eval_args = {"--option", "substituters", ""};
    in.evaluator = "/usr/share/hmt/nix/home-manager.nix";
    in.nixpkgs = dir.path() / "channel";
    in.home_manager = dir.path() / "src/home-manager";
    in.sources = {dir.path() / "src/cases"};
    in.store_dir = dir.path() / "store";
    in.environment = {"HOME=/home/u", "TERM=xterm", "NIX_PATH=nixpkgs=/x", "LC_ALL=C", "EDITOR=vi"};
    return in;
  }
};

bool has(const InnerLoopSettings& s, const std::string& name, const std::string& value) {
  return std::find(s.identity.begin(), s.identity.end(), std::pair{name, value}) != s.identity.end();
}

}  // namespace

TEST_CASE("the variables modules, Nix and scripts read are keyed, the rest are not") {
  for (const char* name : {"HOME", "USER", "PATH", "LANG", "XDG_CONFIG_HOME", "NIX_PATH", "LC_ALL", "TZ"}) {
    INFO(name);
    CHECK(keyed_variable(name));
  }
  for (const char* name : {"TERM", "EDITOR", "DISPLAY", "SSH_AUTH_SOCK", "NO_COLOR"}) {
    INFO(name);
    CHECK_FALSE(keyed_variable(name));
  }
}

TEST_CASE("the run identity holds Nix, its arguments, the keyed environment and hmt's own files") {
  Fixture f;
  const InnerLoopSettings s = cache_settings(CliOptions{}, f.inputs());
  CHECK(has(s, "nix", "nix (Nix) 2.26.3"));
  CHECK(has(s, "env", "HOME=/home/u"));
  CHECK(has(s, "env", "NIX_PATH=nixpkgs=/x"));
  CHECK_FALSE(has(s, "env", "TERM=xterm"));
  CHECK_FALSE(has(s, "env", "EDITOR=vi"));
  CHECK(std::find(s.identity_files.begin(), s.identity_files.end(), "/usr/bin/hmt") != s.identity_files.end());
  CHECK(std::find(s.identity_trees.begin(), s.identity_trees.end(), "/usr/share/hmt/nix") != s.identity_trees.end());
  CHECK(s.use_verdicts);
  CHECK(s.sources == std::vector<fs::path>{f.dir.path() / "src/cases"});
}

TEST_CASE("nixpkgs through a link into the store is keyed by its store path, a checkout by its files") {
  Fixture f;
  InnerLoopSettings s = cache_settings(CliOptions{}, f.inputs());
  CHECK(has(s, "nixpkgs", (f.dir.path() / "store/abc-nixpkgs").string()));
  CHECK(s.home_manager == std::vector<fs::path>{f.dir.path() / "src/home-manager"});

  CacheInputs checkout = f.inputs();
  checkout.nixpkgs = f.dir.path() / "src/cases";
  s = cache_settings(CliOptions{}, checkout);
  CHECK(std::find(s.identity_trees.begin(), s.identity_trees.end(), f.dir.path() / "src/cases") !=
        s.identity_trees.end());
}

TEST_CASE("a --module outside the keyed trees is part of the identity, one inside is keyed with its tree") {
  Fixture f;
  CacheInputs in = f.inputs();
  in.modules = {f.dir.path() / "mods/extra.nix", f.dir.path() / "src/cases/default.nix"};
  const InnerLoopSettings s = cache_settings(CliOptions{}, in);
  CHECK(std::count(s.identity_files.begin(), s.identity_files.end(), f.dir.path() / "mods/extra.nix") == 1);
  CHECK(std::count(s.identity_files.begin(), s.identity_files.end(), f.dir.path() / "src/cases/default.nix") == 0);
}

TEST_CASE("options reach the inner loop: --no-cache, --update-golden, --shard, --warnings-as-errors") {
  Fixture f;
  CliOptions options;
  options.cache = false;
  options.update_golden = true;
  options.shard = Shard{1, 4};
  options.warnings_as_errors = true;
  const InnerLoopSettings s = cache_settings(options, f.inputs());
  CHECK_FALSE(s.use_verdicts);
  CHECK(s.failures_run);
  CHECK(s.keep_durations);
  CHECK(has(s, "warnings-as-errors", "1"));
}

TEST_CASE("only --affected and --watch ask the evaluations for their definition files") {
  Fixture f;
  CliOptions plain;
  CHECK_FALSE(cache_settings(plain, f.inputs()).record_definitions);
  CliOptions affected;
  affected.affected = "HEAD~1";
  CHECK(cache_settings(affected, f.inputs()).record_definitions);
  CliOptions watch;
  watch.watch = true;
  CHECK(cache_settings(watch, f.inputs()).record_definitions);
}
