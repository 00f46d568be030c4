// Network namespaces for tests: created and deleted with `ip`, entered with setns(2).
#include "support/netns.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sstream>

#include "net.hpp"
#include "support/process.hpp"

namespace e2e {
namespace {

constexpr const char* kPrefix = "ncchat-";
// `ip` and `nft` answer in milliseconds; this only bounds a machine that hangs.
constexpr std::int64_t kCommandTimeoutMs = 20000;

std::atomic<int> g_counter{0};

bool runCommand(const std::vector<std::string>& argv, std::string& why) {
  std::string error;
  auto process = Process::start(argv, false, error);
  if (!process) {
    why = argv[0] + " did not start: " + error;
    return false;
  }
  const auto status = process->waitForExit(kCommandTimeoutMs);
  if (status && status->exitedWith(0)) return true;
  std::string command;
  for (const std::string& word : argv) command += (command.empty() ? "" : " ") + word;
  why = command + ": " + (status ? status->describe() : std::string("timed out")) + ": " +
        process->standardError();
  while (!why.empty() && why.back() == '\n') why.pop_back();
  return false;
}

bool executableOnPath(const std::string& name) {
  const std::string path = environmentValue("PATH");
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const std::string dir = path.substr(start, end - start);
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// A namespace of a test run that was killed before its destructors ran: its pid is gone.
void deleteLeftovers() {
  DIR* dir = ::opendir("/run/netns");
  if (dir == nullptr) return;
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind(kPrefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      stale.push_back(name);
    }
  }
  ::closedir(dir);
  std::string ignored;
  for (const std::string& name : stale) runCommand({"ip", "netns", "delete", name}, ignored);
}

}  // namespace

std::string netnsUnavailableReason() {
  if (::geteuid() != 0) return "network namespaces need root";
  if (!executableOnPath("ip")) return "the ip command (iproute2) is not installed";
  // Root in a container may still lack the right to make namespaces; one try tells, once.
  static const std::string refused = [] {
    const Netns probe("probe");
    return probe.ok() ? std::string() : "cannot create a network namespace here: " + probe.error();
  }();
  return refused;
}

Netns::Netns(const std::string& role) {
  static const bool swept = (deleteLeftovers(), true);
  (void)swept;
  name_ = std::string(kPrefix) + std::to_string(::getpid()) + "-" +
          std::to_string(g_counter.fetch_add(1)) + "-" + role;
  if (!runCommand({"ip", "netns", "add", name_}, error_)) return;
  created_ = true;
  ip({"link", "set", "lo", "up"}, error_);
}

Netns::~Netns() {
  if (!created_) return;
  std::string ignored;
  runCommand({"ip", "netns", "delete", name_}, ignored);
}

bool Netns::ip(const std::vector<std::string>& args, std::string& why) const {
  std::vector<std::string> argv = {"ip", "-n", name_};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv, why);
}

bool Netns::run(const std::vector<std::string>& argv, std::string& why) const {
  return runCommand(runInside(argv), why);
}

namespace {

// How often the send queues are looked at while waiting for them to empty.
constexpr std::int64_t kAcknowledgedPollMs = 10;

}  // namespace

bool Netns::awaitAllAcknowledged(std::uint16_t port, const std::string& peer_address,
                                 std::int64_t timeout_ms, std::string& why) const {
  const std::vector<std::string> command =
      runInside({"ss", "-tnH", "state", "established", "dst", peer_address, "sport", "=",
                 ":" + std::to_string(port)});
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  for (;;) {
    std::string error;
    auto ss = Process::start(command, false, error);
    if (!ss) {
      why = "ss did not start: " + error;
      return false;
    }
    const auto status = ss->waitForExit(kCommandTimeoutMs);
    if (!status || !status->exitedWith(0)) {
      why = "ss failed: " + ss->standardError();
      return false;
    }
    // One row per connection: "Recv-Q Send-Q local peer".
    const std::string listing = ss->standardOutput();
    std::istringstream rows(listing);
    std::string recv_q;
    std::string send_q;
    bool all_acknowledged = !listing.empty();
    while (rows >> recv_q >> send_q) {
      all_acknowledged = all_acknowledged && send_q == "0";
      rows.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    if (all_acknowledged) return true;
    if (net::monotonicMs() >= deadline) {
      why = "data stays unacknowledged: " + listing;
      return false;
    }
    pauseMs(kAcknowledgedPollMs);
  }
}

std::vector<std::string> Netns::runInside(const std::vector<std::string>& argv) const {
  std::vector<std::string> words = {"ip", "netns", "exec", name_};
  words.insert(words.end(), argv.begin(), argv.end());
  return words;
}

Netns::Inside::Inside(const Netns& netns) {
  home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = ::open(("/run/netns/" + netns.name()).c_str(), O_RDONLY | O_CLOEXEC);
  entered_ = home_ >= 0 && target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
  if (target >= 0) ::close(target);
}

Netns::Inside::~Inside() {
  if (home_ < 0) return;
  if (entered_) ::setns(home_, CLONE_NEWNET);
  ::close(home_);
}

namespace {

// Gives `netns` the address `cidr` on `device` and brings the device up.
bool configure(const Netns& netns, const std::string& device, const std::string& cidr,
               std::string& why) {
  return netns.ip({"addr", "add", cidr, "dev", device}, why) &&
         netns.ip({"link", "set", device, "up"}, why);
}

// A veth pair whose ends are created straight inside `a` and `b`: the machine's own namespace
// never holds either, so no name of it can clash with anything there.
bool joinByVeth(const Netns& a, const std::string& a_device, const Netns& b,
                const std::string& b_device, std::string& why) {
  return a.ip(
      {"link", "add", a_device, "type", "veth", "peer", "name", b_device, "netns", b.name()}, why);
}

std::string hostRoute(const char* address) { return std::string(address) + "/32"; }

}  // namespace

TwoHosts::TwoHosts() {
  if (!server_.ok()) error_ = server_.error();
  if (error_.empty() && !client_.ok()) error_ = client_.error();
  if (!error_.empty()) return;
  if (!joinByVeth(server_, "to-client", client_, "to-server", error_)) return;
  if (!configure(server_, "to-client", std::string(kServerAddress) + "/24", error_)) return;
  configure(client_, "to-server", std::string(kClientAddress) + "/24", error_);
}

bool TwoHosts::blackholeClient(std::string& why) {
  return client_.ip({"route", "add", "blackhole", hostRoute(kServerAddress)}, why);
}

bool TwoHosts::restoreClient(std::string& why) {
  return client_.ip({"route", "del", "blackhole", hostRoute(kServerAddress)}, why);
}

bool TwoHosts::blackholeServer(std::string& why) {
  return server_.ip({"route", "add", "blackhole", hostRoute(kClientAddress)}, why);
}

bool TwoHosts::restoreServer(std::string& why) {
  return server_.ip({"route", "del", "blackhole", hostRoute(kClientAddress)}, why);
}

namespace {

constexpr const char* kRouterToClient = "198.18.1.1";
constexpr const char* kRouterToServer = "198.18.2.1";

}  // namespace

RoutedHosts::RoutedHosts() {
  for (const Netns* netns : {&server_, &router_, &client_}) {
    if (error_.empty() && !netns->ok()) error_ = netns->error();
  }
  if (!error_.empty()) return;
  const bool ok = joinByVeth(client_, "to-router", router_, "to-client", error_) &&
                  joinByVeth(server_, "to-router", router_, "to-server", error_) &&
                  configure(client_, "to-router", std::string(kClientAddress) + "/24", error_) &&
                  configure(server_, "to-router", std::string(kServerAddress) + "/24", error_) &&
                  configure(router_, "to-client", std::string(kRouterToClient) + "/24", error_) &&
                  configure(router_, "to-server", std::string(kRouterToServer) + "/24", error_) &&
                  client_.ip({"route", "add", "default", "via", kRouterToClient}, error_) &&
                  server_.ip({"route", "add", "default", "via", kRouterToServer}, error_) &&
                  router_.run({"sysctl", "-q", "-w", "net.ipv4.ip_forward=1"}, error_);
  (void)ok;
}

bool RoutedHosts::forgetIdleAfter(int seconds, std::string& why) {
  // The rule first: it starts connection tracking in the router, whose settings follow.
  return router_.run({"nft",
                      "add table inet forgetful; "
                      "add chain inet forgetful forward { type filter hook forward priority 0; }; "
                      "add rule inet forgetful forward ct state invalid drop"},
                     why) &&
         router_.run(
             {"sysctl", "-q", "-w",
              "net.netfilter.nf_conntrack_tcp_timeout_established=" + std::to_string(seconds),
              "net.netfilter.nf_conntrack_tcp_loose=0"},
             why);
}

}  // namespace e2e
