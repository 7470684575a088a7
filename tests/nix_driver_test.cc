#include "harness/nix/nix_driver.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "tests/catch.h"

#include "fake_process_runner.h"

using namespace hmt;
using hmt::testing::arg_after;
using hmt::testing::exited;
using hmt::testing::FakeLine;
using hmt::testing::FakeProcessRunner;
using hmt::testing::LineResponder;

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

// A `nix repl` running driver.nix, as far as the driver's lines go: each
// case answers with its manifest unless `said` has other words for it.
struct FakeRepl {
  std::map<std::string, FakeLine> said;  // by case name
  std::string setup_error;               // what forcing `hmt` prints
  std::vector<std::string> requests;     // the hmt.evaluate lines
  std::function<void()> on_evaluate;

  LineResponder responder() {
    return [this](const std::string& line) -> FakeLine {
      static const std::regex trace(R"re(^builtins\.trace "(.*)" null$)re");
      static const std::regex evaluate(R"re(^hmt\.evaluate(?:Hex)? (\d+) \d+ "(.*)"$)re");
      std::smatch match;
      if (std::regex_match(line, match, trace)) return {"trace: " + match[1].str() + "\n"};
      if (line == "builtins.seq hmt null") return {setup_error};
      if (line.rfind("hmt.evaluate", 0) != 0) return {};
      requests.push_back(line);
      if (on_evaluate) on_evaluate();
      if (!std::regex_match(line, match, evaluate)) return {"error: no such case\n"};
      const std::string name = match[2];
      if (said.count(name)) return said[name];
      return {fmt::format("trace: hmt: evaluated {} {{\"drv\":\"/nix/store/{}.drv\",\"out\":\"/nix/store/{}\"}}\n",
                          match[1].str(), name, name)};
    };
  }
};

struct ReplFixture {
  FakeRepl repl;
  FakeProcessRunner fake{[](const ProcessSpec&) { return exited(0, R"([{"cases":[]}])"); },
                         [this](const ProcessSpec&) { return repl.responder(); }};
  NixDriver nix{fake, settings()};
  ReplFixture() { nix.list_sources({"/c"}); }
};

}  // namespace

CaseEntry entry(std::string name, int source = 0) { return CaseEntry{std::move(name), "", "/c", source, 0}; }

TEST_CASE("an evaluator is `nix repl` with the user's Nix options, and the spec and --arg values come through its environment") {
  FakeProcessRunner fake([](const ProcessSpec&) { return exited(0, R"([{"cases":[]},{"cases":[]}])"); });
  NixSettings s = settings();
  s.default_modules = {"/hmt/own-module"};
  s.eval_args.insert(s.eval_args.end(), {"--arg", "config", "{ allowUnfree = true; }", "-I", "nixpkgs=/np"});
  NixDriver nix(fake, s);
  nix.list_sources({"/c", "/d/cases.nix"});
  const ProcessSpec spec = nix.evaluator_spec();
  CHECK(spec.argv == std::vector<std::string>{"nix", "--extra-experimental-features", "nix-command", "repl", "--show-trace",
                                              "--option", "substituters", "", "-I", "nixpkgs=/np"});
  auto json = nlohmann::json::parse(spec.env.at("HMT_SPEC"));
  CHECK(json["sources"] == nlohmann::json({"/c", "/d/cases.nix"}));
  CHECK(json["evaluator"] == "/hmt/nix/home-manager.nix");
  CHECK(json["modules"] == nlohmann::json({"/hmt/modules"}));
  CHECK(json["defaultModules"] == nlohmann::json({"/hmt/own-module"}));
  CHECK(spec.env.at("HMT_ARG_3") == "x86_64-linux");
  CHECK(spec.env.at("HMT_ARG_6") == "{ allowUnfree = true; }");
  const std::string setup = nix.evaluator_setup();
  CHECK(setup.rfind(R"(hmt = import "/hmt/nix/driver.nix" ({ spec = builtins.getEnv "HMT_SPEC"; } // {)", 0) == 0);
  CHECK(setup.find(R"("system" = builtins.getEnv "HMT_ARG_3";)") != std::string::npos);
  CHECK(setup.find(R"("config" = import (builtins.toFile "hmt-arg.nix" (builtins.getEnv "HMT_ARG_6"));)") !=
        std::string::npos);
  // The listing is one nix-instantiate, with the user's options at the end.
  const std::vector<std::string> list = fake.calls().at(0).argv;
  CHECK(list.front() == "nix-instantiate");
  CHECK(std::vector<std::string>(list.end() - 11, list.end()) == s.eval_args);
}

TEST_CASE("each case of a chunk gets its manifest or its own error, all from one evaluator") {
  ReplFixture f;
  f.repl.said["bad"] = {"trace: warning: something\nerror: attribute 'foo' missing\n\n       at /c/bad.nix:2:3:\n"};
  ChunkEvaluation chunk = f.nix.evaluate_chunk({entry("ok"), entry("bad"), entry("ok2")});
  REQUIRE(chunk.cases.size() == 3);
  REQUIRE(chunk.cases[0].manifest);
  CHECK(chunk.cases[0].manifest->drv == "/nix/store/ok.drv");
  CHECK(chunk.cases[0].manifest->out == "/nix/store/ok");
  REQUIRE(chunk.cases[1].failure);
  CHECK(chunk.cases[1].failure->kind == NixFailure::Kind::Failed);
  // The error leads; what else Nix said follows.
  CHECK(chunk.cases[1].failure->message ==
        "error: attribute 'foo' missing\n\n       at /c/bad.nix:2:3:\n\ntrace: warning: something");
  CHECK(chunk.cases[1].failure->summary == "attribute 'foo' missing at /c/bad.nix:2:3");
  REQUIRE(chunk.cases[2].manifest);
  CHECK(chunk.evaluators_started == 1);
  // The next chunk of this thread goes to the same evaluator.
  f.nix.evaluate_chunk({entry("ok3")});
  REQUIRE(f.fake.opened().size() == 1);
  CHECK(f.fake.opened()[0].env.count("XDG_DATA_HOME") == 1);  // no repl history in the user's home
  // Once the worker is done, its evaluator goes; a later chunk starts another.
  f.nix.worker_finished();
  f.nix.evaluate_chunk({entry("ok4")});
  CHECK(f.fake.opened().size() == 2);
}

TEST_CASE("an evaluator that dies on a case is replaced and only that case fails") {
  ReplFixture f;
  f.repl.said["deep"] = {"error: stack overflow (possible infinite recursion)\n", FakeLine::Then::Exits};
  ChunkEvaluation chunk = f.nix.evaluate_chunk({entry("a"), entry("deep"), entry("b")});
  REQUIRE(chunk.cases.size() == 3);
  CHECK(chunk.cases[0].manifest);
  REQUIRE(chunk.cases[1].failure);
  CHECK(chunk.cases[1].failure->message == "error: stack overflow (possible infinite recursion)");
  CHECK(chunk.cases[2].manifest);
  CHECK(chunk.evaluators_started == 2);
  CHECK(f.fake.opened().size() == 2);
}

TEST_CASE("a case that hangs times out alone and the cases after it evaluate in a fresh evaluator") {
  ReplFixture f;
  f.repl.said["slow"] = {"", FakeLine::Then::Hangs};
  ChunkEvaluation chunk = f.nix.evaluate_chunk({entry("slow"), entry("b")});
  REQUIRE(chunk.cases[0].failure);
  CHECK(chunk.cases[0].failure->kind == NixFailure::Kind::TimedOut);
  CHECK(chunk.cases[0].failure->message == "evaluating case 'slow' timed out after 30.0s and was stopped");
  CHECK(chunk.cases[1].manifest);
  CHECK(f.fake.opened().size() == 2);
}

TEST_CASE("case names reach driver.nix as Nix string literals, or by SHA-1 when they are not UTF-8") {
  ReplFixture f;
  f.nix.evaluate_chunk({entry("a\"b${x}\\\n"), entry("\xff\xfe")});
  REQUIRE(f.repl.requests.size() == 2);
  CHECK(f.repl.requests[0] == R"(hmt.evaluate 0 0 "a\"b\${x}\\\n")");
  CHECK(f.repl.requests[1].find(R"( 0 { sha1 = ")") != std::string::npos);
  CHECK(f.repl.requests[1].find("\xff") == std::string::npos);
}

TEST_CASE("a broken evaluator setup fails every case with Nix's error, and is tried once") {
  ReplFixture f;
  f.repl.setup_error = "error: syntax error, unexpected ')'\n";
  ChunkEvaluation first = f.nix.evaluate_chunk({entry("a"), entry("b")});
  ChunkEvaluation second = f.nix.evaluate_chunk({entry("c")});
  for (const auto* chunk : {&first, &second})
    for (const auto& answer : chunk->cases) {
      REQUIRE(answer.failure);
      CHECK(answer.failure->message.find("error: syntax error, unexpected ')'") != std::string::npos);
    }
  CHECK(f.fake.opened().size() == 1);
  CHECK(f.repl.requests.empty());
}

TEST_CASE("an evaluator whose memory passed the limit is replaced after its case") {
  ReplFixture f;
  f.repl.said["big"] = {R"(trace: hmt: evaluated 0 {"drv":"/nix/store/big.drv","out":"/nix/store/big"})"
                        "\n",
                        FakeLine::Then::GoesOn, 2 * 1024 * 1024};
  ChunkEvaluation chunk = f.nix.evaluate_chunk({entry("big"), entry("next")});
  REQUIRE(chunk.cases[0].manifest);  // its answer stands
  CHECK(chunk.cases[1].manifest);
  CHECK(chunk.peak_memory_kib == 2 * 1024 * 1024);
  CHECK(f.fake.opened().size() == 2);
}

TEST_CASE("one evaluation lists every source, its cases sorted by name with their file and line") {
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

TEST_CASE("a source that cannot be loaded is listed again alone for Nix's error and the others stand") {
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
  // What newer nix repl says on a pipe, between its answers.
  CHECK(summarize_nix_error("Failed tcsetattr(TCSADRAIN): Inappropriate ioctl for device\nerror: x\n") == "error: x");
}

TEST_CASE("an interrupt during a Nix call is reported as such, and no later call starts") {
  FakeProcessRunner* runner = nullptr;
  FakeProcessRunner fake([&](const ProcessSpec&) {
    runner->cancellation().cancel("hmt received SIGINT");
    return exited(1, "", "error: interrupted by the user\n");
  });
  runner = &fake;
  NixDriver nix(fake, settings());
  auto listings = nix.list_sources({"/c"});
  REQUIRE(listings[0].failure);
  CHECK(listings[0].failure->kind == NixFailure::Kind::Cancelled);
  auto build = nix.build("/nix/store/x.drv");
  REQUIRE(build);
  CHECK(build->kind == NixFailure::Kind::Cancelled);
  CHECK(fake.calls().size() == 1);
}

TEST_CASE("an interrupt while a case evaluates makes it and the rest of its chunk interrupted, and starts nothing") {
  ReplFixture f;
  f.repl.on_evaluate = [&] { f.fake.cancellation().cancel("hmt received SIGINT"); };
  f.repl.said["a"] = {"", FakeLine::Then::Hangs};
  ChunkEvaluation chunk = f.nix.evaluate_chunk({entry("a"), entry("b")});
  REQUIRE(chunk.cases.size() == 2);
  for (const auto& answer : chunk.cases) {
    REQUIRE(answer.failure);
    CHECK(answer.failure->kind == NixFailure::Kind::Cancelled);
  }
  CHECK(chunk.cases[0].failure->message == "evaluating case 'a' was interrupted");
  CHECK(f.fake.opened().size() == 1);
}

TEST_CASE("evaluators get plain text, and the user's HOME: only the repl's history goes elsewhere") {
  ::setenv("FORCE_COLOR", "1", 1);
  ReplFixture f;
  f.nix.evaluate_chunk({entry("ok")});
  ::unsetenv("FORCE_COLOR");
  REQUIRE(f.fake.opened().size() == 1);
  const ProcessSpec spec = f.fake.opened()[0];
  CHECK(spec.env.at("NO_COLOR") == "1");
  CHECK(spec.env.at("TERM") == "dumb");
  CHECK(spec.unset_env == std::set<std::string>{"CLICOLOR_FORCE", "FORCE_COLOR"});
  // Modules read HOME and XDG_CONFIG_HOME with builtins.getEnv: they stay.
  CHECK(spec.env.count("HOME") == 0);
  CHECK(spec.env.count("XDG_CONFIG_HOME") == 0);
  CHECK(spec.env.count("XDG_DATA_HOME") == 1);
  CHECK(arg_after(spec, "--extra-experimental-features") == "nix-command");
}

TEST_CASE("Lix is found by its version, and its repl is driven in its automation mode") {
  FakeProcessRunner fake([](const ProcessSpec&) { return exited(0, "nix (Lix, like Nix) 2.91.1\n"); });
  auto probe = probe_nix(fake);
  REQUIRE(probe.ok());
  CHECK(probe->lix);
  NixDriver nix(fake, settings());
  nix.use_probe(*probe);
  CHECK(arg_after(nix.evaluator_spec(), "--extra-experimental-features") == "nix-command repl-automation");

  FakeProcessRunner plain([](const ProcessSpec&) { return exited(0, "nix (Nix) 2.26.3\n"); });
  CHECK_FALSE(probe_nix(plain)->lix);
  FakeProcessRunner broken([](const ProcessSpec&) { return exited(1, "", "error: no Nix here\n"); });
  CHECK_FALSE(probe_nix(broken).ok());
}

TEST_CASE("names and text that are not UTF-8 come as hex where Nix's JSON refuses them") {
  const std::string refusal =
      "error:\n       … while calling the 'toJSON' builtin\n\n       error: JSON serialization error: "
      "[json.exception.type_error.316] invalid UTF-8 byte at index 6: 0xFF\n";
  SECTION("listing: listHex after listStrict is refused") {
    FakeProcessRunner fake([&](const ProcessSpec& call) {
      const std::string attribute = arg_after(call, "-A");
      if (attribute == "listHex") return exited(0, R"([{"cases":[{"nameHex":"6279746573ff","fileHex":"2f632f622e6e6978","line":0}]}])");
      return exited(1, "", refusal);
    });
    NixDriver nix(fake, settings());
    auto listings = nix.list_sources({"/c"});
    REQUIRE(listings[0].cases.size() == 1);
    CHECK(listings[0].cases[0].name == "bytes\xff");
    CHECK(listings[0].cases[0].file == "/c/b.nix");
  }
  SECTION("evaluating: evaluateHex after evaluate is refused") {
    ReplFixture f;
    f.repl.said["bytes"] = {refusal};
    std::vector<std::string> functions;
    f.repl.on_evaluate = [&] { functions.push_back(f.repl.requests.back().substr(0, f.repl.requests.back().find(' '))); };
    ChunkEvaluation chunk = f.nix.evaluate_chunk({entry("bytes")});
    CHECK(functions == std::vector<std::string>{"hmt.evaluate", "hmt.evaluateHex"});
  }
}
