#include "harness/cli/rerun.h"

#include "tests/catch.h"

#include "harness/cli/cli.h"

using namespace hmt;

TEST_CASE("shell_quote leaves plain words alone and single-quotes the rest") {
  CHECK(shell_quote("basic") == "basic");
  CHECK(shell_quote("/nix/store/abc-x.nix") == "/nix/store/abc-x.nix");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("two words") == "'two words'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("$(rm -rf ~)") == "'$(rm -rf ~)'");
  CHECK(shell_quote("a;b|c&d") == "'a;b|c&d'");
}

TEST_CASE("glob_literal escapes what fnmatch would read as a pattern") {
  CHECK(glob_literal("plain-name") == "plain-name");
  CHECK(glob_literal("a*b?[c]\\") == "a\\*b\\?\\[c]\\\\");
  for (const std::string name : {"a*b", "x[1]", "what?", "back\\slash", "-starts-with-dash"})
    CHECK(case_matches(glob_literal(name), name));
  CHECK_FALSE(case_matches(glob_literal("a*b"), "axxb"));
}

TEST_CASE("a rerun command names the case's source and keeps the options that decide the test") {
  auto parsed = parse_cli({"--evaluator", "/e.nix", "--module", "/m.nix", "--option", "substituters", "",
                           "--jobs", "3", "--junit", "r.xml", "-I", "nixpkgs=/np"});
  REQUIRE(parsed.ok());
  std::vector<CaseEntry> cases = {{"own", "/cases/own.nix", "/cases", 0, 0},
                                  {"it's [odd]", "/src/x.nix", "/src", 1, 7}};
  auto rerun = rerun_commands(*parsed, cases, {"/cases", "/src"}, "/cases");
  CHECK(rerun("own") == "hmt --evaluator /e.nix --module /m.nix --option substituters '' -I nixpkgs=/np -- own");
  CHECK(rerun("it's [odd]") ==
        "hmt --no-default-cases --cases /src --evaluator /e.nix --module /m.nix --option substituters '' "
        "-I nixpkgs=/np -- 'it'\\''s \\[odd]'");
  CHECK(rerun("unknown").empty());
}

TEST_CASE("the rerun command parses back to the same case pattern") {
  const std::string name = "-x *y";
  auto parsed = parse_cli({"--", glob_literal(name)});
  REQUIRE(parsed.ok());
  REQUIRE(parsed->patterns.size() == 1);
  CHECK(case_matches(parsed->patterns[0], name));
}

TEST_CASE("a verified manifest reruns with --verify") {
  auto rerun = verify_rerun_commands({{"m", "/tmp/a manifest.json"}});
  CHECK(rerun("m") == "hmt --verify '/tmp/a manifest.json'");
  CHECK(rerun("n").empty());
}
