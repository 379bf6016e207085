import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// Drives a Hummingbird router in-process: each request goes straight to the router's
/// responder with a context over an embedded channel, no socket and no server.
///
/// The same path as HummingbirdTesting's `.router` framework, without that product's
/// dependencies (AsyncHTTPClient, NIOSSL, nio-http2), which alone cost the test build 40 %.
public struct RouterClient<Context: RequestContext>: Sendable
where Context.Source == ApplicationRequestContextSource {
  private let responder: any HTTPResponder<Context>
  private let logger: Logger

  public init(router: Router<Context>, logger: Logger = Logger(label: "router-test")) {
    self.responder = router.buildResponder()
    self.logger = logger
  }

  /// Sends one request and returns the whole response. A route that throws answers as
  /// Hummingbird's server would: the error's status if it has one, else 500.
  public func execute(
    uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:],
    body: ByteBuffer? = nil
  ) async throws -> RouterResponse {
    var headers = headers
    if let body { headers[.contentLength] = String(body.readableBytes) }
    let request = Request(
      head: HTTPRequest(
        method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
      body: RequestBody(buffer: body ?? ByteBuffer()))
    let context = Context(
      source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: logger))
    let response: Response
    do {
      response = try await responder.respond(to: request, context: context)
    } catch let error as any HTTPResponseError {
      response = try error.response(from: request, context: context)
    } catch {
      response = Response(status: .internalServerError)
    }
    let writer = CollectingWriter()
    try await response.body.write(writer)
    return RouterResponse(
      status: response.status, headers: response.headers, body: await writer.collected.body)
  }
}

/// A response the router gave, its body read to the end.
public struct RouterResponse: Sendable {
  public let status: HTTPResponse.Status
  public let headers: HTTPFields
  public let body: ByteBuffer

  /// The body as UTF-8 text.
  public var text: String { String(buffer: body) }
}

/// Collects a response body; an actor, since body writers may be sent across tasks.
private actor Collected {
  var body = ByteBuffer()
  func append(_ buffer: ByteBuffer) { body.writeImmutableBuffer(buffer) }
}

private struct CollectingWriter: ResponseBodyWriter {
  let collected = Collected()
  func write(_ buffer: ByteBuffer) async throws { await collected.append(buffer) }
  func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
