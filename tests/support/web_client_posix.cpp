// The raw WebSocket test client: enough of a browser to check the server byte by byte.
#include "support/web_client.hpp"

#include <cctype>

#include "support/wire.hpp"

namespace e2e {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// How many bytes at the front of `bytes` make one whole server frame, or npos.
std::size_t frameLength(std::string_view bytes) {
  std::string copy(bytes.substr(0, bytes.size() < 16 ? bytes.size() : 16));
  if (copy.size() < 2) return std::string_view::npos;
  const auto b1 = static_cast<std::uint8_t>(copy[1]);
  std::uint64_t n = b1 & 0x7F;
  std::size_t at = 2;
  const std::size_t extra = n == 126 ? 2 : (n == 127 ? 8 : 0);
  if (copy.size() < at + extra) return std::string_view::npos;
  if (extra > 0) {
    n = 0;
    for (std::size_t i = 0; i < extra; ++i) n = n << 8 | static_cast<std::uint8_t>(copy[at + i]);
    at += extra;
  }
  if ((b1 & 0x80) != 0) at += 4;
  return bytes.size() >= at + n ? at + static_cast<std::size_t>(n) : std::string_view::npos;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  const std::string wanted = "\r\n" + lower(name) + ":";
  const std::string lowered = lower(head);
  const std::size_t at = lowered.find(wanted);
  if (at == std::string::npos) return {};
  std::size_t start = at + wanted.size();
  while (start < head.size() && head[start] == ' ') ++start;
  const std::size_t end = head.find("\r\n", start);
  return head.substr(start, end - start);
}

std::string upgradeRequest(std::string_view host, std::string_view extra,
                           std::string_view version) {
  return "GET /chat HTTP/1.1\r\nHost: " + std::string(host) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
         std::string(kExampleKey) + "\r\nSec-WebSocket-Version: " + std::string(version) + "\r\n" +
         std::string(extra) + "\r\n";
}

bool WebClient::connect(std::uint16_t port, std::string_view source, bool small_buffer) {
  host_ = "127.0.0.1:" + std::to_string(port);
  if (source.empty() && !small_buffer) return client_.connect("127.0.0.1", port);
  return client_.connectFrom(source.empty() ? "127.0.0.1" : source, "127.0.0.1", port,
                             small_buffer);
}

HttpResponse WebClient::request(std::string_view request) {
  HttpResponse response;
  client_.send(request);
  response.head = client_.readUntil(kHeadEnd);
  if (response.head.size() < kHeadEnd.size() ||
      response.head.compare(response.head.size() - kHeadEnd.size(), kHeadEnd.size(), kHeadEnd) !=
          0) {
    response.closed = client_.peerClosed();
    return response;
  }
  if (response.head.rfind("HTTP/1.1 ", 0) == 0 && response.head.size() > 12) {
    response.status = std::stoi(response.head.substr(9, 3));
  }
  const std::string length = response.header("Content-Length");
  if (!length.empty()) response.body = client_.readExactly(std::stoul(length));
  if (response.status != 101) {
    response.body += client_.readUntilClosed();
    response.closed = client_.peerClosed();
  }
  return response;
}

bool WebClient::open(std::uint16_t port, std::string& failure, std::string_view source,
                     bool small_buffer) {
  if (!connect(port, source, small_buffer)) {
    failure = "cannot connect: " + client_.lastError().message;
    return false;
  }
  const HttpResponse answer = request(upgradeRequest(host_, "Origin: http://" + host_ + "\r\n"));
  if (answer.status != 101 || answer.header("Sec-WebSocket-Accept") != kExampleAccept) {
    failure = "no upgrade: " + shown(answer.head + answer.body);
    return false;
  }
  return true;
}

bool WebClient::readFrame(test::ServerFrame& frame, std::int64_t timeout_ms) {
  std::string bytes = client_.readUntil(frameLength, timeout_ms);
  return test::takeServerFrame(bytes, frame) && bytes.empty();
}

std::string WebClient::readTextUntil(std::string_view token, std::string& bad,
                                     std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  std::string text;
  test::ServerFrame frame;
  while (text.find(token) == std::string::npos) {
    const std::int64_t left = deadline - net::monotonicMs();
    if (left <= 0 || !readFrame(frame, left)) break;
    if (frame.opcode != test::kOpText || !frame.fin || frame.masked || frame.reserved != 0 ||
        !isValidUtf8(frame.payload)) {
      bad += "unexpected frame: opcode " + std::to_string(frame.opcode) + " " +
             shown(frame.payload) + "; ";
      if (frame.opcode == test::kOpClose) break;
      continue;
    }
    text += frame.payload;
  }
  return text;
}

std::uint16_t WebClient::readCloseCode(std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  test::ServerFrame frame;
  for (;;) {
    const std::int64_t left = deadline - net::monotonicMs();
    if (left <= 0 || !readFrame(frame, left)) return 0;
    if (frame.opcode != test::kOpClose) continue;
    return frame.payload.empty() ? kEmptyClose : frame.closeCode();
  }
}

bool WebClient::serverCloses(std::int64_t timeout_ms) {
  client_.readUntilClosed(timeout_ms);
  return client_.peerClosed();
}

}  // namespace e2e
