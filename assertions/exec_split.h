// ExecStart= and friends split into argv by the rules of systemd.service(5),
// "COMMAND LINES": prefixes, whitespace-separated words, quotes, C escapes,
// and lone ';' words between commands. Variables ($VAR, ${VAR}) and
// specifiers (%n) are kept as written: the harness checks what the module
// generated, not what systemd would expand at run time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hmt {

struct ExecCommand {
  // The prefix characters as written, from "@-:+!" ("!!" counts once), e.g. "-@".
  std::string prefixes;
  // The words with the prefixes removed: argv[0] is the executable (with '@'
  // argv[1] is the name the process sees as its argv[0]).
  std::vector<std::string> argv;
};

struct ExecSplit {
  std::vector<ExecCommand> commands;  // one per ';'-separated command
  std::string error;                  // empty on success; names the column

  bool ok() const { return error.empty(); }
};

// Never throws: unterminated quotes, bad escapes, conflicting prefixes and
// empty commands come back in ExecSplit::error.
ExecSplit split_exec_command_line(std::string_view value);

// The word as a double-quoted command-line word that splits back to itself;
// used to show argv in messages without ambiguity about spaces.
std::string quote_exec_word(std::string_view word);

}  // namespace hmt
