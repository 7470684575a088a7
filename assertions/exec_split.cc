#include "assertions/exec_split.h"

#include <cstdint>
#include <optional>
#include <utility>

#include <fmt/core.h>

namespace hmt {
namespace {

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::optional<int> digit_value(char c, int base) {
  int value = -1;
  if (c >= '0' && c <= '9') value = c - '0';
  else if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
  if (value < 0 || value >= base) return std::nullopt;
  return value;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// A word as the tokenizer saw it: `bare` words had no quotes or escapes,
// which is what makes a ';' word a command separator rather than an argument.
struct Word {
  std::string text;
  bool bare = true;
  std::size_t column = 0;  // 1-based, where the word starts
};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  // All words, or nullopt with error() set.
  std::optional<std::vector<Word>> words() {
    std::vector<Word> result;
    while (true) {
      while (pos_ < text_.size() && is_separator(text_[pos_])) ++pos_;
      if (pos_ == text_.size()) return result;
      auto word = next_word();
      if (!word) return std::nullopt;
      result.push_back(std::move(*word));
    }
  }

  const std::string& error() const { return error_; }

 private:
  // Quotes may open and close anywhere inside a word (a"b c"d is one word,
  // "ab cd"), as systemd's own splitter accepts; escapes work in and out of quotes.
  std::optional<Word> next_word() {
    Word word;
    word.column = pos_ + 1;
    char quote = 0;
    std::size_t quote_column = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (!quote && is_separator(c)) break;
      if (c == '\\') {
        word.bare = false;
        if (!unescape(word.text)) return std::nullopt;
        continue;
      }
      // An argv entry is a C string: a raw NUL is refused like an escaped one.
      if (c == '\0') {
        error_ = fmt::format("NUL byte at column {}", pos_ + 1);
        return std::nullopt;
      }
      ++pos_;
      if (!quote && (c == '"' || c == '\'')) {
        quote = c;
        quote_column = pos_;
        word.bare = false;
      } else if (c == quote) {
        quote = 0;
      } else {
        word.text.push_back(c);
      }
    }
    if (quote) {
      error_ = fmt::format("unterminated {} quote opened at column {}",
                           quote == '"' ? "double" : "single", quote_column);
      return std::nullopt;
    }
    return word;
  }

  // Decodes the escape sequence at pos_ (which holds the backslash).
  bool unescape(std::string& out) {
    const std::size_t column = pos_ + 1;
    ++pos_;
    if (pos_ == text_.size()) return fail(fmt::format("dangling backslash at column {}", column));
    const char kind = text_[pos_++];
    switch (kind) {
      case 'a': out.push_back('\a'); return true;
      case 'b': out.push_back('\b'); return true;
      case 'f': out.push_back('\f'); return true;
      case 'n': out.push_back('\n'); return true;
      case 'r': out.push_back('\r'); return true;
      case 't': out.push_back('\t'); return true;
      case 'v': out.push_back('\v'); return true;
      case 's': out.push_back(' '); return true;
      case '\\': case '"': case '\'': case ';': out.push_back(kind); return true;
      case 'x': return numeric_escape(out, column, 16, 2, false);
      case 'u': return numeric_escape(out, column, 16, 4, true);
      case 'U': return numeric_escape(out, column, 16, 8, true);
      default:
        if (digit_value(kind, 8)) {
          --pos_;  // the first digit belongs to the number
          return numeric_escape(out, column, 8, 3, false);
        }
        return fail(fmt::format("invalid escape sequence '\\{}' at column {}", kind, column));
    }
  }

  // \xHH and \NNN give one byte; \uXXXX and \UXXXXXXXX a code point in UTF-8.
  bool numeric_escape(std::string& out, std::size_t column, int base, int digits, bool code_point) {
    std::uint32_t value = 0;
    for (int i = 0; i < digits; ++i) {
      const auto digit = pos_ < text_.size() ? digit_value(text_[pos_], base) : std::nullopt;
      if (!digit)
        return fail(fmt::format("escape at column {} needs {} {} digits", column, digits,
                                base == 16 ? "hexadecimal" : "octal"));
      value = value * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(*digit);
      ++pos_;
    }
    // An argv entry is a C string: it cannot hold NUL.
    if (value == 0) return fail(fmt::format("escape at column {} encodes a NUL byte", column));
    if (code_point) {
      if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return fail(fmt::format("escape at column {} is not a Unicode code point", column));
      append_utf8(out, value);
    } else {
      if (value > 0xFF) return fail(fmt::format("octal escape at column {} exceeds a byte", column));
      out.push_back(static_cast<char>(value));
    }
    return true;
  }

  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

// Test harnesses replace package paths by "@pname@" placeholders, so a
// first word like "@hello@/bin/hello" is a package path, not the '@'
// prefix: systemd would reject "hello@/bin/hello" as not absolute anyway.
bool starts_with_package_placeholder(std::string_view word) {
  if (word.size() < 3 || word.front() != '@') return false;
  const std::size_t close = word.find('@', 1);
  return close != std::string_view::npos && close > 1 &&
         word.substr(1, close - 1).find('/') == std::string_view::npos &&
         (close + 1 == word.size() || word[close + 1] == '/');
}

// Moves the prefix characters off the front of a command's first word.
// '@', '-' and ':' combine with each other and with one of '+', '!', "!!".
std::optional<std::string> take_prefixes(std::string& first_word, std::string& error) {
  std::string prefixes;
  std::size_t pos = 0;
  bool privilege_prefix_seen = false;
  for (; pos < first_word.size(); ++pos) {
    const char c = first_word[pos];
    if (starts_with_package_placeholder(std::string_view(first_word).substr(pos))) break;
    if (c == '@' || c == '-' || c == ':') {
      if (prefixes.find(c) != std::string::npos) {
        error = fmt::format("prefix '{}' repeated in '{}'", c, first_word);
        return std::nullopt;
      }
      prefixes.push_back(c);
    } else if (c == '+' || c == '!') {
      if (privilege_prefix_seen) {
        error = fmt::format("conflicting privilege prefixes in '{}'", first_word);
        return std::nullopt;
      }
      privilege_prefix_seen = true;
      prefixes.push_back(c);
      if (c == '!' && pos + 1 < first_word.size() && first_word[pos + 1] == '!') {
        prefixes.push_back('!');
        ++pos;
      }
    } else {
      break;
    }
  }
  first_word.erase(0, pos);
  return prefixes;
}

// Completes COMMAND from the words collected since the last ';'.
// `separator_column` is the column of the ';' that ends it, 0 at the end of
// the line. Returns the error, empty when the command is fine.
std::string finish_command(ExecCommand& command, std::size_t separator_column) {
  if (command.argv.empty())
    return separator_column ? fmt::format("no command before the ';' at column {}", separator_column)
                            : std::string("no command after the final ';'");
  const std::string first_word = command.argv.front();
  std::string error;
  auto prefixes = take_prefixes(command.argv.front(), error);
  if (!prefixes) return error;
  if (command.argv.front().empty())
    return fmt::format("command '{}' has prefixes but no executable", first_word);
  command.prefixes = std::move(*prefixes);
  return {};
}

}  // namespace

ExecSplit split_exec_command_line(std::string_view value) {
  ExecSplit split;
  Tokenizer tokenizer(value);
  auto words = tokenizer.words();
  if (!words) {
    split.error = tokenizer.error();
    return split;
  }
  if (words->empty()) {
    split.error = "empty command line";
    return split;
  }
  ExecCommand command;
  for (auto& word : *words) {
    if (!(word.bare && word.text == ";")) {
      command.argv.push_back(std::move(word.text));
      continue;
    }
    split.error = finish_command(command, word.column);
    if (!split.ok()) break;
    split.commands.push_back(std::exchange(command, ExecCommand{}));
  }
  if (split.ok()) {
    split.error = finish_command(command, 0);
    split.commands.push_back(std::move(command));
  }
  if (!split.ok()) split.commands.clear();
  return split;
}

std::string quote_exec_word(std::string_view word) {
  std::string quoted = "\"";
  for (const char c : word) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\r': quoted += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
          quoted += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
          quoted.push_back(c);
    }
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace hmt
