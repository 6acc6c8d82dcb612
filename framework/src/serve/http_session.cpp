#include "serve/http_session.h"

#include <forge/log.h>

#include "serve/openai_response.h"

#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace forge::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

constexpr std::size_t kHeaderLimit = 64 * 1024;

class SocketResponder : public Responder {
 public:
  SocketResponder(tcp::socket& socket, unsigned version, bool keep_alive)
      : socket_(socket), version_(version), keep_alive_(keep_alive) {}

  void send(int status, const std::string& content_type, const std::string& body) override {
    if (streaming_) return;  // a stream already has its status; errors go inside it
    status_ = status;
    http::response<http::string_body> response{static_cast<http::status>(status), version_};
    response.set(http::field::server, "forge");
    response.set(http::field::content_type, content_type);
    response.keep_alive(keep_alive_);
    response.body() = body;
    response.prepare_payload();
    bytes_ = body.size();
    beast::error_code ec;
    http::write(socket_, response, ec);
    if (ec) keep_alive_ = false;
  }

  bool start_stream() override {
    streaming_ = true;
    status_ = 200;
    http::response<http::empty_body> response{http::status::ok, version_};
    response.set(http::field::server, "forge");
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::cache_control, "no-cache");
    // HTTP/1.0 has no chunks: the stream's end is the connection's.
    if (version_ < 11) keep_alive_ = false;
    response.keep_alive(keep_alive_);
    response.chunked(version_ >= 11);
    http::response_serializer<http::empty_body> serializer{response};
    beast::error_code ec;
    http::write_header(socket_, serializer, ec);
    return ok(ec);
  }

  bool write_chunk(std::string_view data) override {
    if (!alive_) return false;
    beast::error_code ec;
    auto bytes = boost::asio::buffer(data.data(), data.size());
    if (version_ >= 11)
      boost::asio::write(socket_, http::make_chunk(bytes), ec);
    else
      boost::asio::write(socket_, bytes, ec);
    bytes_ += data.size();
    return ok(ec);
  }

  void end_stream() override {
    if (!alive_) return;
    beast::error_code ec;
    if (version_ >= 11) boost::asio::write(socket_, http::make_chunk_last(), ec);
    ok(ec);
    ended_ = true;
  }

  // A stream that did not end properly leaves the connection unusable.
  bool keep_alive() const { return keep_alive_ && alive_ && (!streaming_ || ended_); }
  int status() const { return status_; }
  std::size_t bytes() const { return bytes_; }

 private:
  bool ok(const beast::error_code& ec) {
    if (ec) alive_ = false;
    return alive_;
  }

  tcp::socket& socket_;
  unsigned version_;
  bool keep_alive_, streaming_ = false, ended_ = false, alive_ = true;
  int status_ = 0;
  std::size_t bytes_ = 0;
};

// Log lines stay one line whatever a client sent.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

std::string remote_of(tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("?") : cat(endpoint.address().to_string(), ":", endpoint.port());
}

// An answer for a request that never reached the Api (too large, malformed).
void refuse(tcp::socket& socket, const ApiError& error, const std::string& remote) {
  SocketResponder out(socket, 11, false);
  out.send(error.status, "application/json", dump_json(error.to_json()));
  // Read what the client still sends (up to a bound) so that closing does not reset the
  // connection before it has read the answer.
  beast::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  char sink[16384];
  for (std::size_t drained = 0; !ec && drained < (16u << 20);)
    drained += socket.read_some(boost::asio::buffer(sink), ec);
  log_info("serve: ", remote, " - -> ", error.status, " (", one_line(error.what()), ")");
}

}  // namespace

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void serve_connection(tcp::socket& socket, Api& api, ConnectionWatch& watch) {
  const std::string remote = remote_of(socket);
  const std::size_t body_limit = api.limits().max_body_bytes;
  beast::flat_buffer buffer;
  for (;;) {
    watch.waiting_since_ms = steady_ms();
    watch.waiting = true;
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(body_limit);
    beast::error_code ec;
    http::read_header(socket, buffer, parser, ec);
    if (ec == http::error::end_of_stream || ec == boost::asio::error::eof ||
        ec == boost::asio::error::connection_reset || ec == boost::asio::error::operation_aborted ||
        ec == boost::asio::error::bad_descriptor)
      return;
    const ApiError too_large(413,
                             cat("the request body is over this server's limit of ", body_limit,
                                 " bytes (forge serve --max-body-bytes)"),
                             "", "request_too_large");
    if (ec == http::error::body_limit) return refuse(socket, too_large, remote);
    if (ec == http::error::header_limit)
      return refuse(socket, ApiError(431, cat("request headers are over ", kHeaderLimit, " bytes")),
                    remote);
    if (ec)
      return refuse(socket, ApiError(400, cat("malformed HTTP request: ", ec.message())), remote);
    const auto& header = parser.get();
    const auto length = parser.content_length();
    if (length && *length > body_limit) return refuse(socket, too_large, remote);
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, header.version()};
      http::write(socket, go_on, ec);
    }
    http::read(socket, buffer, parser, ec);
    if (ec == http::error::body_limit) return refuse(socket, too_large, remote);
    if (ec == http::error::end_of_stream || ec == boost::asio::error::eof) return;
    if (ec)
      return refuse(socket, ApiError(400, cat("malformed HTTP request: ", ec.message())), remote);
    watch.waiting = false;

    http::request<http::string_body> request = parser.release();
    const auto started = steady_ms();
    HttpRequest in{std::string(request.method_string()), std::string(request.target()),
                   std::move(request.body())};
    SocketResponder out(socket, request.version(), request.keep_alive());
    api.handle(in, out);
    log_info("serve: ", remote, " ", one_line(in.method), " ", one_line(in.target), " -> ",
             out.status(), " ", out.bytes(), " bytes in ", steady_ms() - started, " ms",
             out.note.empty() ? "" : " (" + one_line(out.note) + ")");
    if (!out.keep_alive()) return;
  }
}

}  // namespace forge::serve
