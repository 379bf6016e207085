import AtalayaCore
import Hummingbird
import NIOCore

extension AtalayaHTTPServer {
  /// Content types the usage API takes (none is fine too). Never one a browser may
  /// send cross-site without a preflight (text/plain, form encodings).
  static let usageContentTypes = [
    "application/json", "application/x-ndjson", "application/ndjson", "application/jsonl",
  ]

  /// POST /api/v1/usage: checks the content type and the body size (a declared
  /// Content-Length over the limit, or a body that grows past it while being
  /// read, gets 413), then hands the body to the agent.
  static func usageRoute(_ request: Request, endpoints: some AgentEndpoints) async -> Response {
    let limit = endpoints.usageBodyLimit
    if let type = request.headers[.contentType] {
      let base = type.split(separator: ";").first.map { $0.trimmingCharacters() } ?? ""
      if !base.isEmpty, !usageContentTypes.contains(base.lowercased()) {
        return jsonError(
          .unsupportedMediaType,
          "unsupported content type; send application/json or application/x-ndjson")
      }
    }
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      return jsonError(.contentTooLarge, "body larger than \(limit) bytes")
    }
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: limit)
    } catch is NIOTooManyBytesError {
      return jsonError(.contentTooLarge, "body larger than \(limit) bytes")
    } catch {
      return jsonError(.badRequest, "could not read the request body")
    }
    let r = await endpoints.ingestUsage(
      body: Array(buffer.readableBytesView), authorization: request.headers[.authorization])
    return Response(
      status: HTTPResponse.Status(code: r.status),
      headers: [.contentType: r.contentType],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body)))
  }

  static func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
    let json = JSONValue.members([
      ("accepted", .number(0)), ("rejected", .number(0)),
      ("errors", .array([.members([("message", .string(message))])])),
    ])
    let body = json.encoded + "\n"
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }
}

extension Substring {
  fileprivate func trimmingCharacters() -> String {
    String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
