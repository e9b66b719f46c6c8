// The transition table: every state is reachable from idle and leads back to it, errors go
// to idle from anywhere, and a trigger a state has no transition for changes nothing.
#include <gtest/gtest.h>

#include <set>

#include "pipeline/state_machine.hpp"

namespace earshot::pipeline {
namespace {

constexpr State kAll[] = {State::kIdle, State::kListening, State::kCapturing,
                          State::kUnderstanding, State::kFollowUp};
constexpr Trigger kTriggers[] = {Trigger::kVoice, Trigger::kQuiet, Trigger::kWake,
                                 Trigger::kNoSpeech, Trigger::kFinal, Trigger::kDone,
                                 Trigger::kDoneFollowUp, Trigger::kCommandSpeech, Trigger::kError};

std::set<State> reachable_from(State s) {
  std::set<State> seen{s};
  bool grew = true;
  while (grew) {
    grew = false;
    for (State a : std::set<State>(seen)) {
      for (Trigger t : kTriggers) {
        if (auto n = next_state(a, t); n && seen.insert(*n).second) grew = true;
      }
    }
  }
  return seen;
}

TEST(StateMachine, TheCommandPath) {
  State s = State::kIdle;
  for (auto [t, want] : {std::pair{Trigger::kVoice, State::kListening},
                         std::pair{Trigger::kWake, State::kCapturing},
                         std::pair{Trigger::kFinal, State::kUnderstanding},
                         std::pair{Trigger::kDone, State::kIdle}}) {
    auto n = next_state(s, t);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, want);
    s = *n;
  }
}

TEST(StateMachine, EveryStateIsReachableAndReturnsToIdle) {
  EXPECT_EQ(reachable_from(State::kIdle).size(), std::size(kAll));
  for (State s : kAll) EXPECT_TRUE(reachable_from(s).count(State::kIdle)) << state_name(s);
}

TEST(StateMachine, ErrorsGoToIdleFromAnywhere) {
  for (State s : kAll) EXPECT_EQ(next_state(s, Trigger::kError), State::kIdle) << state_name(s);
}

TEST(StateMachine, TriggersWithoutATransitionAreIgnored) {
  EXPECT_FALSE(next_state(State::kIdle, Trigger::kWake).has_value());  // tier 1 is off in idle
  EXPECT_FALSE(next_state(State::kIdle, Trigger::kFinal).has_value());
  EXPECT_FALSE(next_state(State::kCapturing, Trigger::kWake).has_value());
  EXPECT_FALSE(next_state(State::kUnderstanding, Trigger::kVoice).has_value());
  // Follow-up only after a command.
  for (State s : kAll) {
    if (s != State::kUnderstanding) {
      EXPECT_NE(next_state(s, Trigger::kDoneFollowUp), State::kFollowUp) << state_name(s);
    }
  }
}

TEST(StateMachine, TableHasNoDuplicateOrSelfTransitions) {
  std::set<std::pair<State, Trigger>> keys;
  for (const auto& t : kTransitions) {
    EXPECT_TRUE(keys.insert({t.from, t.trigger}).second);
    EXPECT_NE(t.from, t.to);
  }
}

}  // namespace
}  // namespace earshot::pipeline
