#include "harness/report/yaml_writer.h"

#include "tests/catch.h"

using namespace hmt;

TEST_CASE("yaml fields are plain, quoted or blocks as the value needs") {
  std::string out;
  put_field(out, "  ", 2, "name", "plain text", YamlDialect::Yaml12);
  put_field(out, "  ", 2, "colon", "a: b", YamlDialect::Yaml12);
  put_field(out, "  ", 2, "bool", "yes", YamlDialect::Yaml12);
  put_field(out, "  ", 2, "lines", "one\ntwo", YamlDialect::Yaml12);
  put_field(out, "  ", 2, "tap13", "one\ntwo", YamlDialect::ProveYamlish);
  put_field(out, "  ", 2, "error", "one line", YamlDialect::Yaml12, YamlStyle::PreferBlock);
  put_number(out, "  ", "line", 7);
  CHECK(out ==
        "  name: plain text\n"
        "  colon: \"a: b\"\n"
        "  bool: \"yes\"\n"
        "  lines: |-\n    one\n    two\n"
        "  tap13: |\n    one\n    two\n"
        "  error: |-\n    one line\n"
        "  line: 7\n");
}

TEST_CASE("yaml control characters are escaped and bytes that are not UTF-8 show as hex escapes") {
  std::string out;
  put_field(out, "", 0, "v", std::string("bell\x07 \xff"), YamlDialect::Yaml12);
  CHECK(out == "v: \"bell\\x07 \\\\xFF\"\n");
}

TEST_CASE("text with a line a CI would take for a command is double-quoted, never a block") {
  std::string out;
  hmt::put_field(out, "  ", 2, "actual", "greeting = hello\n::stop-commands::token\n", hmt::YamlDialect::Yaml12);
  CHECK(out == "  actual: \"greeting = hello\\n::stop-commands::token\\n\"\n");
  out.clear();
  hmt::put_field(out, "  ", 2, "message", "a\n\xC2\xA0 ::add-mask::x", hmt::YamlDialect::ProveYamlish);
  CHECK(out.find("\n  \xC2\xA0") == std::string::npos);
  CHECK(out.rfind("  message: \"", 0) == 0);
}
