#include "harness/report/workflow_guard.h"

#include <ostream>
#include <sstream>
#include <string>

#include "tests/catch.h"

namespace {

// What the guard lets through, the text written in pieces of `step` bytes.
std::string guarded(const std::string& text, std::size_t step = 1000) {
  std::ostringstream sink;
  {
    hmt::WorkflowCommandGuard guard(sink.rdbuf());
    std::ostream out(&guard);
    for (std::size_t at = 0; at < text.size(); at += step) {
      out << text.substr(at, step);
      out.flush();
    }
  }
  return sink.str();
}

}  // namespace

TEST_CASE("a line that would start a workflow command has its first colon escaped", "[workflow_guard]") {
  CHECK(guarded("::stop-commands::token\n") == "\\x3A:stop-commands::token\n");
  CHECK(guarded("ok\n  ::add-mask::x\nrest\n") == "ok\n  \\x3A:add-mask::x\nrest\n");
  // Unicode's blanks are trimmed by the runner too.
  CHECK(guarded("\xC2\xA0\xE3\x80\x80::error::x\n") == "\xC2\xA0\xE3\x80\x80\\x3A:error::x\n");
  CHECK(guarded("\t\r::set-output name=a::b") == "\t\r\\x3A:set-output name=a::b");
}

TEST_CASE("everything else passes unchanged, whatever pieces it is written in", "[workflow_guard]") {
  const std::string text = "TAP version 13\n  message: \"a::b\"\n: one colon\n :x\n\xC2\xA9 ::not at the start\n\xE2\x80";
  for (std::size_t step : {1, 2, 3, 7, 1000}) {
    INFO("step " << step);
    CHECK(guarded(text, step) == text);
    CHECK(guarded("\n\n  ::x\n", step) == "\n\n  \\x3A:x\n");
  }
}

TEST_CASE("a line is a command once blanks of any kind are trimmed", "[workflow_guard]") {
  CHECK(hmt::looks_like_workflow_command("::error::x"));
  CHECK(hmt::looks_like_workflow_command(" \t\xC2\xA0\xE2\x80\x83::warning::x"));
  CHECK_FALSE(hmt::looks_like_workflow_command("x ::error::x"));
  CHECK_FALSE(hmt::looks_like_workflow_command(": :x"));
  CHECK_FALSE(hmt::looks_like_workflow_command(""));
}
