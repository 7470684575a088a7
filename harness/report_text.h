// Text helpers shared by the reporters: UTF-8 decoding (reports must stay
// valid UTF-8 whatever bytes a tested file or Nix printed) and the one-line
// title of an assertion.
#pragma once

#include <string>
#include <string_view>

#include "assertions/result.h"

namespace hmt::report_text {

inline constexpr char32_t kReplacementChar = U'\uFFFD';

// Calls visit(code_point) for each code point of text. Bytes that are not
// well-formed UTF-8 (stray continuations, overlongs, surrogates, truncated
// sequences) each come out as U+FFFD, so callers never emit broken UTF-8.
template <class Visit>
void for_each_code_point(std::string_view text, Visit&& visit) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      visit(static_cast<char32_t>(lead));
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, cp = lead & 0x1F, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, cp = lead & 0x0F, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, cp = lead & 0x07, min = 0x10000;
    }
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    valid = valid && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (valid) {
      visit(cp);
      i += length;
    } else {
      visit(kReplacementChar);
      ++i;
    }
  }
}

inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

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
