#include "harness/report/workflow_guard.h"

#include <array>
#include <iostream>
#include <string_view>

namespace hmt {

namespace {

// What .NET's TrimStart, which GitHub's runner uses, takes for blanks, as
// UTF-8: the ASCII ones and the Unicode white space.
constexpr std::array<std::string_view, 22> kBlanks = {
    " ",            "\t",           "\r",           "\v",           "\f",           "\xC2\x85",
    "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",
    "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89",
    "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
};
constexpr std::array<std::string_view, 2> kMoreBlanks = {"\xE2\x81\x9F", "\xE3\x80\x80"};

bool is_blank(std::string_view bytes) {
  for (auto blank : kBlanks)
    if (bytes == blank) return true;
  for (auto blank : kMoreBlanks)
    if (bytes == blank) return true;
  return false;
}

bool may_become_blank(std::string_view bytes) {
  for (auto blank : kBlanks)
    if (blank.size() > bytes.size() && blank.starts_with(bytes)) return true;
  for (auto blank : kMoreBlanks)
    if (blank.size() > bytes.size() && blank.starts_with(bytes)) return true;
  return false;
}

}  // namespace

bool looks_like_workflow_command(std::string_view line) {
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    for (std::size_t size = 1; size <= 3 && size <= line.size(); ++size)
      if (is_blank(line.substr(0, size))) {
        line.remove_prefix(size);
        trimmed = true;
        break;
      }
  }
  return line.starts_with("::");
}

WorkflowCommandGuard::~WorkflowCommandGuard() {
  const std::string rest = held_ + partial_;
  if (!rest.empty()) sink_->sputn(rest.data(), static_cast<std::streamsize>(rest.size()));
  sink_->pubsync();
}

void WorkflowCommandGuard::take(char byte, std::string& out) {
  if (!line_start_) {
    out += byte;
    line_start_ = byte == '\n';
    return;
  }
  partial_ += byte;
  if (partial_ == "::") {
    out += held_ + "\\x3A:";
    held_.clear();
    partial_.clear();
    line_start_ = false;
  } else if (is_blank(partial_)) {
    held_ += partial_;
    partial_.clear();
  } else if (partial_ != ":" && !may_become_blank(partial_)) {
    out += held_ + partial_;
    held_.clear();
    partial_.clear();
    line_start_ = byte == '\n';
  }
}

WorkflowCommandGuard::int_type WorkflowCommandGuard::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  const char byte = traits_type::to_char_type(ch);
  return xsputn(&byte, 1) == 1 ? ch : traits_type::eof();
}

std::streamsize WorkflowCommandGuard::xsputn(const char* text, std::streamsize count) {
  std::string out;
  out.reserve(static_cast<std::size_t>(count) + 8);
  for (std::streamsize i = 0; i < count; ++i) take(text[i], out);
  const auto size = static_cast<std::streamsize>(out.size());
  return out.empty() || sink_->sputn(out.data(), size) == size ? count : 0;
}

int WorkflowCommandGuard::sync() { return sink_->pubsync(); }

GuardedStandardStreams::GuardedStandardStreams()
    : out_sink_(std::cout.rdbuf()),
      err_sink_(std::cerr.rdbuf()),
      out_(out_sink_),
      err_(err_sink_),
      raw_stderr_(err_sink_) {
  std::cout.rdbuf(&out_);
  std::cerr.rdbuf(&err_);
}

GuardedStandardStreams::~GuardedStandardStreams() {
  std::cout.flush();
  std::cerr.flush();
  std::cout.rdbuf(out_sink_);
  std::cerr.rdbuf(err_sink_);
}

}  // namespace hmt
