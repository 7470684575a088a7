// End-to-end: text hmt does not control (file contents, Nix's errors,
// warnings) cannot command a CI runner, warnings are shown in every report,
// and --update-golden never writes outside the case's folder.
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/catch.h"
#include "tests/e2e_support.h"
#include "tests/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using hmt::ProcessResult;
using hmt::e2e::read_file;
using hmt::e2e::run_fixture;
using hmt::testing::Contains;

// The lines GitHub's runner would take for workflow commands: those that
// start with "::" once blanks (Unicode's too) are trimmed, except hmt's own
// annotations, which start at the first column.
std::vector<std::string> command_lines(std::string_view text) {
  static const std::vector<std::string_view> blanks = {" ", "\t", "\r", "\v", "\f", "\xC2\xA0", "\xC2\x85",
                                                       "\xE2\x80\x80", "\xE2\x80\x83", "\xE3\x80\x80"};
  std::vector<std::string> found;
  for (std::string_view line : hmt::e2e::lines(text)) {
    if (line.starts_with("::error ") || line.starts_with("::warning ")) continue;
    std::string_view rest = line;
    for (bool trimmed = true; trimmed;) {
      trimmed = false;
      for (auto blank : blanks)
        if (rest.starts_with(blank)) {
          rest.remove_prefix(blank.size());
          trimmed = true;
        }
    }
    if (rest.starts_with("::")) found.emplace_back(line);
  }
  return found;
}

}  // namespace

TEST_CASE("under GitHub Actions no text of a case can start a workflow command, in any format") {
  const std::map<std::string, std::string> github{{"GITHUB_ACTIONS", "true"}, {"GITHUB_WORKSPACE", HMT_SOURCE_ROOT}};
  for (const auto& format : std::vector<std::vector<std::string>>{
           {"--tap-version", "13"}, {"--tap-version", "14"}, {"--format", "console"}, {"--format", "jsonl"}}) {
    std::vector<std::string> args = format;
    args.push_back("--verbose");
    const ProcessResult r = run_fixture("hostile", args, github);
    INFO(format.back() << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_code == 1);
    CHECK(command_lines(r.out).empty());
    CHECK(command_lines(r.err).empty());
    // The text is shown, neutralized, and hmt's own annotations still come.
    CHECK_THAT(r.out + r.err, Contains("stop-commands::pwned-token"));
    CHECK_THAT(r.err, Contains("::error file=tests/fixtures/hostile/default.nix"));
    CHECK_THAT(r.err, Contains("::warning "));
  }
}

TEST_CASE("evaluation warnings are shown in every report, and --warnings-as-errors fails the case") {
  hmt::testing::TempDir dir;
  const ProcessResult tap = run_fixture("hostile", {"--junit", (dir.path() / "r.xml").string(), "warning-commands"});
  INFO(tap.out << tap.err);
  CHECK(tap.exit_code == 0);
  CHECK_THAT(tap.out, Contains("ok 1 - warning-commands\n  ---\n  warnings:\n    - warning: "));
  CHECK_THAT(read_file(dir.path() / "r.xml"), Contains("<system-err>warning: deprecated"));
  const ProcessResult tap14 = run_fixture("hostile", {"--tap-version", "14", "warning-commands"});
  CHECK_THAT(tap14.out, Contains("  warnings:\n    - warning: "));
  const ProcessResult jsonl = run_fixture("hostile", {"--format", "jsonl", "warning-commands"});
  CHECK_THAT(jsonl.out, Contains(R"("warnings":["deprecated\n)"));
  const ProcessResult console = run_fixture("hostile", {"--format", "console", "warning-commands"});
  CHECK_THAT(console.out, Contains("warning: deprecated"));
  const ProcessResult strict = run_fixture("hostile", {"--warnings-as-errors", "warning-commands"});
  CHECK(strict.exit_code == 1);
  CHECK_THAT(strict.out, Contains("not ok 1 - warning-commands"));
  CHECK_THAT(strict.out, Contains("1 evaluation warning (--warnings-as-errors)"));
}

TEST_CASE("golden updates never write through a link out of the case folder, and say so everywhere") {
  hmt::testing::TempDir dir;
  const fs::path outside = dir.path() / "outside.conf";
  const fs::path folder = dir.path() / "case";
  fs::create_directories(folder);
  std::ofstream(outside) << "stale content\n";
  fs::create_symlink(outside, folder / "golden.conf");
  fs::create_directories(folder / "trees");
  fs::copy(hmt::e2e::kFixtures + "/trees/basic", folder / "trees/basic", fs::copy_options::recursive);
  std::ofstream(folder / "default.nix") << "{ golden = ./golden.nix; }\n";
  std::ofstream(folder / "golden.nix") << "{ tested = ./trees/basic; script = ''\n"
                                          "  assertFileContent home-files/.config/app/app.conf ${./golden.conf}\n''; }\n";
  const ProcessResult r = run_fixture(folder.string(), {"--update-golden"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(read_file(outside) == "stale content\n");
  CHECK_THAT(r.out, Contains("--update-golden did not update 1 expected file"));
  CHECK_THAT(r.out, Contains("golden:\n"));
  CHECK_THAT(r.out, Contains("is a link, and --update-golden writes only the case folder's own files"));
  CHECK_THAT(r.err, Contains("hmt: --update-golden: golden: not updated: "));
}
