#include "tests/catch.h"

#include "tests/fuzz_inputs.h"

#include <string>
#include <vector>

#include "assertions/exec_split.h"

using hmt::ExecSplit;
using hmt::quote_exec_word;
using hmt::split_exec_command_line;

namespace {

using Strings = std::vector<std::string>;

// The argv of a line that must hold exactly one command.
Strings argv_of(std::string_view line) {
  const ExecSplit split = split_exec_command_line(line);
  INFO("line: " << line << "\nerror: " << split.error);
  REQUIRE(split.ok());
  REQUIRE(split.commands.size() == 1);
  return split.commands.front().argv;
}

std::string prefixes_of(std::string_view line) {
  const ExecSplit split = split_exec_command_line(line);
  INFO("line: " << line << "\nerror: " << split.error);
  REQUIRE(split.ok());
  REQUIRE(split.commands.size() == 1);
  return split.commands.front().prefixes;
}

std::string error_of(std::string_view line) {
  const ExecSplit split = split_exec_command_line(line);
  CHECK(split.commands.empty());
  return split.error;
}

}  // namespace

TEST_CASE("plain words split on whitespace", "[exec_split]") {
  CHECK(argv_of("/bin/echo hello world") == Strings{"/bin/echo", "hello", "world"});
  CHECK(argv_of("  /bin/echo\t\thello   world  ") == Strings{"/bin/echo", "hello", "world"});
  CHECK(argv_of("/bin/true") == Strings{"/bin/true"});
}

TEST_CASE("double quotes keep spaces in one word", "[exec_split]") {
  CHECK(argv_of(R"(/bin/echo "hello world" x)") == Strings{"/bin/echo", "hello world", "x"});
  CHECK(argv_of(R"(/bin/echo "it's")") == Strings{"/bin/echo", "it's"});
  CHECK(argv_of(R"(/bin/echo "")") == Strings{"/bin/echo", ""});
}

TEST_CASE("single quotes keep spaces in one word", "[exec_split]") {
  CHECK(argv_of("/bin/echo 'hello  world'") == Strings{"/bin/echo", "hello  world"});
  CHECK(argv_of(R"(/bin/echo 'say "hi"')") == Strings{"/bin/echo", R"(say "hi")"});
}

TEST_CASE("quotes inside a word join with the text around them", "[exec_split]") {
  CHECK(argv_of(R"(/bin/tool --name="a b"c)") == Strings{"/bin/tool", "--name=a bc"});
}

TEST_CASE("C escapes are decoded inside and outside quotes", "[exec_split]") {
  CHECK(argv_of(R"(/bin/echo "a \"quoted\" word")") == Strings{"/bin/echo", R"(a "quoted" word)"});
  CHECK(argv_of(R"(/bin/echo back\\slash)") == Strings{"/bin/echo", R"(back\slash)"});
  CHECK(argv_of(R"(/bin/echo "line\nbreak" tab\there)") == Strings{"/bin/echo", "line\nbreak", "tab\there"});
  CHECK(argv_of(R"(/bin/echo 'it\'s')") == Strings{"/bin/echo", "it's"});
  CHECK(argv_of(R"(/bin/echo one\stwo)") == Strings{"/bin/echo", "one two"});
}

TEST_CASE("hexadecimal, octal and Unicode escapes", "[exec_split]") {
  CHECK(argv_of(R"(/bin/echo \x41\x62)") == Strings{"/bin/echo", "Ab"});
  CHECK(argv_of(R"(/bin/echo "\101\040B")") == Strings{"/bin/echo", "A B"});
  CHECK(argv_of(R"(/bin/echo \u00e9)") == Strings{"/bin/echo", "\xC3\xA9"});
  CHECK(argv_of(R"(/bin/echo \U0001F600)") == Strings{"/bin/echo", "\xF0\x9F\x98\x80"});
}

TEST_CASE("bad escapes are errors", "[exec_split]") {
  CHECK_THAT(error_of(R"(/bin/echo \q)"), hmt::testing::Contains("invalid escape sequence '\\q' at column 11"));
  CHECK_THAT(error_of(R"(/bin/echo \x4)"), hmt::testing::Contains("2 hexadecimal digits"));
  CHECK_THAT(error_of(R"(/bin/echo \12)"), hmt::testing::Contains("3 octal digits"));
  CHECK_THAT(error_of(R"(/bin/echo \x00)"), hmt::testing::Contains("NUL"));
  CHECK_THAT(error_of(R"(/bin/echo \777)"), hmt::testing::Contains("exceeds a byte"));
  CHECK_THAT(error_of(R"(/bin/echo \uD800)"), hmt::testing::Contains("not a Unicode code point"));
  CHECK_THAT(error_of("/bin/echo trailing\\"), hmt::testing::Contains("dangling backslash"));
}

TEST_CASE("a backslash before a space is not an escape", "[exec_split]") {
  // "\ " is not one of systemd's escapes; "\s" is the way to write a space.
  CHECK_THAT(error_of(R"(/bin/echo escaped\ space)"), hmt::testing::Contains("invalid escape"));
}

TEST_CASE("prefixes are returned apart from the executable", "[exec_split]") {
  CHECK(prefixes_of("/bin/tool") == "");
  CHECK(prefixes_of("-/bin/tool") == "-");
  CHECK(prefixes_of("@/bin/tool tool-name --flag") == "@");
  CHECK(argv_of("@/bin/tool tool-name --flag") == Strings{"/bin/tool", "tool-name", "--flag"});
  CHECK(prefixes_of("+/bin/tool") == "+");
  CHECK(prefixes_of("!/bin/tool") == "!");
  CHECK(prefixes_of("!!/bin/tool") == "!!");
  CHECK(prefixes_of(":/bin/tool") == ":");
  CHECK(prefixes_of("-@+/bin/tool x") == "-@+");
  CHECK(argv_of("-@+/bin/tool x") == Strings{"/bin/tool", "x"});
  CHECK(prefixes_of("@-!!/bin/tool x") == "@-!!");
  // Prefixes may also sit inside the quotes nixpkgs puts around the path.
  CHECK(prefixes_of(R"("-/nix/store/x-tool/bin/tool")") == "-");
  CHECK(argv_of(R"(-"/nix/store/x-tool/bin/tool")") == Strings{"/nix/store/x-tool/bin/tool"});
}

TEST_CASE("a package placeholder is a path, not the '@' prefix", "[exec_split]") {
  CHECK(prefixes_of(R"("@hello@/bin/hello" "--flag")") == "");
  CHECK(argv_of(R"("@hello@/bin/hello" "--flag")") == Strings{"@hello@/bin/hello", "--flag"});
  CHECK(prefixes_of("-@hello@/bin/hello") == "-");
  CHECK(argv_of("-@hello@/bin/hello") == Strings{"@hello@/bin/hello"});
  // '@' before a real path is still the prefix.
  CHECK(prefixes_of("@/bin/tool tool") == "@");
  CHECK(prefixes_of("@@x@/bin/tool tool") == "@");
}

TEST_CASE("prefixes only count at the start of the executable", "[exec_split]") {
  CHECK(argv_of("/bin/tool -x @y +z") == Strings{"/bin/tool", "-x", "@y", "+z"});
  CHECK(prefixes_of("/bin/tool -x") == "");
}

TEST_CASE("bad prefixes are errors", "[exec_split]") {
  CHECK_THAT(error_of("--/bin/tool"), hmt::testing::Contains("prefix '-' repeated"));
  CHECK_THAT(error_of("+!/bin/tool"), hmt::testing::Contains("conflicting privilege prefixes"));
  CHECK_THAT(error_of("!!!/bin/tool"), hmt::testing::Contains("conflicting privilege prefixes"));
  CHECK_THAT(error_of("-@ /bin/tool"), hmt::testing::Contains("prefixes but no executable"));
}

TEST_CASE("variables and specifiers are kept literally", "[exec_split]") {
  CHECK(argv_of("/bin/tool --cert=${CREDENTIALS_DIRECTORY}/cert") ==
        Strings{"/bin/tool", "--cert=${CREDENTIALS_DIRECTORY}/cert"});
  CHECK(argv_of("/bin/tool $HOME %n %%h $$") == Strings{"/bin/tool", "$HOME", "%n", "%%h", "$$"});
  CHECK(argv_of(R"(/bin/tool "${A} $B")") == Strings{"/bin/tool", "${A} $B"});
}

TEST_CASE("JSON-quoted arguments as nixpkgs writes them", "[exec_split]") {
  const Strings argv = argv_of(
      R"("/nix/store/x-ghostunnel/bin/ghostunnel" "--disable-landlock" "server" )"
      R"("--listen" "127.0.0.1:8443" --cert=${CREDENTIALS_DIRECTORY}/cert)");
  CHECK(argv == Strings{"/nix/store/x-ghostunnel/bin/ghostunnel", "--disable-landlock", "server", "--listen",
                        "127.0.0.1:8443", "--cert=${CREDENTIALS_DIRECTORY}/cert"});
  CHECK(argv_of(R"("/bin/tool" "--json={\"a\":\"b\\\\c\"}" "tab\there")") ==
        Strings{"/bin/tool", R"(--json={"a":"b\\c"})", "tab\there"});
}

TEST_CASE("a lone semicolon separates commands", "[exec_split]") {
  const ExecSplit split = split_exec_command_line("-/bin/one a ; /bin/two b c ; @/bin/three three");
  REQUIRE(split.ok());
  REQUIRE(split.commands.size() == 3);
  CHECK(split.commands[0].prefixes == "-");
  CHECK(split.commands[0].argv == Strings{"/bin/one", "a"});
  CHECK(split.commands[1].prefixes == "");
  CHECK(split.commands[1].argv == Strings{"/bin/two", "b", "c"});
  CHECK(split.commands[2].prefixes == "@");
  CHECK(split.commands[2].argv == Strings{"/bin/three", "three"});
}

TEST_CASE("escaped, quoted or glued semicolons are arguments", "[exec_split]") {
  CHECK(argv_of(R"(/usr/bin/find . -exec rm {} \;)") == Strings{"/usr/bin/find", ".", "-exec", "rm", "{}", ";"});
  CHECK(argv_of(R"(/bin/echo ";" ';')") == Strings{"/bin/echo", ";", ";"});
  CHECK(argv_of("/bin/echo a; b;") == Strings{"/bin/echo", "a;", "b;"});
}

TEST_CASE("empty commands are errors", "[exec_split]") {
  CHECK(error_of("") == "empty command line");
  CHECK(error_of("   ") == "empty command line");
  CHECK(error_of("; /bin/one") == "no command before the ';' at column 1");
  CHECK(error_of("/bin/one ; ; /bin/two") == "no command before the ';' at column 12");
  CHECK(error_of("/bin/one ;") == "no command after the final ';'");
}

TEST_CASE("unterminated quotes are errors naming the column", "[exec_split]") {
  CHECK(error_of(R"(/bin/echo "hello)") == "unterminated double quote opened at column 11");
  CHECK(error_of("/bin/echo 'hello") == "unterminated single quote opened at column 11");
  CHECK(error_of(R"(/bin/echo "a\")") == "unterminated double quote opened at column 11");
}

TEST_CASE("quoted words split back to themselves", "[exec_split]") {
  const Strings words = {"plain", "with space", "", R"(q"u\o'te)", "new\nline\ttab", "\x01ctl", "${VAR}"};
  std::string line = "/bin/tool";
  for (const auto& word : words) line += " " + quote_exec_word(word);
  Strings expected = {"/bin/tool"};
  expected.insert(expected.end(), words.begin(), words.end());
  CHECK(argv_of(line) == expected);
  CHECK(quote_exec_word("with space") == R"("with space")");
  CHECK(quote_exec_word("\x01") == R"("\x01")");
}

TEST_CASE("inputs the fuzzer found: every word split back to itself once quoted", "[exec_split]") {
  const auto inputs = hmt::testing::fuzz_crash_inputs("exec_split");
  REQUIRE_FALSE(inputs.empty());
  for (const auto& [name, input] : inputs) {
    INFO(name);
    const hmt::ExecSplit split = hmt::split_exec_command_line(input);
    for (const auto& command : split.commands)
      for (const auto& word : command.argv) {
        const hmt::ExecSplit again = hmt::split_exec_command_line("x " + hmt::quote_exec_word(word));
        REQUIRE(again.ok());
        CHECK(again.commands.front().argv.back() == word);
      }
  }
}

TEST_CASE("a raw NUL byte is refused like an escaped one", "[exec_split]") {
  CHECK(hmt::split_exec_command_line(std::string("/bin/x \"a\0b\"", 12)).error == "NUL byte at column 10");
}
