#include "harness/pipeline/assertion_lines.h"

#include "tests/catch.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

// A home-manager style case: nmt.script in an indented string, with
// interpolations and a literal "${" escaped as "''${".
constexpr std::string_view kCase = R"(
{ config, ... }:
{
  programs.app.enable = true;
  nmt.script = ''
    assertFileExists home-files/.config/app/config
    assertFileContent \
      home-files/.config/app/config ${./expected.conf}
    assertFileRegex home-files/.config/app/env '^PATH=''${HOME}/bin$'
    assertFileExists ${config.home.profileDirectory}/bin/app
    assertFileExists home-files/.config/app/config
  '';
}
)";

// A failed assertion: only cases with one are looked up.
hmt::AssertionResult at_script_line(int line, hmt::Status status = hmt::Status::Fail) {
  hmt::AssertionResult a;
  a.name = "assertFileExists";
  a.line = line;
  a.status = status;
  return a;
}

}  // namespace

TEST_CASE("a script line maps to the source line whose literal pieces it holds", "[assertion_lines]") {
  hmt::ScriptSourceLocator locator(kCase, 1);
  CHECK(locator.line_of("assertFileContent \\") == 7);
  CHECK(locator.line_of("  home-files/.config/app/config /nix/store/abc-expected.conf") == 8);
  CHECK(locator.line_of("assertFileRegex home-files/.config/app/env '^PATH=${HOME}/bin$'") == 9);
  CHECK(locator.line_of("assertFileExists /home/hm-user/.nix-profile/bin/app") == 10);
}

TEST_CASE("repeated script lines map to their sources in order", "[assertion_lines]") {
  hmt::ScriptSourceLocator locator(kCase, 1);
  CHECK(locator.line_of("assertFileExists home-files/.config/app/config") == 6);
  CHECK(locator.line_of("assertFileExists home-files/.config/app/config") == 11);
  CHECK(locator.line_of("assertFileExists home-files/.config/app/config") == 6);
}

TEST_CASE("a line the source does not hold, or that an interpolation wrote, maps to nothing", "[assertion_lines]") {
  hmt::ScriptSourceLocator locator(kCase, 1);
  CHECK(locator.line_of("assertFileExists home-files/.config/other") == 0);
  CHECK(locator.line_of("assertFileContent") == 0);
  CHECK(locator.line_of("   ") == 0);
  // A piece must not be found twice over the same text.
  hmt::ScriptSourceLocator tight("a ${x} ab\n", 1);
  CHECK(tight.line_of("a ab") == 0);
  CHECK(tight.line_of("a x ab") == 1);
}

TEST_CASE("the search starts at an inline case's definition line", "[assertion_lines]") {
  hmt::ScriptSourceLocator locator("assertFileExists a\nother = {\n  assertFileExists a\n", 2);
  CHECK(locator.line_of("assertFileExists a") == 3);
}

TEST_CASE("assertions get the case-file line of the script line they ran from", "[assertion_lines]") {
  const auto file = std::filesystem::temp_directory_path() /
                    ("hmt-assertion-lines-" + std::to_string(::getpid()) + ".nix");
  std::ofstream(file) << kCase;
  hmt::CaseResult result;
  result.file = file.string();
  result.assertions = {at_script_line(1), at_script_line(5), at_script_line(0), at_script_line(99)};
  const std::string script =
      "assertFileExists home-files/.config/app/config\n"
      "assertFileContent \\\n"
      "  home-files/.config/app/config /nix/store/x-expected.conf\n"
      "assertFileRegex home-files/.config/app/env '^PATH=${HOME}/bin$'\n"
      "assertFileExists /nix/store/y-profile/bin/app\n";
  hmt::locate_assertions_in_case_file(result, script);
  std::filesystem::remove(file);
  CHECK(result.assertions[0].case_line == 6);
  CHECK(result.assertions[1].case_line == 10);
  CHECK(result.assertions[2].case_line == 0);
  CHECK(result.assertions[3].case_line == 0);
}

TEST_CASE("a case whose assertions all passed is not looked up", "[assertion_lines]") {
  const auto file = std::filesystem::temp_directory_path() /
                    ("hmt-assertion-lines-pass-" + std::to_string(::getpid()) + ".nix");
  std::ofstream(file) << kCase;
  hmt::CaseResult result;
  result.file = file.string();
  result.assertions = {at_script_line(1, hmt::Status::Pass), at_script_line(5, hmt::Status::Pass)};
  hmt::locate_assertions_in_case_file(result, "assertFileExists home-files/.config/app/config\n");
  std::filesystem::remove(file);
  CHECK(result.assertions[0].case_line == 0);
  CHECK(result.assertions[1].case_line == 0);
}

TEST_CASE("a case file that cannot be read leaves the lines unknown", "[assertion_lines]") {
  hmt::CaseResult result;
  result.file = "/nonexistent/hmt-case.nix";
  result.assertions = {at_script_line(1)};
  hmt::locate_assertions_in_case_file(result, "assertFileExists a\n");
  CHECK(result.assertions[0].case_line == 0);
}
