#include "harness/report/jsonl_reporter.h"

#include <nlohmann/json.hpp>

#include "harness/report/display_text.h"
#include "harness/report/report_common.h"

namespace hmt {

namespace {

using nlohmann::json;

json event(std::string_view name) { return json{{"schema", kJsonlSchema}, {"event", name}}; }

// Optional fields are left out rather than written as null or "".
void put_if(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}
void put_if(json& object, const char* key, const std::optional<std::string>& value) {
  if (value) object[key] = *value;
}
void put_if(json& object, const char* key, int value) {
  if (value > 0) object[key] = value;
}

json assertion_event(const CaseResult& result, const AssertionResult& a) {
  json e = event("assertion");
  e["case"] = result.name;
  e["assertion"] = a.name;
  e["args"] = a.args;
  e["status"] = to_string(a.status);
  put_if(e, "message", a.message);
  put_if(e, "script_line", a.line);
  put_if(e, "case_line", a.case_line);
  put_if(e, "path", a.file);
  put_if(e, "expected", a.expected);
  put_if(e, "actual", a.actual);
  put_if(e, "diff", a.diff);
  return e;
}

}  // namespace

JsonlReporter::JsonlReporter(std::ostream& out) : out_(out) {}

void JsonlReporter::run_started(const RunInfo& info) {
  json e = event("run_started");
  e["cases"] = info.case_names;
  put_if(e, "started_at", info.started_at);
  write(e);
}

void JsonlReporter::case_started(const std::string& name) {
  json e = event("case_started");
  e["case"] = name;
  write(e);
}

void JsonlReporter::case_finished(const CaseResult& result) {
  for (const auto& a : result.assertions) write(assertion_event(result, a));
  json e = event("case_finished");
  e["case"] = result.name;
  e["status"] = to_string(result.status);
  e["duration_ms"] = result.duration.count();
  e["assertions"] = result.assertions.size();
  e["failed_assertions"] = failed_assertion_count(result);
  put_if(e, "file", result.file);
  put_if(e, "line", result.line);
  put_if(e, "tested", result.tested);
  if (is_failure(result.status)) e["message"] = case_message(result);
  put_if(e, "reason", result.reason);
  put_if(e, "nix_error", result.nix_error);
  put_if(e, "output", result.output);
  put_if(e, "rerun", result.rerun);
  if (result.cached) e["cached"] = true;
  if (!result.warnings.empty()) e["warnings"] = result.warnings;
  if (!result.golden.empty()) {
    e["golden"] = json::array();
    for (const auto& note : result.golden)
      e["golden"].push_back({{"expected", note.expected}, {"updated", note.updated}, {"message", note.message}});
  }
  write(e);
}

void JsonlReporter::bail_out(const std::string& reason) {
  json e = event("bail_out");
  e["reason"] = reason;
  write(e);
}

void JsonlReporter::run_finished(const RunSummary& summary) {
  json e = event("run_finished");
  e["passed"] = summary.passed;
  e["failed"] = summary.failed;
  e["skipped"] = summary.skipped;
  e["cached"] = summary.cached;
  e["duration_ms"] = summary.duration.count();
  e["bailed_out"] = summary.bailed_out;
  write(e);
}

namespace {

// Names, scripts and files may hold any bytes: each one that is not UTF-8
// shows as \xFF, as in the other reports.
nlohmann::json displayable(const nlohmann::json& value) {
  if (value.is_string()) return display_text(value.get_ref<const std::string&>());
  if (!value.is_structured()) return value;
  nlohmann::json out = value.is_array() ? nlohmann::json::array() : nlohmann::json::object();
  for (auto it = value.begin(); it != value.end(); ++it)
    if (value.is_array())
      out.push_back(displayable(*it));
    else
      out[display_text(it.key())] = displayable(it.value());
  return out;
}

}  // namespace

void JsonlReporter::write(const nlohmann::json& object) {
  out_ << displayable(object).dump() << '\n';
  out_.flush();
}

}  // namespace hmt
