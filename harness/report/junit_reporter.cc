#include "harness/report/junit_reporter.h"

#include <string_view>

#include <fmt/format.h>

#include "harness/report/report_common.h"
#include "harness/report/display_text.h"
#include "harness/report/report_text.h"
#include "harness/report/xml_writer.h"

namespace hmt {

namespace {

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:.3f}", static_cast<double>(duration.count()) / 1000.0);
}

void append_indented(std::string& out, std::string_view label, std::string_view value) {
  out += fmt::format("  {}:\n", label);
  for (const auto line : lines_of(value)) {
    out += "    ";
    out += line;
    out += '\n';
  }
}

// The body of <failure>/<error>: where to look, the Nix error, then every failed assertion
// with what a reader needs to fix it without rerunning.
std::string failure_body(const CaseResult& result) {
  std::string body;
  if (!result.file.empty()) body += fmt::format("case: {}\n", file_and_line(result.file, result.line));
  if (!result.tested.empty()) body += fmt::format("tested: {}\n", result.tested);
  if (!result.rerun.empty()) body += fmt::format("rerun: {}\n", result.rerun);
  if (!body.empty()) body += '\n';
  if (!result.nix_error.empty()) {
    body += result.nix_error;
    if (body.back() != '\n') body += '\n';
  }
  for (const auto& a : result.assertions) {
    if (!is_failure(a.status)) continue;
    if (!body.empty() && !body.ends_with("\n\n")) body += '\n';
    body += assertion_location(a, result.file);
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
  // file and line as CI test summaries (GitLab, Jenkins, GitHub apps) read them.
  if (!result.file.empty()) out += fmt::format(R"( file="{}")", xml_attr(result.file));
  if (result.line > 0) out += fmt::format(R"( line="{}")", result.line);
  std::string children;
  // As pytest's junitxml writes a test's own properties.
  if (result.cached) children += "      <properties><property name=\"cached\" value=\"true\"/></properties>\n";
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
  if (const std::string notes = case_notes(result); !notes.empty())
    children += fmt::format("      <system-err>{}</system-err>\n", xml_text(notes));
  if (children.empty()) return out + "/>\n";
  return out + ">\n" + children + "    </testcase>\n";
}

}  // namespace

JunitReporter::JunitReporter(std::string path) : FileReporter(std::move(path), "JUnit report") {}

std::string JunitReporter::render(std::chrono::milliseconds duration) const {
  // Plan order, not completion order, so reports of parallel runs diff cleanly.
  const std::vector<const CaseResult*> ordered = in_plan_order(results(), info().case_names);

  int failures = 0, errors = 0, skipped = 0;
  for (const auto& r : results()) {
    failures += r.status == Status::Fail ? 1 : 0;
    errors += r.status == Status::Error || r.status == Status::Timeout ? 1 : 0;
    skipped += r.status == Status::Skip ? 1 : 0;
  }
  const std::string counts =
      fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}" time="{}")",
                  results().size(), failures, errors, skipped, seconds(duration));
  std::string timestamp;
  if (!info().started_at.empty()) timestamp = fmt::format(R"( timestamp="{}")", xml_attr(info().started_at));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites {}>\n", counts);
  out += fmt::format("  <testsuite name=\"hmt\" {}{}>\n", counts, timestamp);
  for (const auto* r : ordered) out += testcase_element(*r);
  if (bail_reason())
    out += fmt::format("    <system-err>Bail out! {}</system-err>\n", xml_text(*bail_reason()));
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace hmt
