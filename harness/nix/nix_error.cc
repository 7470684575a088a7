#include "harness/nix/nix_error.h"

#include <regex>

namespace hmt {

namespace {

constexpr std::string_view kFrameMark = "\xE2\x80\xA6 ";  // "… ", Nix's trace frame

std::string_view trimmed_start(std::string_view line) {
  const auto start = line.find_first_not_of(" \t");
  return start == std::string_view::npos ? std::string_view{} : line.substr(start);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

bool is_blank(std::string_view line) { return trimmed_start(line).empty(); }

// A paragraph of Nix's report: an error, a trace frame, or what is neither.
struct Block {
  enum class Kind { Error, Frame, Other };
  Kind kind = Kind::Other;
  std::vector<std::string_view> lines;
};

Block::Kind kind_of(std::string_view line) {
  const std::string_view text = trimmed_start(line);
  if (text.starts_with("error:")) return Block::Kind::Error;
  if (text.starts_with(kFrameMark)) return Block::Kind::Frame;
  return Block::Kind::Other;
}

// Nix's notes on how to see more: hmt's users pass Nix options with
// --option, so these name flags they cannot give.
bool is_trace_note(std::string_view line) {
  const std::string_view text = trimmed_start(line);
  return text.starts_with("(stack trace truncated") || text.starts_with("(use '--show-trace'");
}

std::vector<Block> blocks_of(const std::vector<std::string_view>& lines) {
  std::vector<Block> blocks;
  for (std::string_view line : lines) {
    if (is_trace_note(line)) continue;
    const Block::Kind kind = kind_of(line);
    if (kind != Block::Kind::Other || blocks.empty()) blocks.push_back({kind, {}});
    blocks.back().lines.push_back(line);
  }
  return blocks;
}

// "at /src/case.nix:3:45:" gives "/src/case.nix:3:45"; the first such line.
std::string position_of(const Block& block) {
  static const std::regex at(R"(^at (.+:\d+:\d+):$)");
  for (std::string_view line : block.lines) {
    const std::string text(trimmed_start(line));
    std::smatch match;
    if (std::regex_match(text, match, at)) return match[1];
  }
  return "";
}

// A frame in hmt's own Nix files, or in the repl's input line, or one that
// says nothing ("from call site" with no position).
bool is_own_frame(const Block& block, std::string_view own_nix_dir) {
  const std::string position = position_of(block);
  if (position.empty() && trimmed_start(block.lines.front()).find("from call site") != std::string_view::npos)
    return true;
  if (position.starts_with("\xC2\xAB" "string\xC2\xBB")) return true;  // «string»
  if (own_nix_dir.empty()) return false;
  std::string dir(own_nix_dir);
  if (!dir.ends_with('/')) dir += '/';
  return position.starts_with(dir);
}

// `dedent`: without the first line's indentation (Nix 2.13 and later indent
// the innermost error as part of the trace), so that the report starts with
// "error:" however Nix laid it out.
void append_block(std::string& out, const Block& block, bool dedent = false) {
  std::size_t end = block.lines.size();
  while (end > 0 && is_blank(block.lines[end - 1])) --end;
  if (end == 0) return;
  const std::size_t indent = dedent ? block.lines.front().size() - trimmed_start(block.lines.front()).size() : 0;
  if (!out.empty()) out += "\n\n";
  for (std::size_t i = 0; i < end; ++i) {
    if (i > 0) out += '\n';
    std::string_view line = block.lines[i];
    std::size_t drop = 0;
    while (drop < indent && drop < line.size() && line[drop] == ' ') ++drop;
    out += line.substr(drop);
  }
}

}  // namespace

std::string without_escape_codes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\x1b') {
      out += text[i];
      continue;
    }
    // CSI: ESC [ parameters... final byte in @..~
    if (i + 1 < text.size() && text[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < text.size() && (static_cast<unsigned char>(text[j]) < 0x40 || text[j] > '~')) ++j;
      i = j;
    } else if (i + 1 < text.size()) {
      ++i;  // a two-byte escape
    }
  }
  return out;
}

NixError read_nix_error(std::string_view text, std::string_view own_nix_dir) {
  const std::vector<std::string_view> lines = lines_of(text);
  const std::vector<Block> blocks = blocks_of(lines);
  // The innermost error is the last one with a message: Nix 2.13 and later
  // open with a bare "error:" before the trace.
  const Block* innermost = nullptr;
  for (const Block& block : blocks)
    if (block.kind == Block::Kind::Error && trimmed_start(block.lines.front()).size() > 6) innermost = &block;
  NixError error;
  if (!innermost) {
    error.text = std::string(text);
    return error;
  }
  error.message = std::string(trimmed_start(trimmed_start(innermost->lines.front()).substr(6)));
  error.position = position_of(*innermost);
  append_block(error.text, *innermost, true);
  std::string nearest_frame;  // the position of the last frame kept before the error
  for (const Block& block : blocks) {
    if (&block == innermost) continue;
    if (block.kind == Block::Kind::Error && trimmed_start(block.lines.front()).size() <= 6) continue;
    if (block.kind == Block::Kind::Frame && is_own_frame(block, own_nix_dir)) continue;
    if (block.kind == Block::Kind::Frame && &block < innermost) {
      if (const std::string position = position_of(block); !position.empty()) nearest_frame = position;
    }
    append_block(error.text, block);
  }
  // An error without a position of its own (a failed coercion, say) is
  // placed by the frame nearest to it, where Nix writes frames first.
  if (error.position.empty()) error.position = nearest_frame;
  return error;
}

std::vector<std::string> evaluation_warnings(std::string_view text) {
  std::vector<std::string> warnings;
  bool in_warning = false;
  for (std::string_view line : lines_of(text)) {
    std::string_view warning;
    if (line.starts_with("trace: warning: "))
      warning = line.substr(std::string_view("trace: warning: ").size());
    else if (line.starts_with("evaluation warning: "))
      warning = line.substr(std::string_view("evaluation warning: ").size());
    if (!warning.empty()) {
      warnings.emplace_back(warning);
      in_warning = true;
    } else if (in_warning && !line.starts_with("trace:") && !line.starts_with("error:") &&
               !line.starts_with("warning:") && kind_of(line) == Block::Kind::Other) {
      // A warning's message may span lines; Nix prints them as they are.
      warnings.back() += '\n';
      warnings.back() += line;
    } else {
      in_warning = false;
    }
  }
  for (auto& warning : warnings)
    while (!warning.empty() && (warning.back() == '\n' || warning.back() == ' ')) warning.pop_back();
  return warnings;
}

bool refuses_text_as_json(std::string_view nix_output) {
  return nix_output.find("JSON serialization error") != std::string_view::npos &&
         nix_output.find("UTF-8") != std::string_view::npos;
}

}  // namespace hmt
