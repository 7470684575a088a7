// Nix's error output as each version writes it, made to lead with what went
// wrong. Nix 2.8 writes the message first ("error: cannot add a string to
// an integer", its position and code), then the trace; Nix 2.13 and later
// (and Lix) write a bare "error:", the trace from the outside in, and the
// innermost message last. Either way the report starts with the innermost
// message and its position, and the trace frames that point into hmt's own
// Nix files (the driver's trace and toJSON calls, the repl's input) are left
// out: they say nothing about the case.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hmt {

struct NixError {
  std::string message;   // the innermost error's first line, without "error: "
  std::string position;  // where it happened ("/src/case.nix:3:45"), or empty
  std::string text;      // the report: the innermost error, then the rest of the trace
};

// `own_nix_dir`: the folder of hmt's Nix files, whose frames are dropped.
// Text without an error line gives an empty message and the text as it was.
NixError read_nix_error(std::string_view text, std::string_view own_nix_dir);

// The evaluation warnings in Nix's output, one per warning, each without
// its "warning: " and with its continuation lines: `lib.warn` on any Nix
// ("trace: warning: ..." from older nixpkgs, "evaluation warning: ..." from
// builtins.warn) and a traced "warning: ...". hmt's own traces are not
// warnings.
std::vector<std::string> evaluation_warnings(std::string_view text);

// Whether Nix failed because it would not write text that is not UTF-8 as
// JSON (Nix 2.19 and later: "JSON serialization error ... UTF-8").
bool refuses_text_as_json(std::string_view nix_output);

// The text without ANSI escape sequences (colours, cursor movement), which
// Lix writes when told to colour and nixpkgs' lib.warn writes always.
std::string without_escape_codes(std::string_view text);

}  // namespace hmt
