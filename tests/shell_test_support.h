// What the shell_words and shell_expand tests share: parsing a script that
// must be inside the subset, and expanding its words with a visible
// stand-in for normalizeStorePaths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/catch.h"

#include "assertions/shell_expand.h"

namespace hmt::testing {

using Fields = std::vector<std::string>;

inline std::vector<shell::Statement> parse_ok(std::string_view script) {
  shell::ParsedScript parsed = shell::parse_script(script);
  INFO("script: " << script);
  if (parsed.unsupported) INFO("unsupported: " << parsed.unsupported->reason);
  REQUIRE_FALSE(parsed.unsupported.has_value());
  return parsed.statements;
}

// Substitutes "<normalized:ARG1,ARG2...>" so tests can see what was passed.
inline std::string fake_normalize(const Fields& args) {
  std::string text = "<normalized:";
  for (std::size_t i = 0; i < args.size(); ++i) text += (i ? "," : "") + args[i];
  return text + ">";
}

inline Fields expand(const shell::Statement& statement, const shell::Variables& variables = {}) {
  Fields fields;
  for (const auto& word : statement.words) {
    Fields more = shell::expand_word(word, variables, fake_normalize);
    fields.insert(fields.end(), more.begin(), more.end());
  }
  return fields;
}

// The fields of a one-statement script.
inline Fields fields_of(std::string_view script, const shell::Variables& variables = {}) {
  auto statements = parse_ok(script);
  REQUIRE(statements.size() == 1);
  REQUIRE(statements[0].kind == shell::Statement::Kind::Command);
  return expand(statements[0], variables);
}

}  // namespace hmt::testing
