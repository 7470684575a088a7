#include "assertions/shell_words.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/core.h>

namespace hmt::shell {

namespace {

using Kind = WordPart::Kind;

// Words that start a compound command or a function when they come first.
constexpr std::array<std::string_view, 17> kReservedWords{
    "if", "then", "else", "elif", "fi",       "for",    "in",   "while", "until",
    "do", "done", "case", "esac", "function", "select", "time", "coproc"};

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_field_separator(char c) { return is_blank(c) || c == '\n'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_name(std::string_view text) {
  return !text.empty() && is_name_start(text.front()) &&
         std::all_of(text.begin(), text.end(), is_name_char);
}

bool has_glob_character(std::string_view text) {
  return text.find_first_of("*?[") != std::string_view::npos;
}

// A reserved word where a command starts opens a compound command (checked
// as soon as the word ends, so the reason names the keyword).
bool is_keyword(const Word& word) {
  return word.parts.size() == 1 && word.parts[0].kind == Kind::Literal && !word.parts[0].quoted &&
         std::find(kReservedWords.begin(), kReservedWords.end(), word.parts[0].text) !=
             kReservedWords.end();
}

void append_literal(std::vector<WordPart>& parts, std::string_view text, bool quoted) {
  if (!parts.empty() && parts.back().kind == Kind::Literal && parts.back().quoted == quoted) {
    parts.back().text += text;
    return;
  }
  WordPart part;
  part.text = std::string(text);
  part.quoted = quoted;
  parts.push_back(std::move(part));
}

// `NAME=rest...` as the first word: the name and the value's parts.
std::optional<std::pair<std::string, Word>> split_assignment(const Word& word) {
  if (word.parts.empty()) return std::nullopt;
  const WordPart& head = word.parts.front();
  if (head.kind != Kind::Literal || head.quoted) return std::nullopt;
  const std::size_t equals = head.text.find('=');
  if (equals == std::string::npos || !is_name(std::string_view(head.text).substr(0, equals)))
    return std::nullopt;
  Word value;
  if (equals + 1 < head.text.size()) append_literal(value.parts, head.text.substr(equals + 1), false);
  value.parts.insert(value.parts.end(), word.parts.begin() + 1, word.parts.end());
  return std::pair{head.text.substr(0, equals), std::move(value)};
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  ParsedScript parse() {
    ParsedScript result;
    if (text_.find('\0') != std::string_view::npos) fail_at(1, "a NUL byte");
    std::vector<Word> words;
    int statement_line = 0;
    auto finish = [&] {
      const bool ok = finish_statement(words, statement_line, result.statements);
      words.clear();
      return ok;
    };
    while (!unsupported_) {
      skip_blanks();
      if (at_end()) {
        finish();
        break;
      }
      const char c = peek();
      if (c == '#') {
        skip_comment();
      } else if (c == '\n') {
        if (!finish()) break;
        advance();
      } else if (c == ';') {
        if (words.empty()) {
          fail("';' with no command before it");
          break;
        }
        if (!finish()) break;
        advance();
      } else {
        if (words.empty()) statement_line = line_;
        Word word;
        if (!parse_word(word, false)) break;
        words.push_back(std::move(word));
        if (words.size() == 1 && is_keyword(words.front())) {
          fail_at(statement_line, fmt::format("the keyword '{}'", words.front().parts[0].text));
          break;
        }
      }
    }
    result.unsupported = unsupported_;
    if (unsupported_) result.statements.clear();
    return result;
  }

 private:
  bool at_end(std::size_t ahead = 0) const { return pos_ + ahead >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return at_end(ahead) ? '\0' : text_[pos_ + ahead]; }
  bool at_continuation() const { return peek() == '\\' && peek(1) == '\n'; }

  void advance(std::size_t count = 1) {
    for (; count > 0 && !at_end(); --count, ++pos_)
      if (text_[pos_] == '\n') ++line_;
  }

  // Records the first unsupported construct; returns false so callers can
  // write `return fail(...)`.
  bool fail_at(int line, std::string reason) {
    if (!unsupported_) unsupported_ = Unsupported{line, std::move(reason)};
    return false;
  }
  bool fail(std::string reason) { return fail_at(line_, std::move(reason)); }

  void skip_blanks() {
    while (is_blank(peek()) || at_continuation()) advance(at_continuation() ? 2 : 1);
  }

  void skip_comment() {
    while (!at_end() && peek() != '\n') advance();
  }

  std::string read_name() {
    std::string name;
    while (is_name_char(peek())) {
      name += peek();
      advance();
    }
    return name;
  }

  // Reads one word up to a blank, newline or ';' (or ')' inside a command
  // substitution), rejecting every character bash gives a meaning of its own.
  bool parse_word(Word& word, bool in_substitution) {
    while (!at_end()) {
      const char c = peek();
      if (is_field_separator(c) || c == ';' || (in_substitution && c == ')')) return true;
      switch (c) {
        case '|':
        case '&':
        case '<':
        case '>':
        case '(':
        case ')':
          return fail(fmt::format("'{}' (pipes, lists, redirections, subshells, functions)", c));
        case '`':
          return fail("a backquoted command substitution");
        case '*':
        case '?':
        case '[':
          return fail(fmt::format("an unquoted '{}' (a glob pattern to bash)", c));
        case '{':
        case '}':
          return fail(fmt::format("an unquoted '{}' (brace expansion or a group)", c));
        case '~':
          return fail("an unquoted '~' (tilde expansion)");
        case '!':
          return fail("an unquoted '!' (negation)");
        case '\\':
          if (peek(1) == '\n') {
            advance(2);
          } else if (at_end(1)) {
            return fail("a '\\' at the end of the script");
          } else {
            append_literal(word.parts, text_.substr(pos_ + 1, 1), true);
            advance(2);
          }
          break;
        case '\'':
          if (!parse_single_quoted(word)) return false;
          break;
        case '"':
          if (!parse_double_quoted(word)) return false;
          break;
        case '$':
          if (!parse_dollar(word, false)) return false;
          break;
        default:
          append_literal(word.parts, text_.substr(pos_, 1), false);
          advance();
      }
    }
    return true;
  }

  bool parse_single_quoted(Word& word) {
    const int start_line = line_;
    const std::size_t close = text_.find('\'', pos_ + 1);
    if (close == std::string_view::npos) return fail_at(start_line, "an unterminated single quote");
    append_literal(word.parts, text_.substr(pos_ + 1, close - pos_ - 1), true);
    advance(close + 1 - pos_);
    return true;
  }

  bool parse_double_quoted(Word& word) {
    const int start_line = line_;
    advance();
    append_literal(word.parts, "", true);  // "" still makes a (empty) field
    while (!at_end()) {
      const char c = peek();
      if (c == '"') {
        advance();
        return true;
      }
      if (c == '`') return fail("a backquoted command substitution");
      if (c == '$') {
        if (!parse_dollar(word, true)) return false;
        continue;
      }
      if (c == '\\') {
        const char next = peek(1);
        if (next == '\n') {
          advance(2);
          continue;
        }
        if (next == '"' || next == '\\' || next == '$' || next == '`') {
          append_literal(word.parts, text_.substr(pos_ + 1, 1), true);
          advance(2);
          continue;
        }
      }
      append_literal(word.parts, text_.substr(pos_, 1), true);
      advance();
    }
    return fail_at(start_line, "an unterminated double quote");
  }

  bool parse_dollar(Word& word, bool quoted) {
    const char next = peek(1);
    if (is_name_start(next)) {
      advance();
      WordPart part;
      part.kind = Kind::Variable;
      part.text = read_name();
      part.quoted = quoted;
      if (at_continuation()) return fail("a line continuation inside a variable name");
      word.parts.push_back(std::move(part));
      return true;
    }
    if (next == '{') {
      advance(2);
      WordPart part;
      part.kind = Kind::Variable;
      part.text = read_name();
      part.quoted = quoted;
      if (!is_name(part.text) || peek() != '}')
        return fail("a ${...} expansion other than ${NAME}");
      advance();
      word.parts.push_back(std::move(part));
      return true;
    }
    if (next == '(') {
      if (peek(2) == '(') return fail("a $((...)) arithmetic expansion");
      return parse_substitution(word, quoted);
    }
    // A '$' nothing can follow stays a plain character.
    if (at_end(1) || is_field_separator(next) || next == ';' || (quoted && next == '"')) {
      append_literal(word.parts, "$", quoted);
      advance();
      return true;
    }
    return fail(fmt::format("'${}' (a special parameter or another expansion)", next));
  }

  // $(normalizeStorePaths WORD), the only command substitution hmt runs itself.
  bool parse_substitution(Word& word, bool quoted) {
    const int start_line = line_;
    advance(2);
    skip_blanks();
    Word command;
    if (peek() != '#' && !parse_word(command, true)) return false;
    if (literal_text(command) != "normalizeStorePaths")
      return fail_at(start_line, "a command substitution other than $(normalizeStorePaths FILE)");
    skip_blanks();
    const char next = peek();
    if (at_end() || next == ')' || next == '#' || next == '\n' || next == ';')
      return fail_at(start_line, "$(normalizeStorePaths) without exactly one plain FILE word");
    Word argument;
    if (!parse_word(argument, true)) return false;
    skip_blanks();
    if (peek() != ')')
      return fail_at(start_line, "$(normalizeStorePaths) without exactly one plain FILE word");
    advance();
    WordPart part;
    part.kind = Kind::NormalizeStorePaths;
    part.quoted = quoted;
    part.argument = std::move(argument.parts);
    word.parts.push_back(std::move(part));
    return true;
  }

  bool finish_statement(std::vector<Word>& words, int line, std::vector<Statement>& statements) {
    if (words.empty()) return true;
    const Word& first = words.front();
    Statement statement;
    statement.line = line;
    if (auto assignment = split_assignment(first)) {
      auto& [name, value] = *assignment;
      if (words.size() > 1)
        return fail_at(line, "an assignment followed by more words on the same command");
      if (name == "IFS") return fail_at(line, "an assignment to IFS (it changes word splitting)");
      for (const WordPart& part : value.parts)
        if (part.kind == Kind::Literal && has_glob_character(part.text))
          return fail_at(line, "an assigned value with glob characters (bash may expand them later)");
      statement.kind = Statement::Kind::Assignment;
      statement.variable = std::move(name);
      statement.value = std::move(value);
    } else {
      statement.words = std::move(words);
    }
    statements.push_back(std::move(statement));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::optional<Unsupported> unsupported_;
};

void collect_variables(const std::vector<WordPart>& parts, std::vector<std::string>& names) {
  for (const WordPart& part : parts) {
    if (part.kind == Kind::Variable) names.push_back(part.text);
    collect_variables(part.argument, names);
  }
}

}  // namespace

ParsedScript parse_script(std::string_view script) { return Parser(script).parse(); }

std::optional<std::string> literal_text(const Word& word) {
  std::string text;
  for (const WordPart& part : word.parts) {
    if (part.kind != Kind::Literal) return std::nullopt;
    text += part.text;
  }
  return text;
}

std::vector<std::string> referenced_variables(const Word& word) {
  std::vector<std::string> names;
  collect_variables(word.parts, names);
  return names;
}

std::vector<int> command_start_lines(std::string_view script) {
  enum class Quote { None, Single, Double };
  std::vector<int> starts{0, 1};
  Quote quote = Quote::None;
  int line = 1;
  bool continued = false;  // the newline ahead does not end the command
  auto next_line = [&] {
    ++line;
    starts.push_back(continued ? starts[line - 1] : line);
    continued = false;
  };
  for (std::size_t i = 0; i < script.size(); ++i) {
    const char c = script[i];
    if (c == '\n') {
      if (quote != Quote::None) continued = true;
      next_line();
      continue;
    }
    switch (quote) {
      case Quote::Single:
        if (c == '\'') quote = Quote::None;
        break;
      case Quote::Double:
        if (c == '"') quote = Quote::None;
        else if (c == '\\' && i + 1 < script.size()) {
          if (script[i + 1] == '\n') continued = true;
          else ++i;
        }
        break;
      case Quote::None:
        if (c == '\'') quote = Quote::Single;
        else if (c == '"') quote = Quote::Double;
        else if (c == '\\' && i + 1 < script.size()) {
          if (script[i + 1] == '\n') continued = true;
          else ++i;
        } else if (c == '#' && (i == 0 || std::string_view(" \t;&|()").find(script[i - 1]) != std::string_view::npos)) {
          // A comment's quotes and backslashes mean nothing.
          while (i + 1 < script.size() && script[i + 1] != '\n') ++i;
        }
        break;
    }
  }
  return starts;
}

}  // namespace hmt::shell
