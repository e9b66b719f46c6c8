#include "runtime/model/metadata_checks.hpp"

#include <exception>

namespace earshot::model {
namespace {

constexpr const char* kStages[] = {"vad", "kws", "asr", "nlp"};
constexpr const char* kRequired[] = {"stage", "architecture", "format_version", "source",
                                     "converter"};
constexpr const char* kSourceKeys[] = {"package", "version", "file", "sha256"};

Status corrupt(const std::string& where, const std::string& what) {
  return CorruptData(where + ": " + what);
}

// JSON's "falsy" values, as Python reads them: the converter must not be one.
bool is_empty_value(const nlohmann::json& v) {
  if (v.is_null()) return true;
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_number()) return v.get<double>() == 0.0;
  // json::empty() is false for every string, so strings are tested on their own.
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return v.empty();
  return false;
}

// The parser quotes the bytes it stopped at, which may be any bytes: keep messages printable.
std::string printable(const char* text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char* p = text; *p != '\0'; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

Result<nlohmann::json> parse_metadata(const char* text, std::size_t size,
                                      const std::string& where) {
  try {
    return nlohmann::json::parse(text, text + size);
  } catch (const nlohmann::json::exception& e) {
    return corrupt(where, "metadata is not valid UTF-8 JSON (" + printable(e.what()) + ")");
  } catch (const std::bad_alloc&) {
    return ResourceExhausted(where + ": out of memory parsing the metadata");
  } catch (const std::exception& e) {
    return corrupt(where, "metadata cannot be parsed (" + printable(e.what()) + ")");
  }
}

Status check_metadata(const nlohmann::json& meta, const std::string& expected_stage,
                      const std::string& where) {
  if (!meta.is_object()) return corrupt(where, "metadata is not a JSON object");
  for (const char* key : kRequired) {
    if (!meta.contains(key)) {
      return corrupt(where, std::string("metadata lacks the required key '") + key + "'");
    }
  }
  const auto& stage = meta["stage"];
  bool known_stage = false;
  if (stage.is_string()) {
    for (const char* s : kStages) known_stage = known_stage || stage.get<std::string>() == s;
  }
  if (!known_stage) {
    return corrupt(where, "metadata stage " + stage.dump() + " is not one of vad, kws, asr, nlp");
  }
  if (!expected_stage.empty() && stage.get<std::string>() != expected_stage) {
    return InvalidArgument(where + ": model is for stage '" + stage.get<std::string>() +
                           "', expected '" + expected_stage + "'");
  }
  const auto& arch = meta["architecture"];
  if (!arch.is_string() || arch.get<std::string>().empty()) {
    return corrupt(where, "metadata 'architecture' must be a non-empty string");
  }
  const auto& version = meta["format_version"];
  if (!version.is_number() || version.get<double>() != 1.0) {
    return corrupt(where, "metadata format_version is " + version.dump() + ", not 1");
  }
  const auto& source = meta["source"];
  if (!source.is_object()) return corrupt(where, "metadata 'source' is not an object");
  for (const char* key : kSourceKeys) {
    if (!source.contains(key)) {
      return corrupt(where, std::string("metadata source lacks '") + key + "'");
    }
  }
  if (is_empty_value(meta["converter"])) return corrupt(where, "metadata 'converter' is empty");
  return Status::Ok();
}

}  // namespace earshot::model
