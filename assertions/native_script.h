// The native interpreter: runs an nmt.script made only of assertions,
// assignments, echo and $(normalizeStorePaths ...) in-process, with bash's
// expansion rules for that subset.
#pragma once

#include <optional>

#include "assertions/script_support.h"
#include "assertions/shell_words.h"

namespace hmt {

// The first thing in the script the native interpreter cannot run the way
// bash would (a keyword, another program, a variable only the environment
// could set...), or nullopt when it can run all of it.
std::optional<shell::Unsupported> native_obstacle(const shell::ParsedScript& parsed);

// Runs a script native_obstacle accepted.
ScriptOutcome run_script_natively(const shell::ParsedScript& parsed, const ScriptContext& context);

}  // namespace hmt
