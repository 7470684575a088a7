#include "assertions/result.h"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace hmt {

namespace {
constexpr std::array<std::pair<Status, std::string_view>, 5> kNames{{
    {Status::Pass, "PASS"},
    {Status::Fail, "FAIL"},
    {Status::Skip, "SKIP"},
    {Status::Timeout, "TIMEOUT"},
    {Status::Error, "ERROR"},
}};
}  // namespace

std::string_view to_string(Status status) {
  for (const auto& [value, name] : kNames)
    if (value == status) return name;
  return "ERROR";
}

std::optional<Status> status_from_string(std::string_view text) {
  for (const auto& [value, name] : kNames)
    if (name == text) return value;
  return std::nullopt;
}

Status case_status(const ScriptOutcome& outcome) {
  if (outcome.error) return Status::Error;
  bool failed = false;
  for (const auto& a : outcome.assertions) {
    if (a.status == Status::Error) return Status::Error;
    // A skipped assertion (a tool it needs is missing) says so, but does
    // not fail the case.
    if (a.status == Status::Fail || a.status == Status::Timeout) failed = true;
  }
  return failed ? Status::Fail : Status::Pass;
}

namespace {
template <class T>
void put_optional(nlohmann::json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}
template <class T>
void get_optional(const nlohmann::json& j, const char* key, std::optional<T>& value) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) value = it->get<T>();
}
}  // namespace

void to_json(nlohmann::json& j, const AssertionResult& r) {
  j = nlohmann::json{{"name", r.name},
                     {"args", r.args},
                     {"line", r.line},
                     {"status", std::string(to_string(r.status))},
                     {"message", r.message},
                     {"file", r.file}};
  if (r.case_line > 0) j["case_line"] = r.case_line;
  put_optional(j, "expected", r.expected);
  put_optional(j, "actual", r.actual);
  put_optional(j, "diff", r.diff);
  put_optional(j, "expected_path", r.expected_path);
  put_optional(j, "actual_path", r.actual_path);
}

void from_json(const nlohmann::json& j, AssertionResult& r) {
  r.name = j.value("name", "");
  r.args = j.value("args", std::vector<std::string>{});
  r.line = j.value("line", 0);
  r.status = status_from_string(j.value("status", "ERROR")).value_or(Status::Error);
  r.message = j.value("message", "");
  r.file = j.value("file", "");
  r.case_line = j.value("case_line", 0);
  get_optional(j, "expected", r.expected);
  get_optional(j, "actual", r.actual);
  get_optional(j, "diff", r.diff);
  get_optional(j, "expected_path", r.expected_path);
  get_optional(j, "actual_path", r.actual_path);
}

void to_json(nlohmann::json& j, const CaseResult& r) {
  j = nlohmann::json{{"name", r.name},
                     {"file", r.file},
                     {"line", r.line},
                     {"tested", r.tested},
                     {"status", std::string(to_string(r.status))},
                     {"reason", r.reason},
                     {"nix_error", r.nix_error},
                     {"assertions", r.assertions},
                     {"output", r.output},
                     {"warnings", r.warnings}};
}

void from_json(const nlohmann::json& j, CaseResult& r) {
  r.name = j.value("name", "");
  r.file = j.value("file", "");
  r.line = j.value("line", 0);
  r.tested = j.value("tested", "");
  r.status = status_from_string(j.value("status", "ERROR")).value_or(Status::Error);
  r.reason = j.value("reason", "");
  r.nix_error = j.value("nix_error", "");
  r.assertions = j.value("assertions", std::vector<AssertionResult>{});
  r.output = j.value("output", "");
  r.warnings = j.value("warnings", std::vector<std::string>{});
}

}  // namespace hmt
