// The WebSocket client's two directions; see websocket_link.hpp for why only one frame is in
// flight.
#include "server/websocket_link.hpp"

#include <utility>

#include "chat/text.hpp"
#include "server/utf8_stream.hpp"
#include "server/websocket_frames.hpp"

namespace server {
namespace {

// Appends `text` as one text frame, its invalid UTF-8 replaced; `scratch` holds the cleaned text.
void appendTextFrame(std::string_view text, std::string& scratch, std::string& out) {
  scratch.clear();
  chat::text::repairUtf8(text, scratch);
  appendFrame(WebSocketOpcode::Text, scratch, out);
}

// Appends `text` as text frames of at most kMaxOutgoingFrame bytes, cut between characters.
void appendTextFrames(std::string_view text, std::string& out) {
  std::string scratch;
  while (!text.empty()) {
    std::string_view piece = text.substr(0, kMaxOutgoingFrame);
    const std::size_t whole = completeUtf8Prefix(piece);
    if (whole > 0 && piece.size() < text.size()) piece = piece.substr(0, whole);
    appendTextFrame(piece, scratch, out);
    text.remove_prefix(piece.size());
  }
}

}  // namespace

WebSocketLink::WebSocketLink(std::string first) : replies_(std::move(first)) {}

WebSocketReader::State WebSocketLink::read(std::string_view bytes, std::string& input) {
  return reader_.read(bytes, input, replies_);
}

void WebSocketLink::pingIfIdle(std::string_view pending) {
  if (reader_.state() != WebSocketReader::State::Open || wantsToWrite(pending)) return;
  appendFrame(WebSocketOpcode::Ping, {}, replies_);
}

bool WebSocketLink::wantsToWrite(std::string_view pending) const {
  return !flight_.empty() || !replies_.empty() || completeUtf8Prefix(pending) > 0;
}

std::string_view WebSocketLink::output(std::string_view pending) {
  if (flight_.empty()) {
    flight_ = std::move(replies_);
    replies_.clear();
    flight_sent_ = 0;
    const std::string_view text = pending.substr(0, kMaxOutgoingFrame);
    flight_text_ = completeUtf8Prefix(text);
    if (flight_text_ > 0) appendTextFrame(text.substr(0, flight_text_), payload_, flight_);
  }
  return std::string_view(flight_).substr(flight_sent_);
}

std::size_t WebSocketLink::took(std::size_t bytes) {
  flight_sent_ += bytes;
  if (flight_sent_ < flight_.size()) return 0;
  flight_.clear();
  flight_sent_ = 0;
  return std::exchange(flight_text_, 0);
}

std::string WebSocketLink::closing(std::string_view farewell, std::uint16_t code) {
  std::string out = flight_.substr(flight_sent_);
  out += replies_;
  appendTextFrames(farewell.substr(flight_text_ < farewell.size() ? flight_text_ : farewell.size()),
                   out);
  if (reader_.state() != WebSocketReader::State::Closed) appendCloseFrame(code, {}, out);
  flight_.clear();
  replies_.clear();
  flight_sent_ = 0;
  flight_text_ = 0;
  return out;
}

}  // namespace server
