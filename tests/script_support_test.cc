#include "assertions/script_support.h"

#include <filesystem>
#include <string>

#include "tests/catch.h"

#include "tests/temp_dir.h"

using hmt::ScriptContext;
using hmt::ScriptOutcome;
using hmt::Status;

TEST_CASE("located names the case and the line it knows", "[script_support]") {
  ScriptContext context;
  CHECK(hmt::located(context, 0, "boom") == "boom");
  CHECK(hmt::located(context, 4, "boom") == "line 4: boom");
  context.case_name = "demo";
  CHECK(hmt::located(context, 0, "boom") == "demo: boom");
  CHECK(hmt::located(context, 4, "boom") == "demo, line 4: boom");
}

TEST_CASE("record keeps every result and the first script-level error", "[script_support]") {
  ScriptContext context;
  context.case_name = "demo";
  ScriptOutcome outcome;
  // An assertion's own Error is a verdict, not a script error.
  hmt::record(outcome, hmt::error_result("assertFileExists", {}, 1, "takes 1 argument(s)"), context);
  CHECK_FALSE(outcome.error.has_value());
  hmt::record(outcome, hmt::unknown_command({"assertFileExist", {"x"}, 2}), context);
  hmt::record(outcome, hmt::error_result("normalizeStorePaths", {"y"}, 3, "no such file"), context);
  REQUIRE(outcome.assertions.size() == 3);
  REQUIRE(outcome.error.has_value());
  CHECK_THAT(*outcome.error, hmt::testing::StartsWith("demo, line 2: unknown command 'assertFileExist'"));
}

TEST_CASE("a failed normalizeStorePaths becomes a script error naming it", "[script_support]") {
  ScriptContext context;
  ScriptOutcome outcome;
  hmt::record(outcome, hmt::error_result("normalizeStorePaths", {"y"}, 3, "no such file"), context);
  CHECK(outcome.error == "line 3: normalizeStorePaths failed: no such file");
}

TEST_CASE("normalize_command wants exactly one path", "[script_support]") {
  hmt::testing::TempDir dir;
  const hmt::AssertionContext context{dir.path() / "tested", dir.path() / "work", dir.path() / "store"};
  dir.write("tested/app.conf", "x\n");
  const auto none = hmt::normalize_command({}, 5, context);
  REQUIRE(none.failure.has_value());
  CHECK(none.failure->line == 5);
  CHECK(none.failure->status == Status::Error);
  CHECK_THAT(none.failure->message, hmt::testing::Contains("exactly one path, got 0"));
  const auto copy = hmt::normalize_command({"app.conf"}, 5, context);
  CHECK_FALSE(copy.failure.has_value());
  CHECK(copy.path == (dir.path() / "work/normalized/app.conf").string());
}

TEST_CASE("trimmed_output keeps the end of long output on a UTF-8 boundary", "[script_support]") {
  CHECK(hmt::trimmed_output("short\n") == "short\n");
  // 64 KiB of two-byte characters plus one byte: the cut lands mid-character.
  std::string text = "x";
  for (int i = 0; i < 32 * 1024; ++i) text += "\xC3\xA9";
  text += "END";
  const std::string trimmed = hmt::trimmed_output(text);
  CHECK_THAT(trimmed, hmt::testing::StartsWith("[... 5 bytes of earlier output cut ...]\n\xC3\xA9"));
  CHECK_THAT(trimmed, hmt::testing::EndsWith("END"));
}

TEST_CASE("input roots travel to the bash fallback's calls as one value, any bytes intact", "[script_support]") {
  const std::vector<std::filesystem::path> roots{"/src/home-manager", std::string("/odd\n\xff:dir")};
  CHECK(hmt::input_roots_from_text(hmt::input_roots_text(roots)) == roots);
  CHECK(hmt::input_roots_from_text("not json").empty());
}
