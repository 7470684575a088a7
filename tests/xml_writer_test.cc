#include "harness/report/xml_writer.h"

#include "tests/catch.h"

using namespace hmt;

TEST_CASE("xml text escapes markup and keeps line breaks") {
  CHECK(xml_text("a < b && c > \"d\"\n\te") == "a &lt; b &amp;&amp; c &gt; \"d\"\n\te");
}

TEST_CASE("xml attributes keep quotes, tabs and line breaks as references") {
  CHECK(xml_attr("say \"hi\"\n\t\r") == "say &quot;hi&quot;&#10;&#9;&#13;");
}

TEST_CASE("xml drops forbidden control characters and shows bytes that are not UTF-8 as hex escapes") {
  CHECK(xml_text(std::string("a\x01" "b\xff")) == "ab\\xFF");
}
