#include "assertions/native_script.h"

#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "assertions/shell_expand.h"
#include "assertions/unit_cache.h"

namespace hmt {

namespace {
constexpr std::string_view kEcho = "echo";
}  // namespace

std::optional<shell::Unsupported> native_obstacle(const shell::ParsedScript& parsed) {
  if (parsed.unsupported) return parsed.unsupported;
  // What bash would read from the environment, the script cannot know natively.
  std::set<std::string, std::less<>> defined{"TESTED", "out", "TMPDIR", "NIX_STORE"};
  auto undefined_variable = [&](const shell::Word& word) -> std::optional<std::string> {
    for (const std::string& name : shell::referenced_variables(word))
      if (!defined.contains(name)) return name;
    return std::nullopt;
  };
  auto unset_variable_reason = [](const std::string& name) {
    return fmt::format("${} (not set by the script: bash would read the environment)", name);
  };

  for (const shell::Statement& statement : parsed.statements) {
    if (statement.kind == shell::Statement::Kind::Assignment) {
      if (auto name = undefined_variable(statement.value))
        return shell::Unsupported{statement.line, unset_variable_reason(*name)};
      defined.insert(statement.variable);
      continue;
    }
    const auto command = shell::literal_text(statement.words.front());
    if (!command) return shell::Unsupported{statement.line, "a command name that is expanded"};
    if (*command == kEcho) {
      // echo's options (-n, -e) are bash's business; so is an argument that
      // might expand to one.
      if (statement.words.size() > 1) {
        const auto& first_arg = statement.words[1].parts;
        if (!first_arg.empty() && (first_arg.front().kind != shell::WordPart::Kind::Literal ||
                                   first_arg.front().text.starts_with('-')))
          return shell::Unsupported{statement.line, "echo with a possible option"};
      }
    } else if (!find_assertion(*command)) {
      return shell::Unsupported{statement.line,
                                fmt::format("the command '{}' (not an assertion)", *command)};
    }
    for (const shell::Word& word : statement.words)
      if (auto name = undefined_variable(word))
        return shell::Unsupported{statement.line, unset_variable_reason(*name)};
  }
  return std::nullopt;
}

ScriptOutcome run_script_natively(const shell::ParsedScript& parsed, const ScriptContext& context) {
  ScriptOutcome outcome;
  // One parse per unit file for all of the script's unit assertions.
  UnitCache units;
  AssertionContext assertion_context = context.assertion;
  if (!assertion_context.units) assertion_context.units = &units;
  shell::Variables variables{{"TESTED", assertion_context.tested.string()},
                             {"out", assertion_context.work_dir.string()},
                             {"TMPDIR", assertion_context.work_dir.string()},
                             {"NIX_STORE", assertion_context.store_dir.string()}};

  for (const shell::Statement& statement : parsed.statements) {
    bool normalize_failed = false;
    const shell::Substitute substitute = [&](const std::vector<std::string>& args) {
      Normalized normalized = normalize_command(args, statement.line, assertion_context);
      if (normalized.failure) {
        record(outcome, std::move(*normalized.failure), context);
        normalize_failed = true;
      }
      return normalized.path;
    };

    if (statement.kind == shell::Statement::Kind::Assignment) {
      std::string value = shell::expand_value(statement.value, variables, substitute);
      // Under `bash -e` an assignment whose substitution failed ends the script.
      if (normalize_failed) break;
      variables.insert_or_assign(statement.variable, std::move(value));
      continue;
    }

    std::vector<std::string> fields;
    for (const shell::Word& word : statement.words) {
      std::vector<std::string> expanded = shell::expand_word(word, variables, substitute);
      fields.insert(fields.end(), std::make_move_iterator(expanded.begin()),
                    std::make_move_iterator(expanded.end()));
    }
    // The command word is plain text (native_obstacle checked), so it is field 0.
    const std::string name = fields.front();
    std::vector<std::string> args(fields.begin() + 1, fields.end());
    if (name == kEcho) {
      std::string line;
      for (const std::string& arg : args) line += fmt::format("{}{}", line.empty() ? "" : " ", arg);
      outcome.output += line + '\n';
      continue;
    }
    record(outcome, run_assertion(Invocation{name, std::move(args), statement.line}, assertion_context),
           context);
    if (name == kFailCommand) break;  // nmt's fail ends the script
  }
  outcome.output = trimmed_output(std::move(outcome.output));
  return outcome;
}

}  // namespace hmt
