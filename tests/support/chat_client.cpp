// The portable part of the test client, built on platform/net.hpp.
#include "support/chat_client.hpp"

#include <algorithm>

#include "support/wire.hpp"

namespace e2e {

namespace {

// Big enough to swallow a flood quickly, small enough for the stack of a test thread.
constexpr std::size_t kReceiveChunk = 64 * 1024;

std::int64_t remainingMs(std::int64_t deadline) {
  return std::max<std::int64_t>(0, deadline - net::monotonicMs());
}

}  // namespace

bool ChatClient::connect(std::string_view host, std::uint16_t port) {
  socket_ = net::connectTcp(host, port, error_);
  if (!socket_.valid()) return false;
  // Every wait goes through select(), so a misbehaving server can never hang a test.
  error_ = net::setNonBlocking(socket_, true);
  return !error_;
}

bool ChatClient::connectAndReadBanner(std::string_view host, std::uint16_t port) {
  return connect(host, port) && readExactly(kBanner.size()) == kBanner;
}

std::string ChatClient::join(std::string_view name, std::int64_t timeout_ms) {
  if (!send(std::string(name) + "\n", timeout_ms)) return {};
  return readUntil("][" + std::string(name) + "]:", timeout_ms);
}

std::uint16_t ChatClient::localPort() const { return net::localPort(socket_); }

bool ChatClient::waitFor(bool read, bool write, std::int64_t timeout_ms) {
  net::SelectSet set;
  if (!set.add(socket_, read, write)) return false;
  net::NetError error;
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  do {
    const int ready = set.wait(remainingMs(deadline), error);
    if (ready > 0) return true;
    if (ready < 0) {
      error_ = error;
      return false;
    }
  } while (remainingMs(deadline) > 0);
  return false;
}

std::size_t ChatClient::sendAvailable(std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const net::IoResult result = net::sendSome(socket_, bytes.data() + sent, bytes.size() - sent);
    if (result.error.kind == net::ErrorKind::Interrupted) continue;
    if (result.error) {
      if (result.error.kind != net::ErrorKind::WouldBlock) error_ = result.error;
      break;
    }
    sent += result.bytes;
  }
  return sent;
}

bool ChatClient::send(std::string_view bytes, std::int64_t timeout_ms) {
  if (!socket_.valid()) return false;
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  error_ = {};
  while (!bytes.empty()) {
    bytes.remove_prefix(sendAvailable(bytes));
    if (error_) return false;
    if (!bytes.empty() && !waitFor(false, true, remainingMs(deadline))) return false;
  }
  return true;
}

bool ChatClient::receiveOnce(std::int64_t timeout_ms) {
  if (!socket_.valid() || peer_closed_) return false;
  if (!waitFor(true, false, timeout_ms)) return false;
  char chunk[kReceiveChunk];
  for (;;) {
    const net::IoResult result = net::receiveSome(socket_, chunk, sizeof chunk);
    if (result.error.kind == net::ErrorKind::Interrupted) continue;
    if (result.closed) {
      peer_closed_ = true;
      return false;
    }
    if (result.error) {
      // A reset ends the stream as surely as a FIN does, as far as these tests care.
      if (result.error.kind == net::ErrorKind::WouldBlock) return true;
      error_ = result.error;
      peer_closed_ = true;
      return false;
    }
    buffer_.append(chunk, result.bytes);
    total_received_ += result.bytes;
    return true;
  }
}

std::string ChatClient::take(std::size_t count) {
  count = std::min(count, buffer_.size());
  std::string taken = buffer_.substr(0, count);
  buffer_.erase(0, count);
  return taken;
}

std::string ChatClient::readUntil(const Completion& complete, std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  for (;;) {
    const std::size_t length = complete(buffer_);
    if (length != std::string_view::npos) return take(length);
    const bool received = receiveOnce(remainingMs(deadline));
    if (!received && (peer_closed_ || !socket_.valid() || remainingMs(deadline) == 0)) {
      return take(buffer_.size());
    }
  }
}

std::string ChatClient::readUntil(std::string_view token, std::int64_t timeout_ms) {
  const std::string wanted(token);
  return readUntil(
      [&wanted](std::string_view bytes) {
        const std::size_t at = bytes.find(wanted);
        return at == std::string_view::npos ? at : at + wanted.size();
      },
      timeout_ms);
}

std::string ChatClient::readExactly(std::size_t count, std::int64_t timeout_ms) {
  return readUntil(
      [count](std::string_view bytes) {
        return bytes.size() >= count ? count : std::string_view::npos;
      },
      timeout_ms);
}

std::string ChatClient::readLike(std::string_view pattern, std::int64_t timeout_ms) {
  return maskTimestamps(readExactly(wireLength(pattern), timeout_ms));
}

std::string ChatClient::readUntilClosed(std::int64_t timeout_ms) {
  return readUntil([](std::string_view) { return std::string_view::npos; }, timeout_ms);
}

std::string ChatClient::readFor(std::int64_t window_ms) {
  return readUntil([](std::string_view) { return std::string_view::npos; }, window_ms);
}

std::string ChatClient::readAvailable() {
  while (receiveOnce(0)) {
  }
  return take(buffer_.size());
}

std::string ChatClient::readSome(std::size_t most) {
  std::string got = take(most);
  char chunk[kReceiveChunk];
  while (got.size() < most && socket_.valid() && !peer_closed_) {
    const std::size_t wanted = std::min(most - got.size(), sizeof chunk);
    const net::IoResult result = net::receiveSome(socket_, chunk, wanted);
    if (result.error.kind == net::ErrorKind::Interrupted) continue;
    if (result.closed || (result.error && result.error.kind != net::ErrorKind::WouldBlock)) {
      if (result.error) error_ = result.error;
      peer_closed_ = true;
      break;
    }
    if (result.error) break;  // nothing more has arrived
    got.append(chunk, result.bytes);
    total_received_ += result.bytes;
  }
  return got;
}

void ChatClient::close() { socket_.close(); }

void ChatClient::shutdownWrite() { net::shutdownWrite(socket_); }

}  // namespace e2e
