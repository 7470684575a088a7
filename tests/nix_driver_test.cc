#include "harness/nix_driver.h"

#include <algorithm>

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

TEST_CASE("an evaluation names the driver, the attribute and a JSON spec, then the user's Nix options") {
  FakeProcessRunner fake([](const ProcessSpec&) { return exited(0); });
  NixDriver nix(fake, settings());
  auto argv = nix.evaluation_command("shard", {{"a", "/c/a.nix", "/c"}, {"b", "/d/b.nix", "/d"}, {"c", "", "/c"}});
  CHECK(argv.front() == "nix-instantiate");
  CHECK(std::find(argv.begin(), argv.end(), "--read-write-mode") != argv.end());
  ProcessSpec call;
  call.argv = argv;
  CHECK(arg_after(call, "-A") == "shard");
  auto spec = nlohmann::json::parse(arg_after(call, "spec"));
  CHECK(spec["names"] == nlohmann::json({"a", "b", "c"}));
  CHECK(spec["caseDirs"] == nlohmann::json({"/c", "/d"}));
  CHECK(spec["evaluator"] == "/hmt/nix/home-manager.nix");
  CHECK(spec["modules"] == nlohmann::json({"/hmt/modules"}));
  CHECK(std::vector<std::string>(argv.end() - 6, argv.end()) == settings().eval_args);
}

TEST_CASE("listing a folder gives its cases sorted by name") {
  FakeProcessRunner fake([](const ProcessSpec& call) {
    REQUIRE(arg_after(call, "-A") == "list");
    REQUIRE(spec_of(call)["caseDirs"] == nlohmann::json({"/cases"}));
    return exited(0, R"([{"name":"zeta","file":"/cases/z.nix","folder":"/cases"},
                         {"name":"alpha","file":"/cases/a.nix","folder":"/cases"}])");
  });
  NixDriver nix(fake, settings());
  auto cases = nix.list_cases("/cases");
  REQUIRE(cases.ok());
  REQUIRE(cases->size() == 2);
  CHECK((*cases)[0].name == "alpha");
  CHECK((*cases)[1].file == "/cases/z.nix");
  CHECK(fake.calls().front().timeout == std::chrono::milliseconds(30000));
}

TEST_CASE("a folder that does not evaluate gives Nix's error") {
  FakeProcessRunner fake([](const ProcessSpec&) {
    return exited(1, "", "error: syntax error, unexpected '}'\n       at /cases/default.nix:3:1\n");
  });
  NixDriver nix(fake, settings());
  auto cases = nix.list_cases("/cases");
  REQUIRE_FALSE(cases.ok());
  CHECK(cases.error().find("syntax error") != std::string::npos);
  CHECK(cases.error().find("/cases/default.nix:3:1") != std::string::npos);
}

TEST_CASE("a shard's answer splits into evaluated and failed cases") {
  FakeProcessRunner fake([](const ProcessSpec&) {
    return exited(0, R"({"ok":{"drvPath":"/nix/store/x-hmt-case-ok.drv"},"bad":{"failed":true}})");
  });
  NixDriver nix(fake, settings());
  auto shard = nix.evaluate_shard({{"ok", "", "/c"}, {"bad", "", "/c"}, {"absent", "", "/c"}});
  CHECK_FALSE(shard.failure.has_value());
  CHECK(shard.drv_paths == std::map<std::string, std::string>{{"ok", "/nix/store/x-hmt-case-ok.drv"}});
  CHECK(shard.failed == std::vector<std::string>{"bad", "absent"});
}

TEST_CASE("a shard that Nix could not evaluate at all is a failure of the shard") {
  FakeProcessRunner fake([](const ProcessSpec&) { return exited(1, "{\"ok\":", "error: infinite recursion encountered\n"); });
  NixDriver nix(fake, settings());
  auto shard = nix.evaluate_shard({{"ok", "", "/c"}});
  REQUIRE(shard.failure.has_value());
  CHECK(shard.failure->kind == NixFailure::Kind::Failed);
  CHECK(shard.failure->message == "error: infinite recursion encountered");
  CHECK(shard.drv_paths.empty());
}

TEST_CASE("a case evaluated alone reports Nix's own message, or a timeout") {
  SECTION("error") {
    FakeProcessRunner fake([](const ProcessSpec& call) {
      CHECK(arg_after(call, "-A") == "strict");
      return exited(1, "", "error: attribute 'foo' missing\n");
    });
    NixDriver nix(fake, settings());
    auto one = nix.evaluate_case({"broken", "/c/broken.nix", "/c"});
    REQUIRE(one.failure.has_value());
    CHECK(one.failure->message == "error: attribute 'foo' missing");
  }
  SECTION("timeout") {
    FakeProcessRunner fake([](const ProcessSpec&) { return hmt::testing::timed_out(); });
    NixDriver nix(fake, settings());
    auto one = nix.evaluate_case({"slow", "", "/c"});
    REQUIRE(one.failure.has_value());
    CHECK(one.failure->kind == NixFailure::Kind::TimedOut);
    CHECK(one.failure->message.find("timed out after 5.0s") != std::string::npos);
  }
}

TEST_CASE("a build runs nix-build on the derivation and takes the last line as the output") {
  FakeProcessRunner fake([](const ProcessSpec& call) {
    CHECK(call.argv == std::vector<std::string>{"nix-build", "--no-out-link", "/nix/store/x.drv", "--option",
                                                "substituters", ""});
    return exited(0, "/nix/store/y-hmt-case-a\n");
  });
  NixDriver nix(fake, settings());
  auto build = nix.build("/nix/store/x.drv");
  REQUIRE(build.manifest.has_value());
  CHECK(*build.manifest == "/nix/store/y-hmt-case-a");
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
  ShardEvaluation evaluation = nix.evaluate_shard({{"a", "/c/a.nix", "/c"}});
  REQUIRE(evaluation.failure);
  CHECK(evaluation.failure->kind == NixFailure::Kind::Cancelled);
  CHECK(evaluation.failure->message == "evaluating the cases was interrupted");
  CaseBuild build = nix.build("/nix/store/x.drv");
  REQUIRE(build.failure);
  CHECK(build.failure->kind == NixFailure::Kind::Cancelled);
  CHECK(fake.calls().size() == 1);
}
