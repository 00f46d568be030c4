// Unit tests of when the server pauses to gather input: simulated turns against two kinds of
// clients, those that send as fast as they can and those that wait for the server's reply.
#include "server/gather_policy.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>

using server::GatherPolicy;

namespace {

enum class Clients {
  Eager,    // input arrives at a steady rate: a longer turn gathers more
  Waiting,  // each turn's reply releases the next input: a turn gathers the same however long
};

constexpr std::int64_t kWorkUs = 50;   // one turn's own work, in wall time
constexpr std::int64_t kPauseUs = 70;  // a pause as the timer delivers it
constexpr std::size_t kEagerBytesPerUs = 2;
constexpr std::size_t kWaitingBytesPerTurn = 400;
// CPU time: a fixed cost per turn (select, one send per client), a little per byte, and the
// wake-up after a pause.
constexpr std::int64_t kTurnCpuUs = 30;
constexpr std::size_t kBytesPerCpuUs = 100;
constexpr std::int64_t kWakeCpuUs = 8;

// Turns of a busy chat in simulated time, the policy deciding before each whether to pause.
struct Simulation {
  explicit Simulation(std::int64_t wake_cpu_us = kWakeCpuUs,
                      const GatherPolicy::Settings& settings = GatherPolicy::Settings())
      : policy([this] { return cpu_us; }, settings), wake_cpu_us(wake_cpu_us) {}
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  GatherPolicy policy;
  std::int64_t wake_cpu_us;
  std::int64_t now_us = 0;
  std::int64_t cpu_us = 0;
  bool pause = false;
  int turns = 0;
  int paused_turns = 0;

  // Runs turns until the clock reaches until_ms; senders is how many clients every turn reads.
  void runUntil(std::int64_t until_ms, Clients clients, int senders) {
    turns = 0;
    paused_turns = 0;
    while (now_us < until_ms * 1000) {
      std::int64_t span = kWorkUs;
      if (pause) {
        span += kPauseUs;
        cpu_us += wake_cpu_us;
        ++paused_turns;
      }
      now_us += span;
      ++turns;
      const std::size_t bytes = clients == Clients::Eager
                                    ? static_cast<std::size_t>(span) * kEagerBytesPerUs
                                    : kWaitingBytesPerTurn;
      cpu_us += kTurnCpuUs + static_cast<std::int64_t>(bytes / kBytesPerCpuUs);
      pause = policy.afterTurn(now_us / 1000, bytes, senders);
    }
  }
};

// 4 senders, 50 ms stretches, 1 s cycles, keep 50%, heavy from 64 KiB per stretch. The simulated
// clients send 2 bytes per microsecond or 400 bytes a turn: heavy either way.
const GatherPolicy::Settings kSettings{};
std::int64_t noCpu() { return 0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(gather_policy)

BOOST_AUTO_TEST_CASE(turns_with_few_senders_never_pause) {
  Simulation sim;
  sim.runUntil(3 * kSettings.cycle_ms, Clients::Eager, kSettings.min_senders - 1);
  BOOST_TEST(sim.turns > 1000);
  BOOST_TEST(sim.paused_turns == 0);
}

BOOST_AUTO_TEST_CASE(the_first_stretch_of_a_cycle_runs_without_pauses_the_second_with) {
  Simulation sim;
  sim.runUntil(kSettings.probe_ms - 1, Clients::Eager, 10);
  BOOST_TEST(sim.turns > 100);
  BOOST_TEST(sim.paused_turns == 0);
  sim.runUntil(kSettings.probe_ms + 2, Clients::Eager, 10);  // across the boundary
  sim.runUntil(2 * kSettings.probe_ms - 1, Clients::Eager, 10);
  BOOST_TEST(sim.turns > 100);
  BOOST_TEST(sim.paused_turns == sim.turns);
}

BOOST_AUTO_TEST_CASE(eager_clients_keep_their_rate_so_busy_turns_pause) {
  Simulation sim;
  sim.runUntil(2 * kSettings.probe_ms + 5, Clients::Eager, 10);
  BOOST_TEST(sim.policy.pausing());
  sim.runUntil(kSettings.cycle_ms - 1, Clients::Eager, 10);
  BOOST_TEST(sim.paused_turns == sim.turns);
}

// The first cycle's measurement says "no pauses", and the rest of the cycle has none.
void checkTheVerdictIsNoPauses(Simulation& sim, Clients clients) {
  sim.runUntil(2 * kSettings.probe_ms + 5, clients, 10);
  BOOST_TEST(!sim.policy.pausing());
  sim.runUntil(kSettings.cycle_ms - 1, clients, 10);
  BOOST_TEST(sim.turns > 1000);
  BOOST_TEST(sim.paused_turns == 0);
}

BOOST_AUTO_TEST_CASE(clients_waiting_for_replies_would_slow_down_so_nothing_pauses) {
  Simulation sim;
  checkTheVerdictIsNoPauses(sim, Clients::Waiting);
}

BOOST_AUTO_TEST_CASE(a_pause_whose_wake_up_costs_more_cpu_than_it_saves_is_dropped) {
  Simulation sim(/*wake_cpu_us=*/500);
  checkTheVerdictIsNoPauses(sim, Clients::Eager);
}

BOOST_AUTO_TEST_CASE(every_cycle_measures_again) {
  Simulation sim;
  sim.runUntil(kSettings.cycle_ms - 1, Clients::Waiting, 10);
  BOOST_TEST(!sim.policy.pausing());
  // The clients change; the next cycle notices and pauses from its verdict on.
  sim.runUntil(kSettings.cycle_ms + 2 * kSettings.probe_ms + 5, Clients::Eager, 10);
  BOOST_TEST(sim.policy.pausing());
  sim.runUntil(2 * kSettings.cycle_ms - 1, Clients::Eager, 10);
  BOOST_TEST(sim.paused_turns == sim.turns);
  // And back.
  sim.runUntil(2 * kSettings.cycle_ms + 2 * kSettings.probe_ms + 5, Clients::Waiting, 10);
  BOOST_TEST(!sim.policy.pausing());
}

BOOST_AUTO_TEST_CASE(a_rate_kept_just_above_the_threshold_still_pauses_and_just_below_does_not) {
  GatherPolicy::Settings settings;
  settings.keep_percent = 80;
  for (const std::size_t with_bytes : {81000u, 79000u}) {
    // The stretch with pauses takes half the CPU time of the one without.
    const std::int64_t readings[] = {0, 100, 150};
    std::size_t read = 0;
    GatherPolicy policy([&] { return readings[read++]; }, settings);
    // A turn a millisecond: the first starts the cycle, the next 50 are without pauses, and the
    // 50 after them with; the last of those gives the verdict.
    policy.afterTurn(0, 0, 10);
    for (std::int64_t now = 1; now <= settings.probe_ms; ++now) policy.afterTurn(now, 100000, 10);
    bool paused = false;
    for (std::int64_t now = settings.probe_ms + 1; now <= 2 * settings.probe_ms; ++now) {
      paused = policy.afterTurn(now, with_bytes, 10);
    }
    BOOST_TEST(read == 3u);
    BOOST_TEST(paused == (with_bytes >= 80000u),
               "with " << with_bytes << " bytes per ms against 100000");
    BOOST_TEST(policy.pausing() == paused);
  }
}

BOOST_AUTO_TEST_CASE(light_load_never_pauses_even_with_many_senders_a_turn) {
  // Ten clients at once every millisecond, 100 bytes in all: far below heavy_bytes per stretch.
  GatherPolicy policy(noCpu);
  int paused = 0;
  for (std::int64_t now = 0; now < 3 * kSettings.cycle_ms; ++now) {
    if (policy.afterTurn(now, 100, 10)) ++paused;
  }
  BOOST_TEST(paused == 0);
  BOOST_TEST(!policy.pausing());
}

BOOST_AUTO_TEST_CASE(before_the_first_verdict_nothing_pauses_and_idle_turns_never_do) {
  GatherPolicy policy(noCpu);
  BOOST_TEST(!policy.pausing());
  BOOST_TEST(!policy.afterTurn(0, 0, 0));
  BOOST_TEST(!policy.afterTurn(400, 0, 0));  // an idle select() that slept long
  BOOST_TEST(!policy.pausing());
  BOOST_TEST(!policy.afterTurn(401, 100, 10));
}

BOOST_AUTO_TEST_SUITE_END()
