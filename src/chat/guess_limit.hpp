// Wrong passwords counted per address, so that guessing is slow (docs/PROTOCOL.md): five within
// ten minutes shut that address out for ten minutes. The table is bounded, whatever the number of
// addresses a guesser has.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chat {

class GuessLimit {
 public:
  static constexpr std::size_t kMaxWrong = 5;
  static constexpr std::int64_t kWindowMs = 10 * 60 * 1000;
  static constexpr std::int64_t kLockoutMs = 10 * 60 * 1000;
  // Addresses remembered at once: about 100 bytes each, so at most about half a megabyte. When
  // the table is full, addresses with nothing recent are forgotten first, then the one whose last
  // wrong password is the oldest, never one that is shut out while one that is not can go.
  static constexpr std::size_t kMaxAddresses = 4096;

  // The key an address counts under: an IPv4 address itself, an IPv6 address by its /64, which
  // is what one subscriber or one machine usually has to itself.
  static std::string keyOf(std::string_view address);

  bool lockedOut(const std::string& key, std::int64_t now_ms) const;
  // Counts a wrong password from `key`; true when this one shut it out.
  bool wrong(const std::string& key, std::int64_t now_ms);
  std::size_t size() const { return records_.size(); }

 private:
  struct Record {
    std::array<std::int64_t, kMaxWrong> recent{};  // times of the latest wrong passwords
    std::size_t count = 0;                         // how many of `recent` are in use
    std::int64_t locked_until = 0;
    std::int64_t last = 0;
  };
  void makeRoom(std::int64_t now_ms);

  std::unordered_map<std::string, Record> records_;
};

}  // namespace chat
