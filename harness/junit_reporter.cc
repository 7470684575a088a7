#include "harness/junit_reporter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "harness/report_common.h"
#include "harness/display_text.h"
#include "harness/report_text.h"
#include "harness/xml_writer.h"

namespace hmt {

namespace {

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:.3f}", static_cast<double>(duration.count()) / 1000.0);
}

void append_indented(std::string& out, std::string_view label, std::string_view value) {
  out += fmt::format("  {}:\n", label);
  std::string_view rest = value;
  if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
  while (true) {
    const auto end = rest.find('\n');
    out += "    ";
    out += rest.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

// The body of <failure>/<error>: the Nix error, then every failed assertion
// with what a reader needs to fix it without rerunning.
std::string failure_body(const CaseResult& result) {
  std::string body;
  if (!result.nix_error.empty()) {
    body += result.nix_error;
    if (body.back() != '\n') body += '\n';
  }
  for (const auto& a : result.assertions) {
    if (!is_failure(a.status)) continue;
    if (!body.empty()) body += '\n';
    if (a.line > 0) body += fmt::format("line {}: ", a.line);
    body += report_text::assertion_title(a);
    body += '\n';
    body += fmt::format("  {}\n", a.message);
    if (!a.file.empty()) body += fmt::format("  file: {}\n", a.file);
    if (a.expected) append_indented(body, "expected", *a.expected);
    if (a.actual) append_indented(body, "actual", *a.actual);
    if (a.diff) append_indented(body, "diff", *a.diff);
  }
  return body;
}

std::string testcase_element(const CaseResult& result) {
  std::string out = fmt::format(R"(    <testcase classname="hmt" name="{}" time="{}")",
                                xml_attr(result.name), seconds(result.duration));
  std::string children;
  switch (result.status) {
    case Status::Pass:
      break;
    case Status::Skip:
      children += fmt::format("      <skipped message=\"{}\"/>\n", xml_attr(result.reason));
      break;
    case Status::Fail:
    case Status::Error:
    case Status::Timeout: {
      const char* element = result.status == Status::Fail ? "failure" : "error";
      const std::string body = failure_body(result);
      children += fmt::format("      <{} message=\"{}\" type=\"{}\"", element,
                              xml_attr(case_message(result)), to_string(result.status));
      children += body.empty() ? std::string("/>\n")
                               : fmt::format(">{}</{}>\n", xml_text(body), element);
      break;
    }
  }
  if (!result.output.empty())
    children += fmt::format("      <system-out>{}</system-out>\n", xml_text(result.output));
  if (children.empty()) return out + "/>\n";
  return out + ">\n" + children + "    </testcase>\n";
}

}  // namespace

JunitReporter::JunitReporter(std::string path) : path_(std::move(path)) {}

void JunitReporter::run_started(const RunInfo& info) { info_ = info; }

void JunitReporter::case_finished(const CaseResult& result) { results_.push_back(result); }

void JunitReporter::bail_out(const std::string& reason) {
  bail_reason_ = reason;
  // No summary comes with a bail out: the cases' own time is the best guess.
  std::chrono::milliseconds total{0};
  for (const auto& r : results_) total += r.duration;
  write(total);
}

void JunitReporter::run_finished(const RunSummary& summary) { write(summary.duration); }

std::string JunitReporter::render(std::chrono::milliseconds duration) const {
  // Plan order, not completion order, so reports of parallel runs diff cleanly.
  std::unordered_map<std::string, std::size_t> plan_index;
  for (std::size_t i = 0; i < info_.case_names.size(); ++i)
    plan_index.emplace(info_.case_names[i], i);
  auto position = [&](const CaseResult& r) {
    const auto it = plan_index.find(r.name);
    return it == plan_index.end() ? info_.case_names.size() : it->second;
  };
  std::vector<const CaseResult*> ordered;
  for (const auto& r : results_) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const CaseResult* a, const CaseResult* b) { return position(*a) < position(*b); });

  int failures = 0, errors = 0, skipped = 0;
  for (const auto& r : results_) {
    failures += r.status == Status::Fail ? 1 : 0;
    errors += r.status == Status::Error || r.status == Status::Timeout ? 1 : 0;
    skipped += r.status == Status::Skip ? 1 : 0;
  }
  const std::string counts =
      fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}" time="{}")",
                  results_.size(), failures, errors, skipped, seconds(duration));
  std::string timestamp;
  if (!info_.started_at.empty()) timestamp = fmt::format(R"( timestamp="{}")", xml_attr(info_.started_at));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites {}>\n", counts);
  out += fmt::format("  <testsuite name=\"hmt\" {}{}>\n", counts, timestamp);
  for (const auto* r : ordered) out += testcase_element(*r);
  if (bail_reason_)
    out += fmt::format("    <system-err>Bail out! {}</system-err>\n", xml_text(*bail_reason_));
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

void JunitReporter::write(std::chrono::milliseconds duration) {
  const std::string document = render(duration);
  errno = 0;
  std::ofstream file(path_, std::ios::binary | std::ios::trunc);
  if (file) {
    file << document;
    file.close();
  }
  if (file) {
    write_failure_.reset();
    return;
  }
  const int error = errno;
  write_failure_ = fmt::format("cannot write the JUnit report {}: {}", path_,
                               error != 0 ? std::strerror(error) : "write failed");
}

}  // namespace hmt
