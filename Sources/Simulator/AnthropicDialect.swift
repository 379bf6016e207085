import AtalayaCore
import HTTPTypes
import Hummingbird

/// The Anthropic Messages dialect, served under `/<name>/v1/`.
struct AnthropicDialect: Dialect {
  static let requestLimit = 50
  static let tokenLimit = 40_000

  func endpoint(method: HTTPRequest.Method, subpath: String) -> Endpoint? {
    switch (method, subpath) {
    case (.post, "v1/messages"): .chat
    case (.get, "v1/models"): .models
    default: nil
    }
  }

  func isAuthorized(_ headers: HTTPFields, key: String) -> Bool {
    headers[HTTPField.Name("x-api-key")!] == key || headers[.authorization] == "Bearer \(key)"
  }

  func chat(_ c: ChatContext, stream: Bool) -> Response {
    let headers = rateLimitHeaders(plan: c.plan, tokens: c.totalTokens)
    guard stream else { return .json(.ok, message(c), headers: headers) }
    var first = SSE.event(
      "message_start",
      .object([("type", "message_start"), ("message", message(c, streaming: true))]))
    first += SSE.event(
      "content_block_start",
      .object([
        ("type", "content_block_start"), ("index", 0),
        ("content_block", .object([("type", "text"), ("text", "")])),
      ]))
    first += SSE.event("ping", .object([("type", "ping")]))
    if !c.content.isEmpty { first += delta(c.content) }
    var rest = SSE.event(
      "content_block_stop", .object([("type", "content_block_stop"), ("index", 0)]))
    rest += messageDelta(c, stopReason: stopReason(c))
    rest += SSE.event("message_stop", .object([("type", "message_stop")]))
    return .stream(
      [
        StreamPart(delay: c.halfLatency, text: first), StreamPart(delay: c.halfLatency, text: rest),
      ],
      contentType: "text/event-stream", headers: headers)
  }

  func models(plan: Plan) -> Response {
    let ids = ["claude-sim-4", "claude-sim-haiku"]
    let data = ids.map { id in
      JSONBuilder.object([
        ("type", "model"), ("id", .string(id)), ("display_name", .string(id)),
        ("created_at", "2025-01-01T00:00:00Z"),
      ])
    }
    return .json(
      .ok,
      .object([
        ("data", .array(data)), ("has_more", false), ("first_id", .string(ids[0])),
        ("last_id", .string(ids[1])),
      ]),
      headers: rateLimitHeaders(plan: plan, tokens: 0))
  }

  func error(_ kind: ErrorKind, plan: Plan?) -> Response {
    switch kind {
    case .unauthorized:
      return .json(.unauthorized, envelope("authentication_error", "invalid x-api-key"))
    case .badRequest(let message):
      return .json(.badRequest, envelope("invalid_request_error", message))
    case .notFound(let message):
      return .json(.notFound, envelope("not_found_error", message))
    case .rateLimited:
      var headers = plan.map { rateLimitHeaders(plan: $0, tokens: 0, exhausted: true) } ?? [:]
      headers.set("retry-after", "2")
      return .json(
        .tooManyRequests,
        envelope("rate_limit_error", "Number of requests has exceeded your rate limit."),
        headers: headers)
    case .serverError:
      return .json(.internalServerError, envelope("api_error", "Internal server error"))
    case .unavailable:
      return .json(.serviceUnavailable, envelope("api_error", "Service unavailable"))
    }
  }

  func wrongShape(endpoint: Endpoint, context c: ChatContext) -> Response {
    switch endpoint {
    case .chat:
      .json(.ok, .object([("id", .string(id(c))), ("type", "message"), ("role", "assistant")]))
    case .models, .key: .json(.ok, .object([("models", .array([]))]))
    }
  }

  func faultyStream(_ fault: Fault, context c: ChatContext) -> Response {
    var text = SSE.event(
      "message_start",
      .object([("type", "message_start"), ("message", message(c, streaming: true))]))
    text += SSE.event(
      "content_block_start",
      .object([
        ("type", "content_block_start"), ("index", 0),
        ("content_block", .object([("type", "text"), ("text", "")])),
      ]))
    text += delta("o")
    switch fault {
    case .streamError:
      text += SSE.event("error", envelope("overloaded_error", "upstream error"))
    case .streamFinishError:
      text += SSE.event(
        "content_block_stop", .object([("type", "content_block_stop"), ("index", 0)]))
      text += messageDelta(c, stopReason: "error")
      text += SSE.event("message_stop", .object([("type", "message_stop")]))
    default:
      break
    }
    return .stream([StreamPart(delay: .zero, text: text)], contentType: "text/event-stream")
  }

  // MARK: - Bodies

  private func id(_ c: ChatContext) -> String { "msg_sim\(c.providerName)\(c.plan.sequence)" }

  private func stopReason(_ c: ChatContext) -> String {
    c.completionTokens > 0 ? "end_turn" : "max_tokens"
  }

  private func message(_ c: ChatContext, streaming: Bool = false) -> JSONBuilder {
    let content: [JSONBuilder] =
      streaming ? [] : [.object([("type", "text"), ("text", .string(c.content))])]
    return .object([
      ("id", .string(id(c))),
      ("type", "message"),
      ("role", "assistant"),
      ("model", .string(c.model)),
      ("content", .array(content)),
      ("stop_reason", streaming ? .null : .string(stopReason(c))),
      ("stop_sequence", .null),
      (
        "usage",
        .object([
          ("input_tokens", .int(c.promptTokens)),
          ("output_tokens", .int(streaming ? 1 : c.completionTokens)),
        ])
      ),
    ])
  }

  private func delta(_ text: String) -> String {
    SSE.event(
      "content_block_delta",
      .object([
        ("type", "content_block_delta"), ("index", 0),
        ("delta", .object([("type", "text_delta"), ("text", .string(text))])),
      ]))
  }

  private func messageDelta(_ c: ChatContext, stopReason: String) -> String {
    SSE.event(
      "message_delta",
      .object([
        ("type", "message_delta"),
        ("delta", .object([("stop_reason", .string(stopReason)), ("stop_sequence", .null)])),
        ("usage", .object([("output_tokens", .int(c.completionTokens))])),
      ]))
  }

  private func envelope(_ type: String, _ message: String) -> JSONBuilder {
    .object([
      ("type", "error"),
      ("error", .object([("type", .string(type)), ("message", .string(message))])),
    ])
  }

  /// `anthropic-ratelimit-*` headers with RFC 3339 reset times.
  private func rateLimitHeaders(plan: Plan, tokens: Int, exhausted: Bool = false) -> HTTPFields {
    let usedRequests = (plan.sequence - 1) % Self.requestLimit + 1
    let usedTokens = (plan.tokensUsed + tokens) % Self.tokenLimit
    let reset = TimeFormatting.rfc3339(plan.now + (exhausted ? .seconds(2) : .seconds(60)))
    var h = HTTPFields()
    h.set("anthropic-ratelimit-requests-limit", String(Self.requestLimit))
    h.set(
      "anthropic-ratelimit-requests-remaining",
      exhausted ? "0" : String(Self.requestLimit - usedRequests))
    h.set("anthropic-ratelimit-requests-reset", reset)
    for prefix in [
      "anthropic-ratelimit-tokens", "anthropic-ratelimit-input-tokens",
      "anthropic-ratelimit-output-tokens",
    ] {
      h.set("\(prefix)-limit", String(Self.tokenLimit))
      h.set("\(prefix)-remaining", String(Self.tokenLimit - usedTokens))
      h.set("\(prefix)-reset", TimeFormatting.rfc3339(plan.now + .seconds(60)))
    }
    return h
  }
}
