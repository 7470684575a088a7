#include "harness/cli/cli.h"

#include <algorithm>

#include "tests/catch.h"

using hmt::CliOptions;
using hmt::parse_cli;

TEST_CASE("defaults: TAP 13 on every core, the bundled cases, a timeout") {
  auto o = parse_cli({});
  REQUIRE(o.ok());
  CHECK(o->format == "tap");
  CHECK(o->tap_version == 13);
  CHECK(o->jobs >= 1);
  CHECK(o->default_cases);
  CHECK(o->timeout_seconds == 1800);
  CHECK(o->patterns.empty());
}

TEST_CASE("options and case patterns are parsed") {
  auto o = parse_cli({"--cases", "a", "--cases", "b", "--jobs", "3", "--timeout", "20", "--format", "console",
                      "--tap-version", "14", "--junit", "r.xml", "--update-golden", "--fail-fast", "-v",
                      "--home-manager", "/hm", "--nixpkgs", "/np", "basic", "ghost*"});
  REQUIRE(o.ok());
  CHECK(o->case_dirs == std::vector<std::filesystem::path>{"a", "b"});
  CHECK(o->jobs == 3);
  CHECK(o->timeout_seconds == 20);
  CHECK(o->format == "console");
  CHECK(o->tap_version == 14);
  CHECK(o->report_files.at("junit") == std::filesystem::path("r.xml"));
  CHECK(o->update_golden);
  CHECK(o->fail_fast);
  CHECK(o->verbose);
  CHECK(o->home_manager == std::filesystem::path("/hm"));
  CHECK(o->nixpkgs == std::filesystem::path("/np"));
  CHECK(o->patterns == std::vector<std::string>{"basic", "ghost*"});
}

TEST_CASE("Nix options pass through: --arg and --argstr only to evaluation") {
  auto o = parse_cli({"--option", "substituters", "", "--arg", "config", "{ }", "-I", "nixpkgs=/np",
                      "-Ihome-manager=/hm", "--argstr", "system", "x86_64-linux", "--builders", "", "case"});
  REQUIRE(o.ok());
  CHECK(o->nix_eval_args == std::vector<std::string>{"--option", "substituters", "", "--arg", "config", "{ }", "-I",
                                                     "nixpkgs=/np", "-I", "home-manager=/hm", "--argstr", "system",
                                                     "x86_64-linux", "--builders", ""});
  CHECK(o->nix_build_args == std::vector<std::string>{"--option", "substituters", "", "-I", "nixpkgs=/np", "-I",
                                                      "home-manager=/hm", "--builders", ""});
  CHECK(o->patterns == std::vector<std::string>{"case"});
}

TEST_CASE("usage errors say how to fix them") {
  auto message = [](std::vector<std::string> args) {
    auto o = parse_cli(args);
    REQUIRE_FALSE(o.ok());
    return o.error();
  };
  CHECK(message({"--format", "xml"}) == "unknown --format 'xml': use tap, console or jsonl");
  CHECK(message({"--tap-version", "12"}) == "unsupported --tap-version 12: use 13 or 14");
  CHECK(message({"--jobs", "0"}) == "--jobs must be at least 1");
  CHECK(message({"--json"}) == "--json goes with --list");
  CHECK(message({"--verify"}).find("--verify needs the manifest files") == 0);
  CHECK(message({"--option", "x"}).find("--option takes a name and a value") == 0);
  CHECK(message({"--no-such-flag"}).find("no-such-flag") != std::string::npos);
  CHECK(message({"--jobs", "many"}).find("jobs") != std::string::npos);
}

TEST_CASE("case patterns are globs") {
  CHECK(hmt::case_matches("ghost*", "ghostunnel"));
  CHECK(hmt::case_matches("basic", "basic"));
  CHECK_FALSE(hmt::case_matches("basic", "basic-2"));
  CHECK(hmt::case_matches("sub-?", "sub-a"));
}

TEST_CASE("help lists the options and the exit codes") {
  auto help = hmt::cli_help();
  for (const char* option : {"--cases", "--list", "--json", "--jobs", "--timeout", "--format", "--tap-version", "--junit",
                             "--update-golden", "--home-manager", "--nixpkgs", "--fail-fast", "--verbose", "--verify",
                             "--version", "--option NAME VALUE", "Exit status"})
    CHECK(help.find(option) != std::string::npos);
}

TEST_CASE("the shard option takes K/N and rejects anything else") {
  auto o = hmt::parse_cli({"--shard", "2/3"});
  REQUIRE(o);
  REQUIRE(o->shard);
  CHECK(o->shard->index == 2);
  CHECK(o->shard->count == 3);
  CHECK_FALSE(hmt::parse_cli({}).value().shard);
  CHECK(hmt::parse_cli({"--shard", "4/3"}).error() == "--shard 4/3: K must be between 1 and N (3)");
  CHECK_FALSE(hmt::parse_cli({"--shard", "1/2", "--verify", "m.json"}));
}

TEST_CASE("report files: --junit and --html") {
  auto o = parse_cli({"--junit", "r.xml", "--html", "r.html"});
  REQUIRE(o.ok());
  CHECK(o->report_files.at("junit") == std::filesystem::path("r.xml"));
  CHECK(o->report_files.at("html") == std::filesystem::path("r.html"));
  CHECK(parse_cli({}).value().report_files.empty());
}

TEST_CASE("after a double dash every word is a case pattern") {
  auto o = parse_cli({"--jobs", "2", "--", "--option", "-x"});
  REQUIRE(o.ok());
  CHECK(o->jobs == 2);
  CHECK(o->patterns == std::vector<std::string>{"--option", "-x"});
  CHECK(o->nix_eval_args.empty());
}

TEST_CASE("the option table has every option --help shows, and only those") {
  const std::string help = hmt::cli_help();
  const auto docs = hmt::cli_option_docs();
  for (const auto& doc : docs) {
    INFO(doc.name);
    CHECK(help.find(doc.name) != std::string::npos);
  }
  auto has = [&](const std::string& name) {
    return std::any_of(docs.begin(), docs.end(), [&](const hmt::OptionDoc& d) { return d.name == name; });
  };
  for (const char* name : {"--cases", "--html", "--junit", "--shard", "--format", "-I", "--builders", "--option"})
    CHECK(has(name));
  CHECK_FALSE(has("--help-man"));
  CHECK_FALSE(has("--positional"));
}

TEST_CASE("the option table gives short aliases, values and the few choices a value has") {
  const std::string table = hmt::cli_option_table();
  CHECK(table.find("--jobs\tN\t\tevaluator processes") != std::string::npos);
  CHECK(table.find("-j\tN\t\tevaluator processes") != std::string::npos);
  CHECK(table.find("--format\tFORMAT\ttap console jsonl\t") != std::string::npos);
  CHECK(table.find("--tap-version\tVERSION\t13 14\t") != std::string::npos);
  CHECK(table.find("--option\tNAME VALUE\t\t") != std::string::npos);
  CHECK(table.find("--list\t\t\t") != std::string::npos);
}

TEST_CASE("the hidden man page and option table flags are parsed") {
  CHECK(parse_cli({"--help-man"}).value().help_man);
  CHECK(parse_cli({"--help-options"}).value().help_options);
}

TEST_CASE("inner loop options: --no-cache, --affected, --last-failed, --failed-first, --watch") {
  auto o = parse_cli({"--affected", "origin/master", "--last-failed", "--failed-first", "--watch"});
  REQUIRE(o.ok());
  CHECK(o->cache);
  CHECK(o->affected == std::optional<std::string>("origin/master"));
  CHECK(o->last_failed);
  CHECK(o->failed_first);
  CHECK(o->watch);
  auto plain = parse_cli({});
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->affected);
  CHECK_FALSE(plain->last_failed);
  CHECK_FALSE(plain->watch);
  auto none = parse_cli({"--no-cache"});
  REQUIRE(none.ok());
  CHECK_FALSE(none->cache);
}

TEST_CASE("inner loop options that cannot work together are usage errors saying why") {
  CHECK(parse_cli({"--no-cache", "--last-failed"}).ok());
  auto verify = parse_cli({"--verify", "m.json", "--affected", "HEAD"});
  REQUIRE_FALSE(verify.ok());
  CHECK(verify.error().find("--verify") != std::string::npos);
  auto empty = parse_cli({"--affected", ""});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().find("git commit") != std::string::npos);
  CHECK_FALSE(parse_cli({"--watch", "--list"}).ok());
  CHECK_FALSE(parse_cli({"--watch", "--update-golden"}).ok());
}
