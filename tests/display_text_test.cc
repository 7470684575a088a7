#include "harness/report/display_text.h"

#include <string>

#include "tests/catch.h"


TEST_CASE("display_text keeps UTF-8 and shows other bytes as hex escapes", "[display_text]") {
  CHECK(hmt::display_text("plain") == "plain");
  CHECK(hmt::display_text("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(hmt::display_text("caf\xE9") == "caf\\xE9");
  CHECK(hmt::display_text("\xFF\xFE name") == "\\xFF\\xFE name");
  CHECK(hmt::display_text("cut \xE2\x82") == "cut \\xE2\\x82");
  CHECK(hmt::display_text("surrogate \xED\xA0\x80") == "surrogate \\xED\\xA0\\x80");
}
