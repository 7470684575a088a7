#include "assertions/shell_expand.h"

namespace hmt::shell {

namespace {

using Kind = WordPart::Kind;

bool is_field_separator(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Accumulates fields the way bash's word splitting does: quoted text always
// joins the current field, unquoted expansion text is cut at blanks.
class FieldBuilder {
 public:
  void add_quoted(std::string_view text) {
    current_ += text;
    has_current_ = true;
  }
  void add_split(std::string_view text) {
    for (char c : text) {
      if (is_field_separator(c)) {
        end_field();
      } else {
        current_ += c;
        has_current_ = true;
      }
    }
  }
  std::vector<std::string> finish() {
    end_field();
    return std::move(fields_);
  }

 private:
  void end_field() {
    if (!has_current_) return;
    fields_.push_back(std::move(current_));
    current_.clear();
    has_current_ = false;
  }

  std::vector<std::string> fields_;
  std::string current_;
  bool has_current_ = false;
};

std::string variable_value(const Variables& variables, std::string_view name) {
  auto found = variables.find(name);
  return found == variables.end() ? std::string() : found->second;
}

std::vector<std::string> expand_parts(const std::vector<WordPart>& parts,
                                      const Variables& variables, const Substitute& substitute);

// Command substitution output loses its trailing newlines.
std::string substitution_output(const WordPart& part, const Variables& variables,
                                const Substitute& substitute) {
  std::string output = substitute(expand_parts(part.argument, variables, substitute));
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

std::vector<std::string> expand_parts(const std::vector<WordPart>& parts,
                                      const Variables& variables, const Substitute& substitute) {
  FieldBuilder fields;
  for (const WordPart& part : parts) {
    std::string text;
    switch (part.kind) {
      case Kind::Literal:
        fields.add_quoted(part.text);  // source text has no blanks left to split on
        continue;
      case Kind::Variable:
        text = variable_value(variables, part.text);
        break;
      case Kind::NormalizeStorePaths:
        text = substitution_output(part, variables, substitute);
        break;
    }
    if (part.quoted)
      fields.add_quoted(text);
    else
      fields.add_split(text);
  }
  return fields.finish();
}

}  // namespace

std::vector<std::string> expand_word(const Word& word, const Variables& variables,
                                     const Substitute& substitute) {
  return expand_parts(word.parts, variables, substitute);
}

std::string expand_value(const Word& word, const Variables& variables,
                         const Substitute& substitute) {
  std::string value;
  for (const WordPart& part : word.parts) {
    switch (part.kind) {
      case Kind::Literal:
        value += part.text;
        break;
      case Kind::Variable:
        value += variable_value(variables, part.text);
        break;
      case Kind::NormalizeStorePaths:
        value += substitution_output(part, variables, substitute);
        break;
    }
  }
  return value;
}

}  // namespace hmt::shell
