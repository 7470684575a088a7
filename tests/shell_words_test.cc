#include "assertions/shell_words.h"

#include <string>
#include <vector>

#include "tests/catch.h"

#include "tests/shell_test_support.h"

using hmt::shell::ParsedScript;
using hmt::shell::Statement;
using hmt::shell::Variables;
using namespace hmt::testing;

TEST_CASE("newlines and semicolons separate commands, each with the line it starts on") {
  auto statements = parse_ok("assertFileExists a b\n\nassertX c; assertY d\n  assertZ\n");
  REQUIRE(statements.size() == 4);
  CHECK(expand(statements[0]) == Fields{"assertFileExists", "a", "b"});
  CHECK(statements[0].line == 1);
  CHECK(expand(statements[1]) == Fields{"assertX", "c"});
  CHECK(statements[1].line == 3);
  CHECK(expand(statements[2]) == Fields{"assertY", "d"});
  CHECK(statements[2].line == 3);
  CHECK(statements[3].line == 4);
}

TEST_CASE("single quotes keep everything literal, across lines too") {
  CHECK(fields_of("cmd 'a  $b \"c\" \\d'") == Fields{"cmd", "a  $b \"c\" \\d"});
  auto statements = parse_ok("cmd 'one\ntwo' x\nnext");
  REQUIRE(statements.size() == 2);
  CHECK(expand(statements[0]) == Fields{"cmd", "one\ntwo", "x"});
  CHECK(statements[1].line == 3);
}

TEST_CASE("double quotes escape only quote, backslash, dollar and backquote and expand variables without splitting") {
  CHECK(fields_of(R"(cmd "a\"b\\c\$d\`e\nf")") == Fields{"cmd", "a\"b\\c$d`e\\nf"});
  const Variables vars{{"X", "two  words"}};
  CHECK(fields_of(R"(cmd "$X" "<${X}>")", vars) == Fields{"cmd", "two  words", "<two  words>"});
  CHECK(fields_of(R"(cmd "it costs $" "$ sign")") == Fields{"cmd", "it costs $", "$ sign"});
  CHECK(fields_of("cmd \"*?[{~!\"") == Fields{"cmd", "*?[{~!"});
}

TEST_CASE("unquoted backslashes escape the next character") {
  CHECK(fields_of(R"(cmd a\ b \$X \* \'q\')") == Fields{"cmd", "a b", "$X", "*", "'q'"});
}

TEST_CASE("backslash-newline continues a command and even a word") {
  auto statements = parse_ok("assertFileContent \\\n  home-files/a \\\n  /store/b\nnext ab\\\ncd\n");
  REQUIRE(statements.size() == 2);
  CHECK(expand(statements[0]) == Fields{"assertFileContent", "home-files/a", "/store/b"});
  CHECK(statements[0].line == 1);
  CHECK(expand(statements[1]) == Fields{"next", "abcd"});
  CHECK(statements[1].line == 4);
  CHECK(fields_of("cmd \"a\\\nb\"") == Fields{"cmd", "ab"});
}

TEST_CASE("'#' starts a comment only at the start of a word") {
  auto statements = parse_ok("# heading\ncmd a # trailing ; comment\ncmd b#c;# after a separator\n");
  REQUIRE(statements.size() == 2);
  CHECK(expand(statements[0]) == Fields{"cmd", "a"});
  CHECK(statements[0].line == 2);
  CHECK(expand(statements[1]) == Fields{"cmd", "b#c"});
  CHECK(fields_of("cmd '#' \"#\" \\#x") == Fields{"cmd", "#", "#", "#x"});
}

TEST_CASE("keywords count only where a command starts") {
  CHECK(fields_of("assertFileContains f then if") == Fields{"assertFileContains", "f", "then", "if"});
  CHECK(fields_of("\"if\" x") == Fields{"if", "x"});
}

TEST_CASE("constructs outside the subset are reported with their line") {
  struct Example {
    const char* script;
    int line;
    const char* reason;
  };
  const Example examples[] = {
      {"a\nif [ -f x ]; then a; fi", 2, "keyword 'if'"},
      {"if true; then a; fi", 1, "keyword 'if'"},
      {"a\n\nfor f in a b; do a $f; done", 3, "keyword 'for'"},
      {"while true; do a; done", 1, "keyword 'while'"},
      {"case $x in a) ;; esac", 1, "keyword 'case'"},
      {"function f { a; }", 1, "keyword 'function'"},
      {"f() {\n a\n}", 1, "'('"},
      {"[[ -f x ]] && a", 1, "'['"},
      {"a x | grep y", 1, "'|'"},
      {"a x && b", 1, "'&'"},
      {"a x || b", 1, "'|'"},
      {"a x > out", 1, "'>'"},
      {"a x 2>/dev/null", 1, "'>'"},
      {"a < in", 1, "'<'"},
      {"cat <<EOF\nx\nEOF", 1, "'<'"},
      {"a `cat x`", 1, "backquoted"},
      {"a \"`cat x`\"", 1, "backquoted"},
      {"a $(grep x y)", 1, "command substitution other than"},
      {"a $(normalizeStorePaths)", 1, "exactly one"},
      {"a $(normalizeStorePaths x y)", 1, "exactly one"},
      {"a $(normalizeStorePaths x | y)", 1, "exactly one"},
      {"a $((1 + 2))", 1, "arithmetic"},
      {"a home-files/*.conf", 1, "'*'"},
      {"a file?", 1, "'?'"},
      {"a {x,y}", 1, "'{'"},
      {"a ~/x", 1, "'~'"},
      {"! a", 1, "'!'"},
      {"a $1", 1, "'$1'"},
      {"a \"$@\"", 1, "'$@'"},
      {"a ${x:-y}", 1, "${...}"},
      {"a ${#x}", 1, "${...}"},
      {"a $'x\\n'", 1, "'$''"},
      {"a 'open\nstill", 1, "unterminated single quote"},
      {"a\nb \"open\n\nstill", 2, "unterminated double quote"},
      {"a;; b", 1, "';'"},
      {"; a", 1, "';'"},
      {"x=1 a", 1, "assignment followed by more words"},
      {"x=1 y=2", 1, "assignment followed by more words"},
      {"IFS=:", 1, "IFS"},
      {"x='*.conf'", 1, "glob"},
      {"a x &", 1, "'&'"},
      {"a x \\", 1, "end of the script"},
  };
  for (const Example& example : examples) {
    INFO("script: " << example.script);
    ParsedScript parsed = hmt::shell::parse_script(example.script);
    REQUIRE(parsed.unsupported.has_value());
    CHECK(parsed.unsupported->line == example.line);
    CHECK_THAT(parsed.unsupported->reason, hmt::testing::Contains(example.reason));
    CHECK(parsed.statements.empty());
  }
}

TEST_CASE("a NUL byte makes a script unsupported") {
  const std::string script("assertFileExists a\0b", 20);
  ParsedScript parsed = hmt::shell::parse_script(script);
  REQUIRE(parsed.unsupported.has_value());
  CHECK_THAT(parsed.unsupported->reason, hmt::testing::Contains("NUL"));
}

TEST_CASE("command start lines follow continuations and quoted newlines, not comments") {
  using hmt::shell::command_start_lines;
  CHECK(command_start_lines("a\nb\n") == std::vector<int>{0, 1, 2, 3});
  CHECK(command_start_lines("a \\\n  b \\\n  c\nd") == std::vector<int>{0, 1, 1, 1, 4});
  CHECK(command_start_lines("a 'x\ny'\nb") == std::vector<int>{0, 1, 1, 3});
  CHECK(command_start_lines("a \"x\\\ny\"\nb") == std::vector<int>{0, 1, 1, 3});
  CHECK(command_start_lines("# it's\nb") == std::vector<int>{0, 1, 2});
  CHECK(command_start_lines("a b#c'\nd'") == std::vector<int>{0, 1, 1});
}
