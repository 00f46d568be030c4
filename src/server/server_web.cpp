// The Server's web port: a connection sends one HTTP request within the time allowed; the page
// and every error are answered and closed, and a WebSocket upgrade becomes a chat client whose
// frames carry its bytes (docs/PROTOCOL.md §11–§12).
#include <utility>

#include "server/server.hpp"
#include "server/web_routes.hpp"
#include "server/websocket_frames.hpp"

namespace server {
namespace {

constexpr int kRequestTimeout = 408;

std::string closeReason(const WebSocketReader& reader) {
  if (reader.state() == WebSocketReader::State::Closed) {
    return "closed the connection (WebSocket close " + std::to_string(reader.peerCode()) + ")";
  }
  return "broke the WebSocket protocol (closed with " + std::to_string(reader.failCode()) + ")";
}

}  // namespace

void Server::admitRequest(chat::ClientId id, net::Socket socket, std::string peer,
                          bool from_proxy) {
  const std::string label = std::string(kWebPeerPrefix) + peer;
  if (requests_.size() >= web_.max_requests) {
    log_.event(label + " rejected: " + std::to_string(web_.max_requests) +
               " web connections are waiting for their requests already");
    return;  // the socket closes here
  }
  requests_.push_back(Request{id, std::move(socket), label, HttpRequestParser(),
                              now_.ms + web_.request_timeout_ms, from_proxy});
}

void Server::serviceRequests() {
  servicePending(
      requests_, [this](Request& request) { return readRequest(request); },
      [this](Request& request) {
        startClosing(std::move(request.socket), errorResponse(kRequestTimeout));
        return false;
      });
}

// Returns false when the request is over: answered, or the peer went away.
bool Server::readRequest(Request& request) {
  const net::IoResult result = net::receiveSome(request.socket, buffer_.data(), buffer_.size());
  if (result.bytes == 0) {
    const net::ErrorKind kind = result.error.kind;
    return !result.closed &&
           (kind == net::ErrorKind::WouldBlock || kind == net::ErrorKind::Interrupted);
  }
  const std::string_view bytes(buffer_.data(), result.bytes);
  std::size_t used = 0;
  switch (request.parser.feed(bytes, used)) {
    case HttpRequestParser::Status::NeedMore:
      return true;
    case HttpRequestParser::Status::Bad:
      startClosing(std::move(request.socket), errorResponse(request.parser.errorStatus()));
      return false;
    case HttpRequestParser::Status::Done:
      answerRequest(request, bytes.substr(used));
      return false;
  }
  return false;
}

// `rest` is what the peer sent after its request: frames, when it did not wait for the answer.
void Server::answerRequest(Request& request, std::string_view rest) {
  if (request.from_proxy && !forwardedClient(request)) return;
  WebAnswer answer = server::answerRequest(request.parser.request(), web_.origins);
  if (answer.kind == WebAnswer::Kind::Close) {
    startClosing(std::move(request.socket), std::move(answer.response));
    return;
  }
  const chat::ClientId id = request.id;
  admitToChat(id, std::move(request.socket), std::move(request.peer),
              std::make_unique<WebSocketLink>(std::move(answer.response)));
  const auto it = connections_.find(id);
  if (it == connections_.end() || rest.empty()) return;
  if (!readFrames(id, it->second, rest)) connections_.erase(it);
}

// Returns false when the connection is over.
bool Server::readFrames(chat::ClientId id, Connection& connection, std::string_view bytes) {
  web_input_.clear();
  const WebSocketReader::State state = connection.web->read(bytes, web_input_);
  if (!web_input_.empty()) chat_.receive(id, web_input_, now_);
  if (state == WebSocketReader::State::Open) return true;
  endWebClient(id, connection);
  return false;
}

// The client closed, or broke the protocol: the others see an ordinary leave, and the client
// gets the rest of the frame in flight and the close frame.
void Server::endWebClient(chat::ClientId id, Connection& connection) {
  const WebSocketReader& reader = connection.web->reader();
  chat_.disconnected(id, closeReason(reader), now_);
  startClosing(std::move(connection.socket), connection.web->closing({}, reader.failCode()));
}

}  // namespace server
