#include "tests/catch.h"

#include <sstream>
#include <string>
#include <vector>

#include "assertions/unit_file.h"

using hmt::parse_unit_file;
using hmt::UnitFile;

namespace {

std::vector<std::string> texts(const UnitFile& unit, std::string_view section, std::string_view key) {
  std::vector<std::string> result;
  for (const auto& value : unit.values(section, key)) result.push_back(value.text);
  return result;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("sections hold their own keys", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "[Unit]\n"
      "Description=Tunnel\n"
      "\n"
      "[Service]\n"
      "Description=not the unit's\n"
      "Restart=on-failure\n");
  REQUIRE(unit.ok());
  REQUIRE(unit.sections.size() == 2);
  CHECK(unit.sections[0].name == "Unit");
  CHECK(unit.sections[1].name == "Service");
  CHECK(unit.sections[1].line == 4);
  CHECK(texts(unit, "Unit", "Description") == Strings{"Tunnel"});
  CHECK(texts(unit, "Service", "Description") == Strings{"not the unit's"});
  CHECK(texts(unit, "Unit", "Restart").empty());
  CHECK(texts(unit, "Install", "WantedBy").empty());
  CHECK(unit.find("Install") == nullptr);
}

TEST_CASE("section and key names are case-sensitive", "[unit_file]") {
  const UnitFile unit = parse_unit_file("[Service]\nType=simple\n");
  CHECK(texts(unit, "Service", "Type") == Strings{"simple"});
  CHECK(texts(unit, "service", "Type").empty());
  CHECK(texts(unit, "Service", "type").empty());
}

TEST_CASE("a repeated section header continues the same section", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "[Service]\nEnvironment=A=1\n[Unit]\nDescription=x\n[Service]\nEnvironment=B=2\n");
  REQUIRE(unit.ok());
  CHECK(unit.sections.size() == 2);
  CHECK(texts(unit, "Service", "Environment") == Strings{"A=1", "B=2"});
}

TEST_CASE("repeated keys keep every assignment in order with its line", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "[Service]\n"
      "ExecStartPre=/bin/one\n"
      "ExecStartPre=/bin/two\n"
      "ExecStartPre=/bin/three\n");
  const auto values = unit.values("Service", "ExecStartPre");
  REQUIRE(values.size() == 3);
  CHECK(values[0].text == "/bin/one");
  CHECK(values[0].line == 2);
  CHECK(values[2].text == "/bin/three");
  CHECK(values[2].line == 4);
}

TEST_CASE("an empty assignment resets the values collected so far", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "[Service]\n"
      "ExecStart=/bin/old\n"
      "ExecStart=\n"
      "ExecStart=/bin/new\n"
      "Environment=A=1\n"
      "Environment=   \n");
  REQUIRE(unit.ok());
  CHECK(texts(unit, "Service", "ExecStart") == Strings{"/bin/new"});
  CHECK(texts(unit, "Service", "Environment").empty());
  const auto* environment = unit.find("Service")->find("Environment");
  REQUIRE(environment != nullptr);
  CHECK(environment->reset_line == 6);
}

TEST_CASE("whitespace around '=' and at line ends is trimmed", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "  [Service]  \r\n"
      "\tRestart   =   always  \t\r\n"
      "Environment=\"A=spaced value\" \n");
  REQUIRE(unit.ok());
  CHECK(texts(unit, "Service", "Restart") == Strings{"always"});
  // Only the ends are trimmed: the value's inner spaces and quotes stay.
  CHECK(texts(unit, "Service", "Environment") == Strings{"\"A=spaced value\""});
}

TEST_CASE("only the first '=' separates key and value", "[unit_file]") {
  const UnitFile unit = parse_unit_file("[Service]\nEnvironment=PATH=/bin:/usr/bin\n");
  CHECK(texts(unit, "Service", "Environment") == Strings{"PATH=/bin:/usr/bin"});
}

TEST_CASE("lines starting with # or a semicolon are comments, even after indentation", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "# leading comment\n"
      "[Service]\n"
      "; Restart=no\n"
      "   # Restart=never\n"
      "\t; Type=forking\n"
      "Restart=always # not a comment here\n");
  REQUIRE(unit.ok());
  CHECK(texts(unit, "Service", "Restart") == Strings{"always # not a comment here"});
  CHECK(texts(unit, "Service", "Type").empty());
}

TEST_CASE("a trailing backslash joins the next line with a space", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "[Service]\n"
      "ExecStart=/bin/tool \\\n"
      "    --one \\\n"
      "    --two\n"
      "Restart=always\n");
  REQUIRE(unit.ok());
  const auto values = unit.values("Service", "ExecStart");
  REQUIRE(values.size() == 1);
  CHECK(values[0].text == "/bin/tool  --one  --two");
  CHECK(values[0].line == 2);
  const auto restart = unit.values("Service", "Restart");
  REQUIRE(restart.size() == 1);
  CHECK(restart[0].line == 5);
}

TEST_CASE("a backslash glued to the text still becomes one space", "[unit_file]") {
  const UnitFile unit = parse_unit_file("[Unit]\nDescription=value 3\\\n   value 3 continued\n");
  CHECK(texts(unit, "Unit", "Description") == Strings{"value 3 value 3 continued"});
}

TEST_CASE("comment lines inside a continuation are skipped", "[unit_file]") {
  const UnitFile unit = parse_unit_file(
      "[Service]\n"
      "ExecStart=/bin/tool \\\n"
      "# --disabled \\\n"
      "; --also-disabled\n"
      "  --enabled\n");
  REQUIRE(unit.ok());
  CHECK(texts(unit, "Service", "ExecStart") == Strings{"/bin/tool  --enabled"});
}

TEST_CASE("an escaped trailing backslash does not continue the line", "[unit_file]") {
  const UnitFile unit = parse_unit_file("[Service]\nEnvironment=DIR=C:\\\\\nRestart=always\n");
  REQUIRE(unit.ok());
  CHECK(texts(unit, "Service", "Environment") == Strings{"DIR=C:\\\\"});
  CHECK(texts(unit, "Service", "Restart") == Strings{"always"});
}

TEST_CASE("a continuation at the end of the file ends the value", "[unit_file]") {
  const UnitFile unit = parse_unit_file("[Service]\nExecStart=/bin/tool \\");
  REQUIRE(unit.ok());
  CHECK(texts(unit, "Service", "ExecStart") == Strings{"/bin/tool"});
}

TEST_CASE("a UTF-8 byte order mark is ignored", "[unit_file]") {
  const UnitFile unit = parse_unit_file("\xEF\xBB\xBF[Unit]\nDescription=x\n");
  REQUIRE(unit.ok());
  CHECK(unit.find("Unit") != nullptr);
}

TEST_CASE("malformed lines are reported with their line numbers", "[unit_file]") {
  SECTION("a line without '='") {
    const UnitFile unit = parse_unit_file("[Service]\nRestart=always\njust some words\n");
    REQUIRE(unit.errors.size() == 1);
    CHECK(unit.errors[0].line == 3);
    CHECK_THAT(unit.errors[0].message, hmt::testing::Contains("just some words"));
    // The rest of the file is still read.
    CHECK(texts(unit, "Service", "Restart") == Strings{"always"});
  }
  SECTION("an assignment before any section") {
    const UnitFile unit = parse_unit_file("# header\n\nDescription=x\n[Unit]\n");
    REQUIRE(unit.errors.size() == 1);
    CHECK(unit.errors[0].line == 3);
    CHECK_THAT(unit.errors[0].message, hmt::testing::Contains("outside any [Section]"));
  }
  SECTION("a broken section header") {
    const UnitFile unit = parse_unit_file("[Unit]\nDescription=x\n[Service\nType=simple\n");
    REQUIRE(unit.errors.size() == 2);
    CHECK(unit.errors[0].line == 3);
    CHECK_THAT(unit.errors[0].message, hmt::testing::Contains("invalid section header"));
    // Its assignments must not land in the previous section.
    CHECK(unit.errors[1].line == 4);
    CHECK(texts(unit, "Unit", "Type").empty());
  }
  SECTION("an empty key") {
    const UnitFile unit = parse_unit_file("[Unit]\n = value\n");
    REQUIRE(unit.errors.size() == 1);
    CHECK(unit.errors[0].line == 2);
    CHECK_THAT(unit.errors[0].message, hmt::testing::Contains("missing key"));
  }
  SECTION("a continued malformed line reports where it started") {
    const UnitFile unit = parse_unit_file("[Unit]\n\nno equals \\\n sign here\n");
    REQUIRE(unit.errors.size() == 1);
    CHECK(unit.errors[0].line == 3);
  }
}

TEST_CASE("an empty file parses to nothing", "[unit_file]") {
  const UnitFile unit = parse_unit_file("");
  CHECK(unit.ok());
  CHECK(unit.sections.empty());
}

TEST_CASE("a stream parses as its text does, BOM, continuations and errors included", "[unit_file]") {
  const std::string text =
      "\xEF\xBB\xBF[Service]\n"
      "ExecStart=/bin/a \\\n"
      "  --flag\n"
      "Environment=A=1\n"
      "broken line\n"
      "Environment=B=2";
  std::istringstream in(text);
  const UnitFile streamed = parse_unit_file(in);
  const UnitFile whole = parse_unit_file(text);
  CHECK(texts(streamed, "Service", "ExecStart") == Strings{"/bin/a  --flag"});
  CHECK(texts(streamed, "Service", "ExecStart") == texts(whole, "Service", "ExecStart"));
  CHECK(texts(streamed, "Service", "Environment") == Strings{"A=1", "B=2"});
  REQUIRE(streamed.errors.size() == 1);
  CHECK(streamed.errors[0].line == whole.errors[0].line);
  CHECK(streamed.errors[0].line == 5);
}

TEST_CASE("many keys and long continuations parse in linear time", "[unit_file]") {
  // Quadratic key lookup or re-copied continuations would take minutes here.
  std::string text = "[Service]\n";
  for (int i = 0; i < 200000; ++i) text += "Key" + std::to_string(i) + "=v\n";
  text += "Long=";
  for (int i = 0; i < 200000; ++i) text += "part \\\n";
  text += "end\n";
  const UnitFile unit = parse_unit_file(text);
  REQUIRE(unit.ok());
  CHECK(unit.sections[0].keys.size() == 200001);
  CHECK(texts(unit, "Service", "Key199999") == Strings{"v"});
  CHECK(texts(unit, "Service", "Long").front().size() == 200000 * 6 + 3);
}
