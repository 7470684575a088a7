// Text helpers shared by the reporters: UTF-8 decoding (reports must stay
// valid UTF-8 whatever bytes a tested file or Nix printed) and the one-line
// title of an assertion.
#pragma once

#include <string>
#include <string_view>

#include "assertions/result.h"
#include "assertions/utf8.h"

namespace hmt::report_text {

inline constexpr char32_t kReplacementChar = U'\uFFFD';

// Calls visit(code_point) for each code point of text. Bytes that are not
// well-formed UTF-8 (stray continuations, overlongs, surrogates, truncated
// sequences) each come out as U+FFFD, so callers never emit broken UTF-8.
template <class Visit>
void for_each_code_point(std::string_view text, Visit&& visit) {
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t length = utf8::sequence_at(text, i, cp);
    visit(length ? cp : kReplacementChar);
    i += length ? length : 1;
  }
}

inline void append_utf8(std::string& out, char32_t cp) { utf8::append(out, cp); }

// text with every ill-formed byte replaced by U+FFFD.
inline std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](char32_t cp) { append_utf8(out, cp); });
  return out;
}

// "assertFileContains home-files/a 'two words'": the command as a script
// would spell it, so a reader can find it in the case.
inline std::string assertion_title(const AssertionResult& assertion) {
  std::string title = assertion.name;
  for (const auto& arg : assertion.args) {
    title += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    if (plain) {
      title += arg;
      continue;
    }
    title += '\'';
    for (char c : arg) {
      if (c == '\'')
        title += "'\\''";
      else
        title += c;
    }
    title += '\'';
  }
  return title;
}

}  // namespace hmt::report_text
