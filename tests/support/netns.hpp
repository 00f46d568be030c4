// Network namespaces for tests that need a real network between a server and its clients, one
// whose path can vanish without a FIN or a reset, as Wi-Fi that drops or a closed laptop does.
//
// Everything lives in namespaces the test creates: nothing is added to the machine's own network,
// so the fixed addresses below never clash with anything, and tests running at the same time
// (Release and Sanitize builds, other checkouts) each get namespaces of their own, named
// "ncchat-PID-N-ROLE". Destructors delete them, with every link in them, also when a test fails
// (a namespace left behind by a killed run is deleted by the next run of the tests).
//
// Linux only, and root only: call netnsUnavailableReason() first and skip when it says why not.
//
// A typical test:
//
//   e2e::TwoHosts hosts;                            // server and client namespaces, a veth pair
//   BOOST_REQUIRE_MESSAGE(hosts.ok(), hosts.error());
//   // the server, inside the server namespace, on a port of its own choosing
//   auto server = ServerProcess::startExactly({"2525"}, 2525, error, hosts.server().runInside());
//   // a program inside the client namespace: tmux, nc, netcat-chat --connect ...
//   Process::start(hosts.client().runInside({"nc", TwoHosts::kServerAddress, "2525"}), ...);
//   // or a socket of this test process, opened inside the client namespace
//   { Netns::Inside inside(hosts.client()); client.connect(TwoHosts::kServerAddress, 2525); }
//   hosts.blackholeClient();  // the client's network vanishes: what it sends is dropped
//   hosts.restoreClient();    // and comes back
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace e2e {

// Empty when this process can create network namespaces (root, with `ip`, allowed to make one);
// otherwise why not, in words fit for "<suite>/<case> skipped: <reason>".
std::string netnsUnavailableReason();

// One network namespace with its loopback up, deleted when the object goes.
class Netns {
 public:
  // `role` ends the name, e.g. "srv"; a few letters.
  explicit Netns(const std::string& role);
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& name() const { return name_; }

  // Runs `ip -n NAME args...` and waits; false with `why` set (its stderr) when it fails.
  bool ip(const std::vector<std::string>& args, std::string& why) const;
  // Runs `argv` inside the namespace and waits for it; false with `why` set when it fails.
  bool run(const std::vector<std::string>& argv, std::string& why) const;
  // `ip netns exec NAME` followed by `argv`: the words that start a program inside, for
  // Process::start, ServerProcess's wrapper or a tmux command line. The program keeps its pid.
  std::vector<std::string> runInside(const std::vector<std::string>& argv = {}) const;

  // Waits until this namespace has a connection from local TCP port `port` to `peer_address` and
  // everything sent on such connections has been acknowledged (ss's Send-Q is 0): a peer that
  // vanishes after that has nothing being retransmitted to it, so that nothing reaches it later
  // by chance. False, with `why` set, when ss fails or `timeout_ms` passes first.
  bool awaitAllAcknowledged(std::uint16_t port, const std::string& peer_address,
                            std::int64_t timeout_ms, std::string& why) const;

  // While it lives, sockets that the calling thread opens belong to the namespace (setns(2) on
  // this thread, and back when it goes). A socket stays in the namespace it was opened in.
  class Inside {
   public:
    explicit Inside(const Netns& netns);
    ~Inside();
    Inside(const Inside&) = delete;
    Inside& operator=(const Inside&) = delete;
    bool ok() const { return home_ >= 0 && entered_; }

   private:
    int home_ = -1;
    bool entered_ = false;
  };

 private:
  std::string name_;
  std::string error_;
  bool created_ = false;
};

// Two hosts on one link: a server namespace and a client namespace joined by a veth pair.
class TwoHosts {
 public:
  // RFC 2544's benchmarking range: reserved for test networks, never routed anywhere.
  static constexpr const char* kServerAddress = "198.18.0.1";
  static constexpr const char* kClientAddress = "198.18.0.2";

  TwoHosts();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  Netns& server() { return server_; }
  Netns& client() { return client_; }

  // The client's network vanishes: everything it sends to the server is dropped (a blackhole
  // route in the client namespace; no link goes down, so nothing tells either side). The
  // server's packets still reach the client's kernel, whose answers go nowhere.
  bool blackholeClient(std::string& why);
  bool restoreClient(std::string& why);
  // The same from the server's side: what the server sends to the client is dropped.
  bool blackholeServer(std::string& why);
  bool restoreServer(std::string& why);

 private:
  Netns server_{"srv"};
  Netns client_{"cli"};
  std::string error_;
};

// A client and a server on two links joined by a router namespace that forwards between them, so
// that a firewall can sit on the path.
class RoutedHosts {
 public:
  static constexpr const char* kServerAddress = "198.18.2.2";
  static constexpr const char* kClientAddress = "198.18.1.2";

  RoutedHosts();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  Netns& server() { return server_; }
  Netns& client() { return client_; }
  Netns& router() { return router_; }

  // Makes the router a stateful firewall that forgets a connection idle for `seconds` and then
  // drops its packets as not belonging to any connection (conntrack's established timeout,
  // strict tracking, and nftables' `ct state invalid drop` on the forward path), as home routers,
  // cloud NAT and load balancers do after minutes.
  bool forgetIdleAfter(int seconds, std::string& why);

 private:
  Netns server_{"srv"};
  Netns router_{"rtr"};
  Netns client_{"cli"};
  std::string error_;
};

}  // namespace e2e
