#include "assertions/script.h"

#include <fmt/core.h>

#include "assertions/bash_script.h"
#include "assertions/native_script.h"
#include "assertions/shell_words.h"

namespace hmt {

std::optional<std::string> why_script_needs_bash(std::string_view script) {
  const auto obstacle = native_obstacle(shell::parse_script(script));
  if (!obstacle) return std::nullopt;
  return fmt::format("line {}: {}", obstacle->line, obstacle->reason);
}

ScriptOutcome run_script(std::string_view script, const ScriptContext& context) {
  const shell::ParsedScript parsed = shell::parse_script(script);
  if (!native_obstacle(parsed)) return run_script_natively(parsed, context);
  return run_script_in_bash(script, context);
}

}  // namespace hmt
