#include "harness/nix/nix_error.h"

#include <string>

#include "tests/catch.h"

using hmt::evaluation_warnings;
using hmt::read_nix_error;
using hmt::without_escape_codes;

namespace {

// What `nix repl` 2.8 wrote for a case whose evaluation failed.
const std::string kNix28 =
    "error: cannot add a string to an integer\n"
    "\n"
    "       at /src/cases/eval-error.nix:3:45:\n"
    "\n"
    "            2| {\n"
    "            3|   tested = 1 + \"x\";\n"
    "             |                                             ^\n";

// What Nix 2.26 writes for the same case evaluated through hmt's driver:
// a bare error line, the frames from the outside in (the first two in
// hmt's own files), then the innermost message.
const std::string kNix226 =
    "error:\n"
    "       \xE2\x80\xA6 while calling the 'trace' builtin\n"
    "         at /opt/hmt/nix/driver.nix:87:5:\n"
    "           86|     id: index: ref:\n"
    "           87|     builtins.trace \"hmt: evaluated\" null;\n"
    "             |     ^\n"
    "\n"
    "       \xE2\x80\xA6 while calling the 'toJSON' builtin\n"
    "         at /opt/hmt/nix/driver.nix:87:44:\n"
    "           87|     builtins.trace \"hmt: evaluated\" null;\n"
    "\n"
    "       \xE2\x80\xA6 while evaluating the attribute 'tested'\n"
    "         at /src/cases/eval-error.nix:3:3:\n"
    "            3|   tested = 1 + \"x\";\n"
    "\n"
    "       \xE2\x80\xA6 from call site\n"
    "         at \xC2\xABstring\xC2\xBB:1:1:\n"
    "            1| hmt.evaluate 0 0 \"eval-error\"\n"
    "\n"
    "       (stack trace truncated; use '--show-trace' to show the full, detailed trace)\n"
    "\n"
    "       error: cannot add a string to an integer\n"
    "       at /src/cases/eval-error.nix:3:45:\n"
    "            3|   tested = 1 + \"x\";\n"
    "             |                                             ^\n";

}  // namespace

TEST_CASE("Nix 2.8's error gives its message and position", "[nix_error]") {
  const auto error = read_nix_error(kNix28, "/opt/hmt/nix");
  CHECK(error.message == "cannot add a string to an integer");
  CHECK(error.position == "/src/cases/eval-error.nix:3:45");
  CHECK(error.text.rfind("error: cannot add a string to an integer\n", 0) == 0);
  CHECK(error.text.find("3|   tested = 1 + \"x\";") != std::string::npos);
}

TEST_CASE("Nix 2.26's error leads with the innermost message and drops hmt's own frames", "[nix_error]") {
  const auto error = read_nix_error(kNix226, "/opt/hmt/nix");
  CHECK(error.message == "cannot add a string to an integer");
  CHECK(error.position == "/src/cases/eval-error.nix:3:45");
  CHECK(error.text.rfind("error: cannot add a string to an integer\nat /src/cases/eval-error.nix:3:45:", 0) == 0);
  // The case's own frame stays; the driver's and the repl input's go.
  CHECK(error.text.find("while evaluating the attribute 'tested'") != std::string::npos);
  CHECK(error.text.find("driver.nix") == std::string::npos);
  CHECK(error.text.find("'trace' builtin") == std::string::npos);
  CHECK(error.text.find("'toJSON' builtin") == std::string::npos);
  CHECK(error.text.find("from call site") == std::string::npos);
  CHECK(error.text.find("stack trace truncated") == std::string::npos);
  CHECK(error.text.find("\nerror:\n") == std::string::npos);
}

TEST_CASE("colour codes, as Lix writes them when told to, do not hide the error", "[nix_error]") {
  const std::string coloured =
      "\x1b[31;1merror:\x1b[0m cannot add a string to an integer\n"
      "       at \x1b[35;1m/src/cases/eval-error.nix:3:45\x1b[0m:\n";
  const auto error = read_nix_error(without_escape_codes(coloured), "");
  CHECK(error.message == "cannot add a string to an integer");
  CHECK(error.position == "/src/cases/eval-error.nix:3:45");
  CHECK(without_escape_codes("a\x1b[0mb\x1b" "cc") == "abc");
}

TEST_CASE("text without an error line comes back as it was, with no message", "[nix_error]") {
  const auto error = read_nix_error("the evaluator said nothing useful\n", "/opt/hmt/nix");
  CHECK(error.message.empty());
  CHECK(error.text == "the evaluator said nothing useful\n");
}

TEST_CASE("evaluation warnings of every Nix are found, hmt's own traces are not", "[nix_error]") {
  const std::string text =
      "trace: \x1b[1;31mwarning: old lib.warn\x1b[0m\n"
      "evaluation warning: builtins.warn\n"
      "  on two lines\n"
      "trace: hmt: evaluated 3 {}\n"
      "trace: just a trace\n"
      "trace: warning: a third\n"
      "error: and then an error\n";
  CHECK(evaluation_warnings(without_escape_codes(text)) ==
        std::vector<std::string>{"old lib.warn", "builtins.warn\n  on two lines", "a third"});
  CHECK(evaluation_warnings("trace: hmt: ready\n").empty());
}

TEST_CASE("an error without a position of its own is placed by the case's frame nearest to it", "[nix_error]") {
  const std::string text =
      "error:\n"
      "       \xE2\x80\xA6 while evaluating the attribute 'tested'\n"
      "         at /src/cases/shapes.nix:20:5:\n"
      "\n"
      "       \xE2\x80\xA6 while calling the 'toJSON' builtin\n"
      "         at /opt/hmt/nix/driver.nix:87:44:\n"
      "\n"
      "       error: cannot coerce an integer to a string: 1\n";
  const auto error = read_nix_error(text, "/opt/hmt/nix");
  CHECK(error.message == "cannot coerce an integer to a string: 1");
  CHECK(error.position == "/src/cases/shapes.nix:20:5");
  CHECK(error.text.rfind("error: cannot coerce an integer to a string: 1\n\n", 0) == 0);
}
