#include "harness/nix_driver.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "fake_process_runner.h"

using namespace hmt;
using hmt::testing::arg_after;
using hmt::testing::exited;
using hmt::testing::FakeProcessRunner;

namespace {

NixSettings settings() {
  NixSettings s;
  s.driver = "/hmt/nix/driver.nix";
  s.evaluator = "/hmt/nix/home-manager.nix";
  s.modules = {"/hmt/modules"};
  s.eval_args = {"--option", "substituters", "", "--argstr", "system", "x86_64-linux"};
  s.build_args = {"--option", "substituters", ""};
  s.timeout = std::chrono::seconds(30);
  return s;
}

nlohmann::json spec_of(const ProcessSpec& call) { return nlohmann::json::parse(arg_after(call, "spec")); }

}  // namespace

CaseEntry entry(std::string name, int source = 0) { return CaseEntry{std::move(name), "", "/c", source, 0}; }

TEST_CASE("an evaluation names the driver, the attribute and a JSON spec, then the user's Nix options") {
  FakeProcessRunner fake([](const ProcessSpec&) { return exited(0, R"([{"cases":[]},{"cases":[]}])"); });
  NixSettings s = settings();
  s.default_modules = {"/hmt/own-module"};
  NixDriver nix(fake, s);
  nix.list_sources({"/c", "/d/cases.nix"});
  auto argv = nix.evaluation_command("chunk", {entry("a"), entry("b", 1)});
  CHECK(argv.front() == "nix-instantiate");
  CHECK(std::find(argv.begin(), argv.end(), "--read-write-mode") != argv.end());
  ProcessSpec call;
  call.argv = argv;
  CHECK(arg_after(call, "-A") == "chunk");
  auto spec = nlohmann::json::parse(arg_after(call, "spec"));
  CHECK(spec["cases"] == nlohmann::json::parse(R"([[0,"a"],[1,"b"]])"));
  CHECK(spec["sources"] == nlohmann::json({"/c", "/d/cases.nix"}));
  CHECK(spec["evaluator"] == "/hmt/nix/home-manager.nix");
  CHECK(spec["modules"] == nlohmann::json({"/hmt/modules"}));
  CHECK(spec["defaultModules"] == nlohmann::json({"/hmt/own-module"}));
  CHECK(std::vector<std::string>(argv.end() - 6, argv.end()) == settings().eval_args);
}

TEST_CASE("one evaluation lists every source; cases come sorted by name with their file and line") {
  FakeProcessRunner fake([](const ProcessSpec& call) {
    REQUIRE(arg_after(call, "-A") == "list");
    REQUIRE(spec_of(call)["sources"] == nlohmann::json({"/cases", "/more/x.nix"}));
    return exited(0, R"([{"cases":[{"name":"zeta","file":"/cases/z.nix","line":0},
                                  {"name":"alpha","file":"/cases/default.nix","line":7}]},
                        {"cases":[{"name":"x","file":"/more/x.nix","line":3}]}])");
  });
  NixDriver nix(fake, settings());
  auto listings = nix.list_sources({"/cases", "/more/x.nix"});
  REQUIRE(listings.size() == 2);
  REQUIRE(listings[0].cases.size() == 2);
  CHECK(listings[0].cases[0].name == "alpha");
  CHECK(listings[0].cases[0].line == 7);
  CHECK(listings[0].cases[0].folder == "/cases");
  CHECK(listings[0].cases[1].file == "/cases/z.nix");
  CHECK(listings[1].cases[0].source == 1);
  CHECK(fake.calls().size() == 1);
  CHECK(fake.calls().front().timeout == std::chrono::milliseconds(30000));
}

TEST_CASE("a source that cannot be loaded is listed again alone for Nix's error; the others stand") {
  SECTION("the listing aborts as a whole") {
    FakeProcessRunner fake([](const ProcessSpec& call) {
      const auto sources = spec_of(call)["sources"];
      if (arg_after(call, "-A") == "list") return exited(1, "", "error: cannot coerce a function to a string\n");
      if (sources == nlohmann::json({"/bad"}))
        return exited(1, "", "error: syntax error, unexpected '}'\n       at /bad/default.nix:3:1\n");
      return exited(0, R"([{"cases":[{"name":"a","file":"/good/a.nix","line":0}]}])");
    });
    NixDriver nix(fake, settings());
    auto listings = nix.list_sources({"/good", "/bad"});
    REQUIRE(listings[0].cases.size() == 1);
    CHECK(listings[0].cases[0].source == 0);
    REQUIRE(listings[1].failure.has_value());
    CHECK(listings[1].failure->message.find("/bad/default.nix:3:1") != std::string::npos);
    CHECK(fake.calls().size() == 3);
  }
  SECTION("one source threw inside the listing") {
    FakeProcessRunner fake([](const ProcessSpec& call) {
      if (arg_after(call, "-A") == "list")
        return exited(0, R"([{"failed":true},{"cases":[{"name":"a","file":"/good/a.nix","line":0}]}])");
      return exited(1, "", "error: hmt: /bad/default.nix gives a list\n");
    });
    NixDriver nix(fake, settings());
    auto listings = nix.list_sources({"/bad", "/good"});
    REQUIRE(listings[0].failure.has_value());
    CHECK(listings[0].failure->message == "error: hmt: /bad/default.nix gives a list");
    CHECK(listings[1].cases.at(0).source == 1);
    CHECK(fake.calls().size() == 2);
  }
}

TEST_CASE("a chunk's answer gives each case its manifest, or nothing where it threw") {
  FakeProcessRunner fake([](const ProcessSpec&) {
    return exited(0, R"([{"drv":"/nix/store/x.drv","out":"/nix/store/x"},{"failed":true}])");
  });
  NixDriver nix(fake, settings());
  auto chunk = nix.evaluate_chunk({entry("ok"), entry("bad")});
  CHECK_FALSE(chunk.failure.has_value());
  REQUIRE(chunk.cases.size() == 2);
  REQUIRE(chunk.cases[0].has_value());
  CHECK(chunk.cases[0]->drv == "/nix/store/x.drv");
  CHECK(chunk.cases[0]->out == "/nix/store/x");
  CHECK_FALSE(chunk.cases[1].has_value());
}

TEST_CASE("a chunk that Nix could not evaluate at all, or answered oddly, is a failure of the chunk") {
  SECTION("aborted") {
    FakeProcessRunner fake([](const ProcessSpec&) { return exited(1, "[", "error: infinite recursion encountered\n"); });
    NixDriver nix(fake, settings());
    auto chunk = nix.evaluate_chunk({entry("ok")});
    REQUIRE(chunk.failure.has_value());
    CHECK(chunk.failure->kind == NixFailure::Kind::Failed);
    CHECK(chunk.failure->message == "error: infinite recursion encountered");
  }
  SECTION("aborted where a case's trace says") {
    FakeProcessRunner fake([](const ProcessSpec&) {
      return exited(1, "",
                    "trace: hmt: evaluating case 0\ntrace: hmt: evaluating case 1\nerror: attribute 'x' missing\n");
    });
    NixDriver nix(fake, settings());
    auto chunk = nix.evaluate_chunk({entry("a"), entry("b"), entry("c")});
    REQUIRE(chunk.failure.has_value());
    CHECK(chunk.aborted_at == std::optional<std::size_t>(1));
    CHECK(chunk.failure->message == "error: attribute 'x' missing");
  }
  SECTION("one answer for two cases") {
    FakeProcessRunner fake([](const ProcessSpec&) { return exited(0, R"([{"failed":true}])"); });
    NixDriver nix(fake, settings());
    CHECK(nix.evaluate_chunk({entry("a"), entry("b")}).failure.has_value());
  }
}

TEST_CASE("a case evaluated alone reports Nix's own message, or a timeout") {
  SECTION("error") {
    FakeProcessRunner fake([](const ProcessSpec& call) {
      CHECK(arg_after(call, "-A") == "strict");
      return exited(1, "", "error: attribute 'foo' missing\n");
    });
    NixDriver nix(fake, settings());
    auto one = nix.evaluate_case(entry("broken"));
    REQUIRE(one.failure.has_value());
    CHECK(one.failure->message == "error: attribute 'foo' missing");
  }
  SECTION("timeout") {
    FakeProcessRunner fake([](const ProcessSpec&) { return hmt::testing::timed_out(); });
    NixDriver nix(fake, settings());
    auto one = nix.evaluate_case(entry("slow"));
    REQUIRE(one.failure.has_value());
    CHECK(one.failure->kind == NixFailure::Kind::TimedOut);
    CHECK(one.failure->message.find("timed out after 5.0s") != std::string::npos);
  }
}

TEST_CASE("a chunk's manifests are realised by one nix-build that goes on past failures, a limit per build") {
  FakeProcessRunner fake([](const ProcessSpec& call) {
    CHECK(call.argv == std::vector<std::string>{"nix-build", "--no-out-link", "--keep-going", "/nix/store/a.drv",
                                                "/nix/store/b.drv", "--option", "timeout", "30", "--option",
                                                "substituters", ""});
    // One limit per build, in case they ran one after another.
    CHECK(call.timeout == std::chrono::seconds(90));
    return exited(1, "",
                  "error: building of '/nix/store/h-slow.drv!out' from .drv file timed out after 30 seconds\n"
                  "error: build of '/nix/store/b.drv' failed\n");
  });
  NixDriver nix(fake, settings());
  auto realisation = nix.realise({"/nix/store/a.drv", "/nix/store/b.drv"});
  REQUIRE(realisation.failure.has_value());
  CHECK(realisation.failure->message.find("error: build of '/nix/store/b.drv' failed") != std::string::npos);
  CHECK(realisation.timed_out == std::vector<std::string>{"/nix/store/h-slow.drv"});
  CHECK_FALSE(nix.realise({}).failure.has_value());
  CHECK(fake.calls().size() == 1);
}

TEST_CASE("requisites lists what a derivation needs, itself included") {
  FakeProcessRunner fake([](const ProcessSpec& call) {
    CHECK(call.argv == std::vector<std::string>{"nix-store", "--query", "--requisites", "/nix/store/c.drv"});
    return exited(0, "/nix/store/dep.drv\n/nix/store/c.drv\n");
  });
  NixDriver nix(fake, settings());
  CHECK(nix.requisites("/nix/store/c.drv") == std::set<std::string>{"/nix/store/c.drv", "/nix/store/dep.drv"});
}

TEST_CASE("build progress is dropped from Nix errors and long logs keep their end") {
  std::string log = "this derivation will be built:\n  /nix/store/a.drv\nbuilding '/nix/store/a.drv'...\n";
  for (int i = 0; i < 100; ++i) log += "line " + std::to_string(i) + "\n";
  log += "error: builder for '/nix/store/a.drv' failed with exit code 1\n";
  std::string summary = summarize_nix_error(log);
  CHECK(summary.find("building '") == std::string::npos);
  CHECK(summary.find("earlier lines]") != std::string::npos);
  CHECK(summary.find("failed with exit code 1") != std::string::npos);
  CHECK(summary.find("line 99") != std::string::npos);
  CHECK(summary.find("line 3\n") == std::string::npos);
}

TEST_CASE("an interrupt during a Nix call is reported as such, and no later call starts") {
  FakeProcessRunner* runner = nullptr;
  FakeProcessRunner fake([&](const ProcessSpec&) {
    runner->cancellation().cancel("hmt received SIGINT");
    return exited(1, "", "error: interrupted by the user\n");
  });
  runner = &fake;
  NixDriver nix(fake, settings());
  ChunkEvaluation evaluation = nix.evaluate_chunk({entry("a")});
  REQUIRE(evaluation.failure);
  CHECK(evaluation.failure->kind == NixFailure::Kind::Cancelled);
  CHECK(evaluation.failure->message == "evaluating the cases was interrupted");
  auto build = nix.build("/nix/store/x.drv");
  REQUIRE(build);
  CHECK(build->kind == NixFailure::Kind::Cancelled);
  CHECK(fake.calls().size() == 1);
}
