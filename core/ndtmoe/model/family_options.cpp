#include "ndtmoe/model/family_options.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace ndtmoe {

namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

const char* to_string(OptionType type) {
  switch (type) {
    case OptionType::Integer: return "integer";
    case OptionType::Real: return "real";
    case OptionType::Choice: return "choice";
    case OptionType::Flag: return "flag";
  }
  return "?";
}

std::string OptionSpec::describe_values() const {
  switch (type) {
    case OptionType::Integer: return "integer in " + number_text(minimum) + ".." + number_text(maximum);
    case OptionType::Real: return "number in " + number_text(minimum) + ".." + number_text(maximum);
    case OptionType::Choice: return "one of " + joined(choices);
    case OptionType::Flag: return "true or false";
  }
  return {};
}

void OptionSpec::check(const nlohmann::json& value) const {
  const auto fail = [&] { throw std::invalid_argument("option " + name + ": expected " + describe_values() + ", got " + value.dump()); };
  switch (type) {
    case OptionType::Integer:
      if (!value.is_number_integer() || value.get<double>() < minimum || value.get<double>() > maximum) fail();
      return;
    case OptionType::Real:
      if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < minimum || value.get<double>() > maximum) fail();
      return;
    case OptionType::Choice:
      if (!value.is_string()) fail();
      for (const std::string& choice : choices)
        if (value.get<std::string>() == choice) return;
      fail();
      return;
    case OptionType::Flag:
      if (!value.is_boolean()) fail();
      return;
  }
}

nlohmann::json OptionSpec::parse(const std::string& text) const {
  const auto fail = [&] { throw std::invalid_argument("option " + name + ": expected " + describe_values() + ", got '" + text + "'"); };
  nlohmann::json value;
  try {
    size_t used = 0;
    switch (type) {
      case OptionType::Integer: value = std::stoll(text, &used); break;
      case OptionType::Real: value = std::stod(text, &used); break;
      case OptionType::Choice: value = text; used = text.size(); break;
      case OptionType::Flag:
        if (text == "true" || text == "1" || text == "yes" || text == "on") value = true;
        else if (text == "false" || text == "0" || text == "no" || text == "off") value = false;
        else fail();
        used = text.size();
        break;
    }
    if (used != text.size() || text.empty()) fail();
  } catch (const std::logic_error&) {  // stoll / stod: not a number or out of range
    fail();
  }
  check(value);
  return value;
}

nlohmann::json complete_options(const std::string& family, const std::vector<OptionSpec>& specs, const nlohmann::json& given) {
  if (!given.is_null() && !given.is_object()) throw std::invalid_argument("family " + family + ": options must be a JSON object, got " + given.dump());
  nlohmann::json complete = nlohmann::json::object();
  std::vector<std::string> names;
  for (const OptionSpec& spec : specs) {
    names.push_back(spec.name);
    const nlohmann::json value = given.is_object() && given.contains(spec.name) ? given.at(spec.name) : spec.default_value;
    spec.check(value);
    complete[spec.name] = value;
  }
  if (given.is_object())
    for (const auto& [key, value] : given.items())
      if (!complete.contains(key))
        throw std::invalid_argument("family " + family + " has no option '" + key + "' (" +
                                    (names.empty() ? std::string("it has no options") : "its options: " + joined(names)) + ")");
  return complete;
}

}  // namespace ndtmoe
