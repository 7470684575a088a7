// The shell subset hmt interprets itself: simple commands made of words
// (quotes, escapes, $VAR / ${VAR}, $(normalizeStorePaths WORD)), line
// continuations, comments, newlines and ';' as separators, and
// `NAME=value` assignments on their own. Anything else bash would treat
// specially (keywords, operators, redirections, globs, other expansions) is
// reported as unsupported so the script can run under real bash instead.
// Expanding the parsed words is shell_expand.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hmt::shell {

// One piece of a word as written.
struct WordPart {
  enum class Kind {
    Literal,              // text: the characters, quotes and escapes removed
    Variable,             // text: the variable's name
    NormalizeStorePaths,  // $(normalizeStorePaths WORD); argument holds WORD's parts
  };
  Kind kind = Kind::Literal;
  std::string text;
  // Quoted text is never split; an unquoted literal is plain source text
  // (which matters for recognising `NAME=` and keywords).
  bool quoted = false;
  std::vector<WordPart> argument;
};

struct Word {
  std::vector<WordPart> parts;
};

struct Statement {
  enum class Kind { Command, Assignment };
  Kind kind = Kind::Command;
  int line = 0;             // 1-based line where the statement starts
  std::vector<Word> words;  // Command: the name and its arguments, unexpanded
  std::string variable;     // Assignment: NAME
  Word value;               // Assignment: everything after '='
};

// The first construct outside the subset, and where it is.
struct Unsupported {
  int line = 0;
  std::string reason;  // e.g. "'|' (pipes, lists and redirections)"
};

struct ParsedScript {
  std::vector<Statement> statements;        // meaningful only when supported
  std::optional<Unsupported> unsupported;  // set: run the script under bash
};

ParsedScript parse_script(std::string_view script);

// Literal text of a word made only of literal parts (quoted or not);
// nullopt when it contains an expansion.
std::optional<std::string> literal_text(const Word& word);

// Every variable a word reads, including inside $(normalizeStorePaths ...).
std::vector<std::string> referenced_variables(const Word& word);

// For each physical line (1-based; index 0 unused) the line where the
// command it belongs to starts: a backslash-newline, or a newline inside
// quotes, continues the command. Bash reports a multi-line command by a
// later line; this maps it back to where the native parser counts it.
std::vector<int> command_start_lines(std::string_view script);

}  // namespace hmt::shell
