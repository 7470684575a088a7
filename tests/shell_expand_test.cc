#include "assertions/shell_expand.h"

#include <string>
#include <vector>

#include "tests/catch.h"

#include "tests/shell_test_support.h"

using hmt::shell::Statement;
using hmt::shell::Variables;
using namespace hmt::testing;

TEST_CASE("unquoted expansions are split on blanks and vanish when empty") {
  const Variables vars{{"X", "a  b"}, {"PADDED", " a b "}, {"EMPTY", ""}, {"PATH_", "/t/x"}};
  CHECK(fields_of("cmd $X", vars) == Fields{"cmd", "a", "b"});
  CHECK(fields_of("cmd p${PADDED}q", vars) == Fields{"cmd", "p", "a", "b", "q"});
  CHECK(fields_of("cmd $EMPTY $UNSET end", vars) == Fields{"cmd", "end"});
  CHECK(fields_of("cmd \"\" '' \"$EMPTY\" a$EMPTY", vars) == Fields{"cmd", "", "", "", "a"});
  CHECK(fields_of("cmd $PATH_/home-files ${PATH_}suffix", vars) ==
        Fields{"cmd", "/t/x/home-files", "/t/xsuffix"});
}

TEST_CASE("NAME=value on its own is an assignment, expanded without splitting") {
  auto statements = parse_ok("dir=home-files/.config\nfile=\"$dir/a b\"$dir\nempty=\n");
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].kind == Statement::Kind::Assignment);
  CHECK(statements[0].variable == "dir");
  CHECK(statements[1].variable == "file");
  CHECK(statements[1].line == 2);
  const Variables vars{{"dir", "x y"}};
  CHECK(hmt::shell::expand_value(statements[1].value, vars, fake_normalize) == "x y/a bx y");
  CHECK(hmt::shell::expand_value(statements[2].value, vars, fake_normalize).empty());

  SECTION("a quoted or escaped name is a command, not an assignment") {
    CHECK(fields_of("\"x\"=1") == Fields{"x=1"});
    CHECK(fields_of("x\\=1") == Fields{"x=1"});
    CHECK(fields_of("cmd x=1") == Fields{"cmd", "x=1"});
  }
}

TEST_CASE("$(normalizeStorePaths WORD) substitutes the command's output") {
  const Variables vars{{"f", "home-files/a b"}};
  CHECK(fields_of("assertFileContent $(normalizeStorePaths home-files/x) /s/e", vars) ==
        Fields{"assertFileContent", "<normalized:home-files/x>", "/s/e"});
  // Unquoted, both the argument and the output are split, as bash does.
  CHECK(fields_of("cmd $(normalizeStorePaths $f)", vars) ==
        Fields{"cmd", "<normalized:home-files/a,b>"});
  CHECK(fields_of("cmd \"$(normalizeStorePaths \"$f\")\"", vars) ==
        Fields{"cmd", "<normalized:home-files/a b>"});
  CHECK(fields_of("cmd $(  normalizeStorePaths   x  )") == Fields{"cmd", "<normalized:x>"});

  auto statements = parse_ok("v=$(normalizeStorePaths x)");
  REQUIRE(statements.size() == 1);
  auto spaced = [](const Fields&) { return std::string("a  b\n\n"); };
  CHECK(hmt::shell::expand_value(statements[0].value, {}, spaced) == "a  b");
  CHECK(hmt::shell::expand_word(statements[0].value, {}, spaced) == Fields{"a", "b"});
}

TEST_CASE("literal_text and referenced_variables look into words") {
  auto statements = parse_ok("'assert'File\"Exists\" $a \"${b}\" $(normalizeStorePaths $c/x)");
  REQUIRE(statements.size() == 1);
  const auto& words = statements[0].words;
  REQUIRE(words.size() == 4);
  CHECK(hmt::shell::literal_text(words[0]) == "assertFileExists");
  CHECK_FALSE(hmt::shell::literal_text(words[1]).has_value());
  CHECK(hmt::shell::referenced_variables(words[1]) == Fields{"a"});
  CHECK(hmt::shell::referenced_variables(words[2]) == Fields{"b"});
  CHECK(hmt::shell::referenced_variables(words[3]) == Fields{"c"});
}
