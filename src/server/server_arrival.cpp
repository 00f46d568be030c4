// The Server's chat port in the first moments of a connection: a browser sends its request at
// once, while a person with nc or telnet waits for the banner. So the banner waits for the first
// bytes, a short while at most; an HTTP request line among them is answered as HTTP and never
// reaches the chat, so no web page can make its visitors' browsers post into it
// (docs/PROTOCOL.md).
#include <utility>

#include "chat/http_line.hpp"
#include "server/server.hpp"
#include "server/web_routes.hpp"

namespace server {
namespace {

// How long the banner waits for a client's first bytes: a browser's request comes at once, and a
// person at a prompt does not notice a quarter of a second.
constexpr std::int64_t kBannerWaitMs = 250;
// The method and path as the log shows them, cut short: they are the client's text (visible ASCII
// only, which the parser made sure of), and a head may be 8 KiB long.
constexpr std::size_t kMaxLoggedRequest = 64;

// First bytes that may still become a request line (the guess is "maybe") and hold the space after
// the method: more than a word that could be a name typed ahead.
bool startsLikeRequest(std::string_view first_bytes) {
  return chat::guessHttpRequest(first_bytes) == chat::HttpGuess::Maybe &&
         first_bytes.find(' ') != std::string_view::npos;
}

std::string describeRequest(const HttpRequest& request) {
  const std::string text = request.method + " " + request.path;
  return text.size() <= kMaxLoggedRequest ? text : text.substr(0, kMaxLoggedRequest) + "...";
}

}  // namespace

void Server::admitArrival(chat::ClientId id, net::Socket socket, std::string peer,
                          std::string_view first_bytes) {
  if (arrivals_.size() >= chat_port_.max_arrivals) {
    admitToChat(id, std::move(socket), std::move(peer), nullptr, first_bytes);
    return;
  }
  arrivals_.push_back(Arrival{id, std::move(socket), std::move(peer), std::string(first_bytes),
                              false, false, HttpRequestParser(), now_.ms + kBannerWaitMs});
  if (!first_bytes.empty() && !judgeArrival(arrivals_.back(), false)) arrivals_.pop_back();
}

void Server::serviceArrivals() {
  servicePending(
      arrivals_, [this](Arrival& arrival) { return readArrival(arrival); },
      [this](Arrival& arrival) {
        // "METHOD /target..." with no line end yet is no one typing at a prompt (nc sends whole
        // lines, telnet negotiates first): a request that comes slowly, which the banner waits
        // out, so that its head never reaches the chat as names and lines.
        if (!arrival.http && !arrival.waited_long && startsLikeRequest(arrival.first_bytes)) {
          arrival.waited_long = true;
          arrival.deadline_ms = now_.ms + chat_port_.request_timeout_ms;
          return true;
        }
        if (arrival.http) {
          answerArrival(arrival, nullptr);
        } else {
          admitToChat(arrival.id, std::move(arrival.socket), std::move(arrival.peer), nullptr,
                      arrival.first_bytes);
        }
        return false;
      });
}

// Returns false once the arrival is settled: greeted by the chat, or answered as HTTP.
bool Server::readArrival(Arrival& arrival) {
  const net::IoResult result = net::receiveSome(arrival.socket, buffer_.data(), buffer_.size());
  const net::ErrorKind kind = result.error.kind;
  if (result.bytes == 0 && !result.closed &&
      (kind == net::ErrorKind::WouldBlock || kind == net::ErrorKind::Interrupted)) {
    return true;
  }
  const std::string_view bytes(buffer_.data(), result.bytes);
  if (arrival.http) return readArrivalRequest(arrival, bytes);
  arrival.first_bytes.append(bytes);
  return judgeArrival(arrival, result.bytes == 0);
}

// The first bytes so far decide, unless they may still become a request line. A peer that
// closed or failed (`peer_done`) is handed to the chat too, whose read then logs it as any
// leave. Returns false once the arrival is settled.
bool Server::judgeArrival(Arrival& arrival, bool peer_done) {
  const chat::HttpGuess guess = chat::guessHttpRequest(arrival.first_bytes);
  if (guess == chat::HttpGuess::Yes) {
    arrival.http = true;
    arrival.deadline_ms = now_.ms + chat_port_.request_timeout_ms;
    return readArrivalRequest(arrival, std::exchange(arrival.first_bytes, {}));
  }
  if (guess == chat::HttpGuess::Maybe && !peer_done) {
    if (arrival.first_bytes.size() < kMaxRequestHeadBytes) return true;
    // A request line longer than a whole head: a browser's, with a long address; as chat input
    // it would be a line too long, and the header lines after it names and messages.
    if (startsLikeRequest(arrival.first_bytes)) {
      answerArrival(arrival, nullptr);
      return false;
    }
  }
  admitToChat(arrival.id, std::move(arrival.socket), std::move(arrival.peer), nullptr,
              arrival.first_bytes);
  return false;
}

// Returns false once the request is answered.
bool Server::readArrivalRequest(Arrival& arrival, std::string_view bytes) {
  std::size_t used = 0;
  switch (arrival.request.feed(bytes, used)) {
    case HttpRequestParser::Status::NeedMore:
      if (!bytes.empty()) return true;
      break;  // the peer went away before its request was whole: nothing to answer
    case HttpRequestParser::Status::Bad:
      answerArrival(arrival, nullptr);
      return false;
    case HttpRequestParser::Status::Done:
      answerArrival(arrival, &arrival.request.request());
      return false;
  }
  log_.event("#" + std::to_string(arrival.id) + " " + arrival.peer +
             " closed before its HTTP request to the chat port was whole");
  return false;
}

void Server::answerArrival(Arrival& arrival, const HttpRequest* request) {
  std::string answer = chatPortAnswer(request, web_.port);
  log_.event("#" + std::to_string(arrival.id) + " " + arrival.peer +
             " refused: an HTTP request to the chat port" +
             (request != nullptr ? " (" + describeRequest(*request) + ")" : std::string()) +
             ", answered " + answer.substr(answer.find(' ') + 1, 3));
  startClosing(std::move(arrival.socket), std::move(answer));
}

}  // namespace server
