import HTTPTypes
import Hummingbird

/// One piece of a streamed body, written after `delay`.
struct StreamPart: Sendable {
  var delay: Duration
  var text: String
}

extension Response {
  /// A JSON response with `body`.
  static func json(_ status: HTTPResponse.Status, _ body: JSONBuilder, headers: HTTPFields = [:])
    -> Response
  {
    text(status, body.rendered, contentType: "application/json", headers: headers)
  }

  /// A response with a fixed text body.
  static func text(
    _ status: HTTPResponse.Status, _ body: String, contentType: String, headers: HTTPFields = [:]
  )
    -> Response
  {
    var fields = headers
    fields[.contentType] = contentType
    return Response(
      status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }

  /// A chunked 200 response written part by part, each after its delay.
  static func stream(_ parts: [StreamPart], contentType: String, headers: HTTPFields = [:])
    -> Response
  {
    var fields = headers
    fields[.contentType] = contentType
    fields[.cacheControl] = "no-cache"
    return Response(
      status: .ok, headers: fields,
      body: ResponseBody { writer in
        for part in parts {
          if part.delay > .zero { try await Task.sleep(for: part.delay) }
          try await writer.write(ByteBuffer(string: part.text))
        }
        try await writer.finish(nil)
      })
  }
}

extension HTTPFields {
  /// Sets a header by its (valid, lowercase) name.
  mutating func set(_ name: String, _ value: String) {
    guard let field = HTTPField.Name(name) else { return }
    self[field] = value
  }
}

extension HTTPResponse.Status {
  /// Anthropic's 529 overloaded.
  static let siteOverloaded = HTTPResponse.Status(code: 529, reasonPhrase: "Site Overloaded")
}

/// Server-sent-event framing.
enum SSE {
  /// `data: <json>\n\n`
  static func data(_ value: JSONBuilder) -> String { "data: \(value.rendered)\n\n" }
  /// `event: <name>\ndata: <json>\n\n`
  static func event(_ name: String, _ value: JSONBuilder) -> String {
    "event: \(name)\ndata: \(value.rendered)\n\n"
  }
}
