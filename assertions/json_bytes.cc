#include "assertions/json_bytes.h"

#include <utility>

namespace hmt::json_bytes {

namespace {

constexpr char32_t kMarkerBase = 0x10FF00;

// Length of the well-formed UTF-8 sequence at text[i] and its code point,
// or 0 when the byte there does not start one.
std::size_t sequence_at(std::string_view text, std::size_t i, char32_t& cp) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) {
    cp = lead;
    return 1;
  }
  std::size_t length = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

void append_marker(std::string& out, unsigned char byte) {
  const char32_t cp = kMarkerBase + byte;
  out += static_cast<char>(0xF0 | (cp >> 18));
  out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

template <class Transform>
void transform_strings(nlohmann::json& value, const Transform& transform) {
  if (value.is_string()) {
    value = transform(value.get_ref<const std::string&>());
  } else if (value.is_array()) {
    for (auto& item : value) transform_strings(item, transform);
  } else if (value.is_object()) {
    nlohmann::json object = nlohmann::json::object();
    for (auto& [key, item] : value.items()) {
      transform_strings(item, transform);
      object[transform(key)] = std::move(item);
    }
    value = std::move(object);
  }
}

}  // namespace

std::string protect(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    char32_t cp = 0;
    const std::size_t length = sequence_at(bytes, i, cp);
    if (length == 0 || cp >= kMarkerBase) {
      const std::size_t count = length == 0 ? 1 : length;
      for (std::size_t k = 0; k < count; ++k) append_marker(out, static_cast<unsigned char>(bytes[i + k]));
      i += count;
    } else {
      out.append(bytes.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string restore(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t length = sequence_at(text, i, cp);
    if (length == 4 && cp >= kMarkerBase) {
      out += static_cast<char>(cp - kMarkerBase);
      i += 4;
    } else {
      const std::size_t count = length == 0 ? 1 : length;
      out.append(text.substr(i, count));
      i += count;
    }
  }
  return out;
}

nlohmann::json parse(std::string_view text) {
  nlohmann::json value = nlohmann::json::parse(protect(text), nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) transform_strings(value, [](const std::string& s) { return restore(s); });
  return value;
}

std::string dump(const nlohmann::json& value) {
  nlohmann::json protected_value = value;
  transform_strings(protected_value, [](const std::string& s) { return protect(s); });
  // Raw bytes in the strings, as builtins.toJSON writes them.
  return restore(protected_value.dump());
}

}  // namespace hmt::json_bytes
