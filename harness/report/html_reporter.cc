#include "harness/report/html_reporter.h"

#include <cctype>
#include <string_view>

#include <fmt/format.h>

#include "harness/report/html_page.h"
#include "harness/report/report_common.h"
#include "harness/report/report_text.h"
#include "harness/report/xml_writer.h"

namespace hmt {

namespace {

// "pass", "fail", "skip", "timeout", "error": the case's data-status.
std::string status_key(Status status) {
  std::string key(to_string(status));
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

std::string_view diff_class(DiffLine kind) {
  switch (kind) {
    case DiffLine::FileHeader:
      return "diff-file";
    case DiffLine::Hunk:
      return "diff-hunk";
    case DiffLine::Added:
      return "diff-add";
    case DiffLine::Removed:
      return "diff-del";
    case DiffLine::Context:
      break;
  }
  return "diff-context";
}

// One span per line, so each added or removed line carries its class.
std::string diff_block(std::string_view diff) {
  std::string out = "<pre class=\"diff\">";
  for (const auto line : lines_of(diff))
    out += fmt::format("<span class=\"{}\">{}</span>", diff_class(diff_line_kind(line)), xml_text(line));
  return out + "</pre>\n";
}

std::string labelled_pre(std::string_view label, std::string_view css_class, std::string_view value) {
  return fmt::format("<div><h4>{}</h4><pre class=\"{}\">{}</pre></div>", label, css_class, xml_text(value));
}

std::string assertion_section(const AssertionResult& a, const std::string& case_file) {
  std::string out = "<div class=\"assertion\">\n<h3>";
  out += xml_text(assertion_location(a, case_file) + report_text::assertion_title(a)) + "</h3>\n";
  out += fmt::format("<p class=\"message\">{}</p>\n", xml_text(a.message));
  if (a.diff) out += diff_block(*a.diff);
  if (a.expected || a.actual) {
    out += "<div class=\"values\">";
    if (a.expected) out += labelled_pre("expected", "expected", *a.expected);
    if (a.actual) out += labelled_pre("actual", "actual", *a.actual);
    out += "</div>\n";
  }
  return out + "</div>\n";
}

void where_row(std::string& out, std::string_view label, std::string_view css_class, const std::string& value) {
  if (value.empty()) return;
  out += fmt::format("<dt>{}</dt><dd class=\"{}\">{}</dd>\n", label, css_class, xml_text(value));
}

std::string case_section(const CaseResult& result) {
  const bool failed = is_failure(result.status);
  std::string out = fmt::format(
      "<details class=\"case\" data-status=\"{}\" data-failed=\"{}\" data-name=\"{}\"{}{}>\n",
      status_key(result.status), failed ? "true" : "false", xml_attr(result.name),
      result.cached ? " data-cached=\"true\"" : "", failed ? " open" : "");
  out += fmt::format(
      "<summary><span class=\"status\">{}</span><span class=\"name\">{}</span>"
      "<span class=\"time\">{}</span>",
      to_string(result.status), xml_text(result.name),
      result.cached ? std::string("cached") : human_duration(result.duration));
  if (failed || result.status == Status::Skip)
    out += fmt::format("<span class=\"reason\">{}</span>",
                       xml_text(failed ? case_message(result) : result.reason));
  out += "</summary>\n<div class=\"body\">\n<dl class=\"where\">\n";
  where_row(out, "case", "case-file", file_and_line(result.file, result.line));
  where_row(out, "tested tree", "tested", result.tested);
  where_row(out, "rerun", "rerun", result.rerun);
  out += fmt::format("<dt>assertions</dt><dd>{} ({} failed)</dd>\n", result.assertions.size(),
                     failed_assertion_count(result));
  out += "</dl>\n";
  if (!result.nix_error.empty())
    out += fmt::format("<h4>Nix error</h4><pre class=\"nix-error\">{}</pre>\n", xml_text(result.nix_error));
  for (const auto& a : result.assertions)
    if (is_failure(a.status)) out += assertion_section(a, result.file);
  if (failed && !result.output.empty())
    out += fmt::format("<h4>output</h4><pre class=\"output\">{}</pre>\n", xml_text(result.output));
  if (const std::string notes = case_notes(result); !notes.empty())
    out += fmt::format("<h4>warnings and golden updates</h4><pre class=\"notes\">{}</pre>\n", xml_text(notes));
  return out + "</div>\n</details>\n";
}

}  // namespace

HtmlReporter::HtmlReporter(std::string path) : FileReporter(std::move(path), "HTML report") {}

std::string HtmlReporter::render(std::chrono::milliseconds duration) const {
  int passed = 0, failed = 0, skipped = 0, cached = 0;
  for (const auto& r : results()) {
    cached += r.cached ? 1 : 0;
    passed += r.status == Status::Pass ? 1 : 0;
    failed += is_failure(r.status) ? 1 : 0;
    skipped += r.status == Status::Skip ? 1 : 0;
  }
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>hmt report</title>\n<style>";
  out += html_page::kStyle;
  out += "</style>\n</head>\n<body>\n<header>\n<h1>hmt report</h1>\n<div class=\"counts\">";
  auto count = [&](std::string_view key, int n, std::string_view word) {
    out += fmt::format("<span class=\"count {0}\">{2} <span id=\"count-{0}\">{1}</span></span>", key, n, word);
  };
  count("total", static_cast<int>(results().size()), "cases");
  count("pass", passed, "passed");
  count("fail", failed, "failed");
  count("skip", skipped, "skipped");
  if (cached > 0) count("cached", cached, "cached");
  out += "</div>\n<p class=\"run\">";
  if (!info().started_at.empty()) out += fmt::format("started {}, ", xml_text(info().started_at));
  out += fmt::format("took {}</p>\n", human_duration(duration));
  if (bail_reason()) out += fmt::format("<p class=\"bail\">Bail out! {}</p>\n", xml_text(*bail_reason()));
  out +=
      "<div class=\"filters\">\n<label>status <select id=\"status-filter\">"
      "<option value=\"all\">all</option><option value=\"fail\">failed</option>"
      "<option value=\"pass\">passed</option><option value=\"skip\">skipped</option><option value=\"cached\">cached</option></select></label>\n"
      "<label>name <input id=\"name-filter\" type=\"search\" placeholder=\"part of a case name\"></label>\n"
      "<span id=\"shown\"></span>\n</div>\n</header>\n<main id=\"cases\">\n";
  for (const auto* r : in_plan_order(results(), info().case_names)) out += case_section(*r);
  out += "</main>\n<script>";
  out += html_page::kScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace hmt
