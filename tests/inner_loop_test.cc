#include "harness/cache/inner_loop.h"

#include <filesystem>

#include "tests/catch.h"
#include "tests/fake_process_runner.h"
#include "tests/temp_dir.h"

using namespace hmt;
using hmt::testing::exited;
using hmt::testing::FakeProcessRunner;
using hmt::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// A home-manager checkout and two case sources, none of them git work
// trees (walked, no process runs), and a cache folder.
struct Fixture {
  TempDir dir;
  FakeProcessRunner processes{[](const ProcessSpec&) { return exited(127, "", "no processes in this test"); }};
  std::vector<std::string> warnings;

  Fixture() {
    dir.write("hm/modules/programs/git.nix", "{ }");
    dir.write("hm/tests/default.nix", "{ }");
    dir.write("one/default.nix", "{ a = ./a.nix; b = ./b.nix; }");
    dir.write("one/a.nix", "{ }");
    dir.write("one/b.nix", "{ }");
    dir.write("two/default.nix", "{ c = ./c.nix; }");
    dir.write("two/c.nix", "{ }");
    dir.write("outside/expected.conf", "x = 1\n");
  }

  fs::path at(const std::string& relative) const { return dir.path() / relative; }

  InnerLoopSettings settings() {
    InnerLoopSettings s;
    s.folder = at("cache");
    s.identity = {{"nix", "nix (Nix) 2.26.3"}, {"eval-args", ""}};
    s.home_manager = {at("hm")};
    s.sources = {at("one"), at("two")};
    s.warn = [this](const std::string& message) { warnings.push_back(message); };
    return s;
  }

  std::unique_ptr<InnerLoop> open(InnerLoopSettings s) {
    auto loop = InnerLoop::open(s, processes);
    if (!loop) FAIL("the inner loop did not open: " << loop.error());
    return std::move(loop).value();
  }
  std::unique_ptr<InnerLoop> open() { return open(settings()); }

  CaseEntry entry(const std::string& name, int source) const {
    return CaseEntry{name, (at(source == 0 ? "one" : "two") / (name + ".nix")).string(),
                     at(source == 0 ? "one" : "two").string(), source};
  }
};

CaseResult verdict(const std::string& name, Status status) {
  CaseResult r;
  r.name = name;
  r.status = status;
  r.reason = status == Status::Pass ? "" : "1 of 1 assertions failed";
  r.duration = std::chrono::milliseconds(40);
  r.rerun = "hmt -- " + name;
  return r;
}

CaseFacts ran(std::string script = "assertFileExists home-files/x") {
  CaseFacts facts;
  facts.ran = true;
  facts.deterministic = true;
  facts.evaluation = std::chrono::milliseconds(700);
  facts.script = std::move(script);
  facts.manifest = ManifestPaths{"/nix/store/x-manifest.drv", "/nix/store/y-manifest"};
  facts.definitions = DefinitionRecord{true, {}, {}};
  return facts;
}

// Runs `names` (source 0 unless named c) through a loop as a run would,
// each passing, and saves.
void run_once(Fixture& f, const std::vector<std::string>& names, Status status = Status::Pass) {
  auto loop = f.open();
  for (const auto& name : names) loop->finished(f.entry(name, name == "c" ? 1 : 0), verdict(name, status), ran());
  loop->save();
}

}  // namespace

TEST_CASE("a key is the same for the same inputs and differs between cases") {
  Fixture f;
  const std::string a = f.open()->case_key(f.entry("a", 0));
  CHECK(a.size() == 40);
  CHECK(f.open()->case_key(f.entry("a", 0)) == a);
  CHECK(f.open()->case_key(f.entry("b", 0)) != a);
  CaseEntry moved = f.entry("a", 0);
  moved.line = 3;
  CHECK(f.open()->case_key(moved) != a);
}

TEST_CASE("what changes a key and what does not") {
  Fixture f;
  const std::string a = f.open()->case_key(f.entry("a", 0));
  const std::string c = f.open()->case_key(f.entry("c", 1));

  SECTION("a file of the case's own source: that source's keys only") {
    f.dir.write("one/b.nix", "{ home.file.x.text = \"y\"; }");
    CHECK(f.open()->case_key(f.entry("a", 0)) != a);
    CHECK(f.open()->case_key(f.entry("c", 1)) == c);
  }
  SECTION("a new file in a source counts too") {
    f.dir.write("two/helper.nix", "{ }");
    CHECK(f.open()->case_key(f.entry("a", 0)) == a);
    CHECK(f.open()->case_key(f.entry("c", 1)) != c);
  }
  SECTION("a file of the home-manager checkout: every key") {
    f.dir.write("hm/modules/programs/git.nix", "{ lib, ... }: { }");
    CHECK(f.open()->case_key(f.entry("a", 0)) != a);
    CHECK(f.open()->case_key(f.entry("c", 1)) != c);
  }
  SECTION("the run identity (Nix, its options, the environment): every key") {
    auto s = f.settings();
    s.identity[0].second = "nix (Nix) 2.28.0";
    CHECK(f.open(s)->case_key(f.entry("a", 0)) != a);
    s = f.settings();
    s.identity.emplace_back("env", "LANG=C.UTF-8");
    CHECK(f.open(s)->case_key(f.entry("c", 1)) != c);
  }
  SECTION("an identity file (hmt's binary, a --module outside the trees): every key") {
    auto s = f.settings();
    s.identity_files = {f.at("outside/expected.conf")};
    const std::string with = f.open(s)->case_key(f.entry("a", 0));
    CHECK(with != a);
    f.dir.write("outside/expected.conf", "x = 2\n");
    CHECK(f.open(s)->case_key(f.entry("a", 0)) != with);
  }
  SECTION("a file outside every keyed tree: no key (a verdict's inputs cover it, see below)") {
    f.dir.write("outside/expected.conf", "x = 2\n");
    CHECK(f.open()->case_key(f.entry("a", 0)) == a);
    CHECK(f.open()->case_key(f.entry("c", 1)) == c);
  }
  SECTION("the cache's own folder is not an input") {
    run_once(f, {"a"});
    CHECK(f.open()->case_key(f.entry("a", 0)) == a);
  }
}

TEST_CASE("a verdict comes back marked cached, until what it depends on changes") {
  Fixture f;
  run_once(f, {"a", "b", "c"}, Status::Fail);
  auto loop = f.open();
  auto hit = loop->lookup(f.entry("a", 0));
  REQUIRE(hit);
  CHECK(hit->cached);
  CHECK(hit->status == Status::Fail);
  CHECK(hit->duration.count() == 0);
  CHECK(hit->rerun.empty());  // a run's own, not the verdict's
  CHECK(loop->lookup(f.entry("c", 1)));
  CHECK(f.warnings.empty());

  f.dir.write("one/a.nix", "{ home.file.y.text = \"z\"; }");
  auto after = f.open();
  CHECK_FALSE(after->lookup(f.entry("a", 0)));
  CHECK_FALSE(after->lookup(f.entry("b", 0)));  // same source: its tree changed
  CHECK(after->lookup(f.entry("c", 1)));
}

TEST_CASE("a file the script names outside the trees is an input of that verdict") {
  Fixture f;
  {
    auto loop = f.open();
    loop->finished(f.entry("a", 0), verdict("a", Status::Pass),
                   ran("assertFileContent home-files/x " + f.at("outside/expected.conf").string()));
    loop->finished(f.entry("b", 0), verdict("b", Status::Pass), ran());
    loop->save();
  }
  CHECK(f.open()->lookup(f.entry("a", 0)));
  f.dir.write("outside/expected.conf", "x = 2\n");
  auto loop = f.open();
  CHECK_FALSE(loop->lookup(f.entry("a", 0)));
  CHECK(loop->lookup(f.entry("b", 0)));
}

TEST_CASE("a definition file outside the trees is an input of that verdict") {
  Fixture f;
  {
    auto loop = f.open();
    CaseFacts facts = ran();
    facts.definitions = DefinitionRecord{true, {f.at("outside/expected.conf").string()}, {}};
    loop->finished(f.entry("a", 0), verdict("a", Status::Pass), facts);
    loop->save();
  }
  f.dir.write("outside/expected.conf", "x = 3\n");
  CHECK_FALSE(f.open()->lookup(f.entry("a", 0)));
}

TEST_CASE("only verdicts the inputs alone decide are kept") {
  Fixture f;
  auto loop = f.open();
  CaseFacts flaky = ran();
  flaky.deterministic = false;  // a build that failed, a tool that could not run
  flaky.manifest.reset();
  loop->finished(f.entry("a", 0), verdict("a", Status::Error), flaky);
  loop->finished(f.entry("b", 0), verdict("b", Status::Timeout), ran());
  CaseFacts not_run = ran();
  not_run.ran = false;
  loop->finished(f.entry("c", 1), verdict("c", Status::Skip), not_run);
  loop->save();
  auto again = f.open();
  CHECK_FALSE(again->lookup(f.entry("a", 0)));
  CHECK_FALSE(again->lookup(f.entry("b", 0)));
  CHECK_FALSE(again->lookup(f.entry("c", 1)));
  // The time-out's evaluation is kept: its manifest, when still in the store.
  CHECK_FALSE(again->evaluation(f.entry("b", 0)));  // /nix/store/x-manifest.drv is not there
}

TEST_CASE("with --no-cache the loop neither uses nor writes verdicts, nor the record") {
  Fixture f;
  run_once(f, {"a"}, Status::Fail);
  auto s = f.settings();
  s.use_verdicts = false;
  auto loop = f.open(s);
  CHECK_FALSE(loop->lookup(f.entry("a", 0)));
  CHECK_FALSE(loop->wants_record(f.entry("a", 0)));
  loop->finished(f.entry("a", 0), verdict("a", Status::Pass), ran());
  loop->save();
  // The record still says a failed.
  CHECK(f.open()->record().cases.at("a").status == Status::Fail);
}

TEST_CASE("under --update-golden a failed case runs again rather than take its verdict") {
  Fixture f;
  run_once(f, {"a"}, Status::Fail);
  auto s = f.settings();
  s.failures_run = true;
  CHECK_FALSE(f.open(s)->lookup(f.entry("a", 0)));
}

TEST_CASE("the record keeps each case's last verdict and durations, not under --shard") {
  Fixture f;
  run_once(f, {"a", "c"}, Status::Fail);
  auto record = f.open()->record();
  CHECK(record.cases.at("a").status == Status::Fail);
  CHECK(record.cases.at("a").evaluation_ms == 700);
  CHECK(record.cases.at("a").check_ms == 40);
  CHECK(record.cases.at("a").recorded);

  auto s = f.settings();
  s.keep_durations = true;
  {
    auto loop = f.open(s);
    CaseFacts slow = ran();
    slow.evaluation = std::chrono::milliseconds(5000);
    loop->finished(f.entry("a", 0), verdict("a", Status::Pass), slow);
    loop->save();
  }
  record = f.open()->record();
  CHECK(record.cases.at("a").status == Status::Pass);
  CHECK(record.cases.at("a").evaluation_ms == 700);
}

TEST_CASE("a case evaluated in under a millisecond still has a recorded duration, and one never evaluated has none") {
  Fixture f;
  {
    auto loop = f.open();
    CaseFacts quick = ran();
    quick.evaluation = std::chrono::milliseconds(0);
    loop->finished(f.entry("a", 0), verdict("a", Status::Pass), quick);
    CaseFacts failed = ran();
    failed.evaluation.reset();
    loop->finished(f.entry("b", 0), verdict("b", Status::Error), failed);
    loop->save();
  }
  const auto record = f.open()->record();
  CHECK(record.cases.at("a").evaluation_ms == 0);
  CHECK(record.cases.at("b").evaluation_ms == -1);
}

TEST_CASE("cases that are gone leave the record") {
  Fixture f;
  run_once(f, {"a", "b"});
  auto loop = f.open();
  loop->listing({f.entry("a", 0)});
  loop->save();
  CHECK(f.open()->record().cases.count("b") == 0);
}

TEST_CASE("a damaged verdict file: one warning naming it, and the case runs") {
  Fixture f;
  run_once(f, {"a", "b"});
  std::string key;
  {
    auto loop = f.open();
    key = loop->case_key(f.entry("a", 0));
  }
  const fs::path file = f.at("cache") / "verdicts" / key.substr(0, 2) / (key + ".json");
  REQUIRE(fs::exists(file));
  f.dir.write(file.lexically_relative(f.dir.path()), "{ cut sh");
  auto loop = f.open();
  CHECK_FALSE(loop->lookup(f.entry("a", 0)));
  CHECK_FALSE(loop->lookup(f.entry("a", 0)));
  CHECK(loop->lookup(f.entry("b", 0)));
  REQUIRE(f.warnings.size() == 1);
  CHECK(f.warnings[0] == "the cached verdict " + file.string() + " is not JSON (a damaged cache file); the case runs");
}

TEST_CASE("a damaged record: a warning, and a new record") {
  Fixture f;
  run_once(f, {"a"}, Status::Fail);
  for (const auto& file : fs::directory_iterator(f.at("cache") / "records"))
    f.dir.write(file.path().lexically_relative(f.dir.path()), "[1, 2");
  auto loop = f.open();
  CHECK(loop->record().cases.empty());
  REQUIRE(f.warnings.size() == 1);
  CHECK_THAT(f.warnings[0], hmt::testing::Contains("is not JSON (a damaged cache file); starting a new one"));
  // Verdicts do not depend on the record.
  CHECK(loop->lookup(f.entry("a", 0)));
}

TEST_CASE("a cache folder that cannot be made or written: the run goes on without it") {
  Fixture f;
  SECTION("the folder cannot be made: open fails, saying why") {
    f.dir.write("cache", "a file where the folder should be");
    auto loop = InnerLoop::open(f.settings(), f.processes);
    REQUIRE_FALSE(loop);
    CHECK_THAT(loop.error(), hmt::testing::Contains("cannot create the cache folder " + f.at("cache").string()));
  }
  SECTION("verdicts cannot be written: one warning, the verdict is not kept") {
    f.dir.write("cache/verdicts", "a file where the folder should be");
    auto loop = f.open();
    loop->finished(f.entry("a", 0), verdict("a", Status::Pass), ran());
    loop->finished(f.entry("b", 0), verdict("b", Status::Pass), ran());
    REQUIRE(f.warnings.size() == 1);
    CHECK_THAT(f.warnings[0], hmt::testing::Contains("verdicts are not kept this run: cannot write "));
    CHECK_FALSE(loop->lookup(f.entry("a", 0)));
  }
}

TEST_CASE("definitions are recorded only for --affected and --watch, and only where the record is not current") {
  Fixture f;
  // A plain run does not pay for the record.
  CHECK_FALSE(f.open()->wants_record(f.entry("a", 0)));
  auto s = f.settings();
  s.record_definitions = true;
  auto loop = f.open(s);
  CHECK(loop->wants_record(f.entry("a", 0)));
  CaseFacts facts = ran();
  facts.definitions = DefinitionRecord{true, {f.at("hm/modules/a.nix").string()}, {}};
  loop->finished(f.entry("a", 0), verdict("a", Status::Pass), facts);
  loop->save();
  auto again = f.open(s);
  CHECK_FALSE(again->wants_record(f.entry("a", 0)));
  CHECK(again->wants_record(f.entry("b", 0)));
}
