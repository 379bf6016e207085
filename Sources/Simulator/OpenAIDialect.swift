import AtalayaCore
import HTTPTypes
import Hummingbird

/// The OpenAI chat-completions dialect (OpenAI, OpenRouter, OpenAI-compatible servers),
/// served under `/<name>/v1/`.
struct OpenAIDialect: Dialect {
  static let requestLimit = 500
  static let tokenLimit = 200_000

  func endpoint(method: HTTPRequest.Method, subpath: String) -> Endpoint? {
    switch (method, subpath) {
    case (.post, "v1/chat/completions"): .chat
    case (.get, "v1/models"): .models
    case (.get, "v1/key"), (.get, "v1/auth/key"): .key
    default: nil
    }
  }

  func isAuthorized(_ headers: HTTPFields, key: String) -> Bool {
    headers[.authorization] == "Bearer \(key)"
  }

  func chat(_ c: ChatContext, stream: Bool) -> Response {
    let headers = rateLimitHeaders(plan: c.plan, tokens: c.totalTokens)
    guard stream else { return .json(.ok, completion(c), headers: headers) }
    var parts = [
      StreamPart(
        delay: c.halfLatency,
        text: SSE.data(chunk(c, delta: [("role", "assistant"), ("content", "")])))
    ]
    if !c.content.isEmpty {
      parts[0].text += SSE.data(chunk(c, delta: [("content", .string(c.content))]))
    }
    parts.append(
      StreamPart(
        delay: c.halfLatency, text: SSE.data(chunk(c, delta: [], finishReason: c.finishReason))))
    if c.request.streamOptions?.includeUsage == true {
      parts.append(StreamPart(delay: .zero, text: SSE.data(usageChunk(c))))
    }
    parts.append(StreamPart(delay: .zero, text: "data: [DONE]\n\n"))
    return .stream(parts, contentType: "text/event-stream", headers: headers)
  }

  func models(plan: Plan) -> Response {
    let ids = ["sim-model", "sim-model-mini"]
    let data = ids.map { id in
      JSONBuilder.object([
        ("id", .string(id)), ("object", "model"), ("created", 1_700_000_000),
        ("owned_by", "atalaya-simulator"),
        // OpenRouter-style prices in USD per token (the same as ChatContext.cost).
        ("pricing", .object([("prompt", "0.0000001"), ("completion", "0.000002")])),
      ])
    }
    return .json(
      .ok, .object([("object", "list"), ("data", .array(data))]),
      headers: rateLimitHeaders(plan: plan, tokens: 0))
  }

  /// OpenRouter's `GET /key`: credits used so far against a limit of 100 USD.
  func key(used: Double) -> Response {
    let data = JSONBuilder.object([
      ("label", "sk-or-v1-sim...demo"),
      ("usage", .double(used)),
      ("limit", 100),
      ("limit_remaining", .double(max(0, 100 - used))),
      ("limit_reset", .null),
      ("is_free_tier", false),
      ("is_provisioning_key", false),
      ("usage_daily", .double(used / 10)),
      ("usage_weekly", .double(used / 3)),
      ("usage_monthly", .double(used)),
    ])
    return .json(.ok, .object([("data", data)]))
  }

  func error(_ kind: ErrorKind, plan: Plan?) -> Response {
    switch kind {
    case .unauthorized:
      return .json(
        .unauthorized,
        envelope(
          "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key"))
    case .badRequest(let message):
      return .json(.badRequest, envelope(message, type: "invalid_request_error", code: nil))
    case .notFound(let message):
      return .json(.notFound, envelope(message, type: "invalid_request_error", code: "unknown_url"))
    case .rateLimited:
      var headers = plan.map { rateLimitHeaders(plan: $0, tokens: 0, exhausted: true) } ?? [:]
      headers.set("retry-after", "2")
      return .json(
        .tooManyRequests,
        envelope(
          "Rate limit reached for requests. Please try again in 2s.", type: "requests",
          code: "rate_limit_exceeded"),
        headers: headers)
    case .serverError:
      return .json(
        .internalServerError,
        envelope(
          "The server had an error while processing your request.", type: "server_error", code: nil)
      )
    case .unavailable:
      return .json(
        .serviceUnavailable,
        envelope(
          "The server is overloaded or not ready yet.", type: "server_error",
          code: "service_unavailable"))
    }
  }

  func wrongShape(endpoint: Endpoint, context c: ChatContext) -> Response {
    switch endpoint {
    case .chat:
      .json(
        .ok,
        .object([
          ("id", .string(id(c))), ("object", "chat.completion"), ("model", .string(c.model)),
          ("result", "ok"),
        ]))
    case .models, .key:
      .json(.ok, .object([("object", "list"), ("models", .array([]))]))
    }
  }

  func faultyStream(_ fault: Fault, context c: ChatContext) -> Response {
    var text = SSE.data(chunk(c, delta: [("role", "assistant"), ("content", "o")]))
    switch fault {
    case .streamError:
      text += SSE.data(
        .object([("error", .object([("message", "upstream error"), ("code", 502)]))]))
    case .streamFinishError:
      text += SSE.data(chunk(c, delta: [], finishReason: "error")) + "data: [DONE]\n\n"
    default:
      break
    }
    return .stream([StreamPart(delay: .zero, text: text)], contentType: "text/event-stream")
  }

  // MARK: - Bodies

  private func id(_ c: ChatContext) -> String { "chatcmpl-sim\(c.providerName)\(c.plan.sequence)" }

  private func completion(_ c: ChatContext) -> JSONBuilder {
    .object([
      ("id", .string(id(c))),
      ("object", "chat.completion"),
      ("created", .int(c.createdUnix)),
      ("model", .string(c.model)),
      (
        "choices",
        .array([
          .object([
            ("index", 0),
            (
              "message",
              .object([("role", "assistant"), ("content", .string(c.content)), ("refusal", .null)])
            ),
            ("logprobs", .null),
            ("finish_reason", .string(c.finishReason)),
          ])
        ])
      ),
      ("usage", usage(c)),
      ("system_fingerprint", "fp_atalaya_sim"),
    ])
  }

  private func usage(_ c: ChatContext) -> JSONBuilder {
    .object([
      ("prompt_tokens", .int(c.promptTokens)),
      ("completion_tokens", .int(c.completionTokens)),
      ("total_tokens", .int(c.totalTokens)),
      ("cost", .double(c.cost)),
    ])
  }

  private func chunk(_ c: ChatContext, delta: [(String, JSONBuilder)], finishReason: String? = nil)
    -> JSONBuilder
  {
    .object([
      ("id", .string(id(c))),
      ("object", "chat.completion.chunk"),
      ("created", .int(c.createdUnix)),
      ("model", .string(c.model)),
      (
        "choices",
        .array([
          .object([
            ("index", 0), ("delta", .object(delta)), ("logprobs", .null),
            ("finish_reason", finishReason.map { .string($0) } ?? .null),
          ])
        ])
      ),
    ])
  }

  private func usageChunk(_ c: ChatContext) -> JSONBuilder {
    .object([
      ("id", .string(id(c))),
      ("object", "chat.completion.chunk"),
      ("created", .int(c.createdUnix)),
      ("model", .string(c.model)),
      ("choices", .array([])),
      ("usage", usage(c)),
    ])
  }

  private func envelope(_ message: String, type: String, code: String?) -> JSONBuilder {
    .object([
      (
        "error",
        .object([
          ("message", .string(message)), ("type", .string(type)), ("param", .null),
          ("code", code.map { .string($0) } ?? .null),
        ])
      )
    ])
  }

  /// `x-ratelimit-*` headers; remaining values fall as requests and tokens are used.
  private func rateLimitHeaders(plan: Plan, tokens: Int, exhausted: Bool = false) -> HTTPFields {
    let usedRequests = (plan.sequence - 1) % Self.requestLimit + 1
    let usedTokens = (plan.tokensUsed + tokens) % Self.tokenLimit
    var h = HTTPFields()
    h.set("x-ratelimit-limit-requests", String(Self.requestLimit))
    h.set(
      "x-ratelimit-remaining-requests", exhausted ? "0" : String(Self.requestLimit - usedRequests))
    h.set(
      "x-ratelimit-reset-requests",
      exhausted
        ? "2s"
        : TimeFormatting.goDuration(seconds: 60 * Double(usedRequests) / Double(Self.requestLimit)))
    h.set("x-ratelimit-limit-tokens", String(Self.tokenLimit))
    h.set("x-ratelimit-remaining-tokens", String(Self.tokenLimit - usedTokens))
    h.set(
      "x-ratelimit-reset-tokens",
      TimeFormatting.goDuration(seconds: 60 * Double(usedTokens) / Double(Self.tokenLimit)))
    return h
  }
}
