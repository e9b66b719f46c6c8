// Devices said by their kind ("the lights", "laundry room shutters") give Home Assistant's
// area/floor + domain/device_class, not a device name (nlp/device_words.hpp).
#include "nlp/device_words.hpp"

#include <gtest/gtest.h>

#include <map>

namespace earshot::nlp {
namespace {

SlotNormalizer home() {
  nlohmann::json meta = {{"home",
                          {{"names", {"garage door", "porch light"}},
                           {"areas", {"laundry room", "living room"}},
                           {"floors", {"basement"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  EXPECT_TRUE(n.ok());
  return std::move(*n);
}

std::vector<SlotValue> slots_of(std::map<std::string, std::string> kv) {
  std::vector<SlotValue> out;
  for (auto& [k, v] : kv) {
    SlotValue s;
    s.name = k;
    s.text = v;
    out.push_back(s);
  }
  return out;
}

std::map<std::string, std::string> as_map(const std::vector<SlotValue>& slots) {
  std::map<std::string, std::string> out;
  for (const auto& s : slots) out[s.name] = s.text;
  return out;
}

using M = std::map<std::string, std::string>;

TEST(SlotDeviceWords, AnAreaAndAKindReadAsOneNameSplit) {
  auto slots = slots_of({{"name", "laundry room shutters"}});
  settle_device_words("open my laundry room shutters", "HassTurnOn", home(), &slots);
  EXPECT_EQ(as_map(slots),
            (M{{"area", "laundry room"}, {"device_class", "shutter"}, {"domain", "cover"}}));
  slots = slots_of({{"name", "basement lamp"}});
  settle_device_words("activate basement lamp", "HassTurnOn", home(), &slots);
  EXPECT_EQ(as_map(slots), (M{{"floor", "basement"}, {"domain", "light"}}));
  slots = slots_of({{"name", "lights"}, {"area", "living room"}});
  settle_device_words("toggle lights in the living room", "HassToggle", home(), &slots);
  EXPECT_EQ(as_map(slots), (M{{"area", "living room"}, {"domain", "light"}}));
}

TEST(SlotDeviceWords, AKindWordSuppliesAMissingDomain) {
  auto slots = slots_of({{"area", "living room"}});
  settle_device_words("flip the light in the living room", "HassToggle", home(), &slots);
  EXPECT_EQ(as_map(slots), (M{{"area", "living room"}, {"domain", "light"}}));
  slots = slots_of({{"area", "living room"}, {"device_class", "awning"}});
  settle_device_words("shut the awning in the living room", "HassTurnOff", home(), &slots);
  EXPECT_EQ(as_map(slots)["domain"], "cover");
  slots = slots_of({{"color", "blue"}});
  settle_device_words("make it blue", "HassLightSet", home(), &slots);
  EXPECT_EQ(as_map(slots), (M{{"color", "blue"}, {"domain", "light"}}));
}

TEST(SlotDeviceWords, NamesOtherIntentsAndUnknownPlacesStay) {
  // A home name, and an unknown "<word> <kind>" (a device the home may not list yet).
  for (const char* name : {"porch light", "desk lamp"}) {
    auto slots = slots_of({{"name", name}});
    settle_device_words(std::string("turn on the ") + name, "HassTurnOn", home(), &slots);
    EXPECT_EQ(as_map(slots), (M{{"name", name}}));
  }
  auto slots = slots_of({{"area", "living room"}});
  settle_device_words("what is the light in the living room", "HassGetState", home(), &slots);
  EXPECT_EQ(as_map(slots), (M{{"area", "living room"}}));
  slots = slots_of({{"domain", "fan"}});
  settle_device_words("turn on the fan and the light", "HassTurnOn", home(), &slots);
  EXPECT_EQ(as_map(slots), (M{{"domain", "fan"}}));
  slots = {};
  settle_device_words("turn on the heating", "HassTurnOn", home(), &slots);
  EXPECT_TRUE(slots.empty());
  EXPECT_TRUE(device_word("garage").domain.empty());
  EXPECT_EQ(device_word("garage door").device_class, "garage");
}

}  // namespace
}  // namespace earshot::nlp
