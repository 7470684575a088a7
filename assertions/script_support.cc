#include "assertions/script_support.h"

#include <utility>

#include <fmt/core.h>

#include "assertions/json_bytes.h"
#include "assertions/store_paths.h"

namespace hmt {

namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

// A recorded result that is a script-level error too.
std::optional<std::string> script_error_of(const AssertionResult& result,
                                           const ScriptContext& context) {
  if (result.status != Status::Error) return std::nullopt;
  if (result.name == kNormalizeCommand)
    return located(context, result.line,
                   fmt::format("{} failed: {}", kNormalizeCommand, result.message));
  if (!find_assertion(result.name)) return located(context, result.line, result.message);
  return std::nullopt;
}

}  // namespace

std::string located(const ScriptContext& context, int line, std::string_view what) {
  std::string where = context.case_name;
  if (line > 0) where += fmt::format("{}line {}", where.empty() ? "" : ", ", line);
  return where.empty() ? std::string(what) : fmt::format("{}: {}", where, what);
}

AssertionResult error_result(std::string_view name, std::vector<std::string> args, int line,
                             std::string message) {
  AssertionResult result;
  result.name = std::string(name);
  result.args = std::move(args);
  result.line = line;
  result.status = Status::Error;
  result.message = std::move(message);
  return result;
}

AssertionResult unknown_command(const Invocation& call) {
  return error_result(call.name, call.args, call.line,
                      fmt::format("unknown command '{}': not an assertion, and bash found no "
                                  "such program",
                                  call.name));
}

Normalized normalize_command(const std::vector<std::string>& args, int line,
                             const AssertionContext& context) {
  if (args.size() != 1)
    return {{}, error_result(kNormalizeCommand, args, line,
                             fmt::format("{} takes exactly one path, got {} argument(s)",
                                         kNormalizeCommand, args.size()))};
  ResolvedPath copy = normalize_store_paths(args.front(), context);
  if (!copy.ok()) return {{}, error_result(kNormalizeCommand, args, line, copy.error)};
  return {copy.path.string(), std::nullopt};
}

void record(ScriptOutcome& outcome, AssertionResult result, const ScriptContext& context) {
  if (!outcome.error) outcome.error = script_error_of(result, context);
  outcome.assertions.push_back(std::move(result));
}

std::string trimmed_output(std::string text) {
  if (text.size() <= kMaxOutput) return text;
  std::size_t cut = text.size() - kMaxOutput;
  while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
  return fmt::format("[... {} bytes of earlier output cut ...]\n{}", cut, text.substr(cut));
}

std::string input_roots_text(const std::vector<std::filesystem::path>& roots) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& root : roots) list.push_back(root.string());
  return json_bytes::dump(list);
}

std::vector<std::filesystem::path> input_roots_from_text(std::string_view text) {
  std::vector<std::filesystem::path> roots;
  const nlohmann::json list = json_bytes::parse(text);
  if (!list.is_array()) return roots;
  for (const auto& root : list)
    if (root.is_string()) roots.emplace_back(root.get<std::string>());
  return roots;
}

}  // namespace hmt
