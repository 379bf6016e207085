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
    let body: [UInt8]
    switch await readBody(request, limit: limit, refusal: jsonError) {
    case .bytes(let bytes): body = bytes
    case .refused(let response): return response
    }
    let r = await endpoints.ingestUsage(body: body, authorization: request.headers[.authorization])
    return Response(
      status: HTTPResponse.Status(code: r.status),
      headers: [.contentType: r.contentType],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body)))
  }

  /// A request body read up to a limit, or the answer refusing it.
  enum BodyRead {
    case bytes([UInt8])
    case refused(Response)
  }

  /// Reads the body: a declared Content-Length over `limit`, or a body that grows past it
  /// while being read, is refused with 413 (built by `refusal`).
  static func readBody(
    _ request: Request, limit: Int, refusal: (HTTPResponse.Status, String) -> Response
  ) async -> BodyRead {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      return .refused(refusal(.contentTooLarge, "body larger than \(limit) bytes"))
    }
    do {
      return .bytes(Array(try await request.body.collect(upTo: limit).readableBytesView))
    } catch is NIOTooManyBytesError {
      return .refused(refusal(.contentTooLarge, "body larger than \(limit) bytes"))
    } catch {
      return .refused(refusal(.badRequest, "could not read the request body"))
    }
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
