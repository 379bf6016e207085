import AtalayaCore
import HTTPTypes
import Hummingbird

/// The Ollama native dialect (`/api/chat`, `/api/tags`), served under `/<name>/`.
/// Like Ollama, chat streams (NDJSON) unless the request says `"stream": false`; no auth.
struct OllamaDialect: Dialect {
  func endpoint(method: HTTPRequest.Method, subpath: String) -> Endpoint? {
    switch (method, subpath) {
    case (.post, "api/chat"): .chat
    case (.get, "api/tags"): .models
    default: nil
    }
  }

  func isAuthorized(_ headers: HTTPFields, key: String) -> Bool { true }

  func wantsStream(_ request: ChatRequest) -> Bool { request.stream ?? true }

  func chat(_ c: ChatContext, stream: Bool) -> Response {
    guard stream else { return .json(.ok, final(c, content: c.content, reason: doneReason(c))) }
    return .stream(
      [
        StreamPart(delay: c.halfLatency, text: line(partial(c, content: c.content))),
        StreamPart(delay: c.halfLatency, text: line(final(c, content: "", reason: doneReason(c)))),
      ], contentType: "application/x-ndjson")
  }

  func models(plan: Plan) -> Response {
    let models = ["llama3.2:1b", "qwen2.5:0.5b"].map { name in
      JSONBuilder.object([
        ("name", .string(name)), ("model", .string(name)), ("modified_at", "2025-01-01T00:00:00Z"),
        ("size", 1_321_098_329),
        ("digest", "baf6a787fdffd633537aa2eb51cfd54cb93ff08e28040095462bb63daf552878"),
        (
          "details",
          .object([
            ("format", "gguf"), ("family", "llama"), ("parameter_size", "1.2B"),
            ("quantization_level", "Q8_0"),
          ])
        ),
      ])
    }
    return .json(.ok, .object([("models", .array(models))]))
  }

  func error(_ kind: ErrorKind, plan: Plan?) -> Response {
    switch kind {
    case .unauthorized: .json(.unauthorized, envelope("unauthorized"))
    case .badRequest(let message): .json(.badRequest, envelope(message))
    case .notFound(let message): .json(.notFound, envelope(message))
    case .rateLimited:
      .json(
        .tooManyRequests, envelope("too many requests"),
        headers: {
          var h = HTTPFields()
          h.set("retry-after", "2")
          return h
        }())
    case .serverError: .json(.internalServerError, envelope("llama runner process has terminated"))
    case .unavailable: .json(.serviceUnavailable, envelope("server busy, please try again"))
    }
  }

  func wrongShape(endpoint: Endpoint, context c: ChatContext) -> Response {
    switch endpoint {
    case .chat: .json(.ok, .object([("model", .string(c.model)), ("done", true)]))
    case .models, .key: .json(.ok, .object([("data", .array([]))]))
    }
  }

  func faultyStream(_ fault: Fault, context c: ChatContext) -> Response {
    var text = line(partial(c, content: "o"))
    switch fault {
    case .streamError: text += line(envelope("upstream error"))
    case .streamFinishError: text += line(final(c, content: "", reason: "error"))
    default: break
    }
    return .stream([StreamPart(delay: .zero, text: text)], contentType: "application/x-ndjson")
  }

  // MARK: - Bodies

  private func doneReason(_ c: ChatContext) -> String { c.completionTokens > 0 ? "stop" : "length" }

  private func line(_ value: JSONBuilder) -> String { value.rendered + "\n" }

  private func partial(_ c: ChatContext, content: String) -> JSONBuilder {
    .object([
      ("model", .string(c.model)), ("created_at", .string(TimeFormatting.rfc3339(c.plan.now))),
      ("message", .object([("role", "assistant"), ("content", .string(content))])), ("done", false),
    ])
  }

  private func final(_ c: ChatContext, content: String, reason: String) -> JSONBuilder {
    let nanos = Int(c.plan.latency.seconds * 1e9)
    return .object([
      ("model", .string(c.model)),
      ("created_at", .string(TimeFormatting.rfc3339(c.plan.now))),
      ("message", .object([("role", "assistant"), ("content", .string(content))])),
      ("done_reason", .string(reason)),
      ("done", true),
      ("total_duration", .int(nanos)),
      ("load_duration", .int(nanos / 10)),
      ("prompt_eval_count", .int(c.promptTokens)),
      ("prompt_eval_duration", .int(nanos / 4)),
      ("eval_count", .int(c.completionTokens)),
      ("eval_duration", .int(nanos / 2)),
    ])
  }

  private func envelope(_ message: String) -> JSONBuilder { .object([("error", .string(message))]) }
}
