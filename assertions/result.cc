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
  get_optional(j, "expected", r.expected);
  get_optional(j, "actual", r.actual);
  get_optional(j, "diff", r.diff);
  get_optional(j, "expected_path", r.expected_path);
  get_optional(j, "actual_path", r.actual_path);
}

}  // namespace hmt
