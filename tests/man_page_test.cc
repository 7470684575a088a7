#include "harness/cli/man_page.h"

#include "tests/catch.h"

using hmt::man_page;
using hmt::OptionDoc;
using hmt::roff_text;
using hmt::testing::Contains;

TEST_CASE("roff text: hyphens, backslashes and a leading dot or quote are escaped") {
  CHECK(roff_text("--jobs") == "\\-\\-jobs");
  CHECK(roff_text("a\\b") == "a\\eb");
  CHECK(roff_text(".TH\n'x") == "\\&.TH\n\\&'x");
  CHECK(roff_text("a.b") == "a.b");
}

TEST_CASE("the man page lists hmt's options and the Nix ones apart, with aliases and values") {
  const std::vector<OptionDoc> docs = {{"--jobs", "-j", "N", "", "how many", false},
                                       {"--list", "", "", "", "list them", false},
                                       {"--option", "", "NAME VALUE", "", "for Nix", true}};
  const std::string page = man_page(docs, "1.2.3");
  CHECK(page.rfind(".TH HMT 1 \"\" \"hmt 1.2.3\" \"User Commands\"\n", 0) == 0);
  CHECK_THAT(page, Contains(".TP\n\\fB\\-j\\fR, \\fB\\-\\-jobs\\fR \\fIN\\fR\nhow many\n"));
  CHECK_THAT(page, Contains(".TP\n\\fB\\-\\-list\\fR\nlist them\n"));
  const auto options = page.find(".SH OPTIONS");
  const auto nix = page.find(".SH NIX OPTIONS");
  const auto option = page.find("\\fB\\-\\-option\\fR \\fINAME VALUE\\fR");
  CHECK(options < page.find("\\-\\-list"));
  CHECK(page.find("\\-\\-list") < nix);
  CHECK(nix < option);
  CHECK_THAT(page, Contains(".SH EXIT STATUS"));
  CHECK_THAT(page, Contains("GITHUB_STEP_SUMMARY"));
}

TEST_CASE("hmt's own man page has every option of its table") {
  const auto docs = hmt::cli_option_docs();
  const std::string page = man_page(docs, "0");
  for (const auto& doc : docs) {
    INFO(doc.name);
    CHECK_THAT(page, Contains("\\fB" + roff_text(doc.name) + "\\fR"));
  }
}
