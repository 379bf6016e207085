import AtalayaCore

/// Names the cause of a failure from the HTTP status and the provider's error body.
///
/// One rule set serves three places: a non-2xx response, an error object inside a 2xx
/// body (OpenRouter commits a 200 and reports the upstream failure in it, its `code`
/// carrying the upstream status) and an error event inside a stream. The specific causes
/// are tried first, so a documented body outranks its status: a 400 saying the credit
/// balance is too low is `quota_exhausted`, a 404 for a retired model `model_unavailable`,
/// a 403 for a spent OpenRouter key budget `quota_exhausted` rather than `auth`.
/// The README's result-class table lists every mapping per provider.
enum FailureClassifier {
  /// The class of a failure with `status` (0 when unknown) and `error`; nil when neither
  /// says anything the rules know (the caller picks the generic class).
  static func classify(status: Int, error e: ProviderErrorBody) -> ResultClass? {
    let message = e.message?.lowercased() ?? ""
    let code = e.code?.lowercased()
    let type = e.type?.lowercased()
    func said(_ names: String...) -> Bool {
      names.contains {
        $0 == code || $0 == type || $0 == e.detailCode?.lowercased()
          || $0 == e.metadataErrorType?.lowercased() || $0 == e.metadataReason?.lowercased()
      }
    }

    // Model gone: OpenAI `model_not_found`, Groq `model_decommissioned`, Anthropic's
    // 404 `not_found_error` naming the model, OpenRouter "No endpoints found for …",
    // Ollama `model "x" not found, try pulling it first`.
    if said("model_not_found", "model_decommissioned")
      || message.contains("no endpoints found")
      || (type == "not_found_error" && message.contains("model"))
      || (status == 404 && message.contains("model")
        && (message.contains("not found") || message.contains("does not exist")))
    {
      return .modelUnavailable
    }

    // OpenRouter's transient in-flight budget (402 with Retry-After): wait, not broke.
    if said("in_flight_budget_exhausted") || e.limitSource == "openrouter_in_flight_budget" {
      return .rateLimited
    }
    // Spent money or quota, whatever the status says: OpenAI `insufficient_quota`,
    // Anthropic's monthly cap (`enforced_spend_limit_reached`, a 429) and its 400s for a
    // low credit balance or a user-set spend limit, OpenRouter's 402s and its 403s for a
    // spent key, workspace or guardrail budget, and the `:free` models' daily cap (a 429).
    if said("insufficient_quota", "enforced_spend_limit_reached", "billing_hard_limit_reached")
      || message.contains("credit balance is too low")
      || message.contains("api usage limits")
      || (status == 403
        && (e.limitSource != nil || message.contains("key limit exceeded")
          || (message.contains("budget") && message.contains("exceeded"))))
      || message.contains("free-models-per-day")
      || status == 402
    {
      return .quotaExhausted
    }

    // Overloaded: Anthropic 529 / `overloaded_error`, OpenRouter `provider_overloaded`,
    // Groq 498 (capacity exceeded), Ollama's 503 "server busy … maximum pending requests".
    if status == 529 || status == 498
      || said("overloaded_error", "provider_overloaded", "overloaded", "capacity_exceeded")
      || message.contains("capacity exceeded")
      || (status == 503
        && (message.contains("server busy") || message.contains("maximum pending requests")
          || message.contains("overloaded")))
    {
      return .overloaded
    }

    if status == 429 || said("rate_limit_error", "rate_limit_exceeded", "rate_limited") {
      return .rateLimited
    }
    if status == 401 || status == 403
      || said("authentication_error", "permission_error", "invalid_api_key")
    {
      return .auth
    }
    if status == 408 || said("timeout_error") {
      return .timeout
    }
    if (400..<500).contains(status) { return .clientError }
    if (500..<600).contains(status) { return .serverError }
    if said("api_error", "server_error", "internal_server_error") { return .serverError }
    if said("invalid_request_error", "not_found_error", "request_too_large") {
      return .clientError
    }
    return nil
  }

  /// The class of an error event inside a 2xx stream: a specific cause keeps its class
  /// (an `overloaded_error` event is `overloaded`: the cause matters more than the
  /// transport); anything generic is `stream_error`.
  static func classifyStreamError(_ error: ProviderErrorBody) -> ResultClass {
    let result = classify(status: error.statusCode ?? 0, error: error)
    switch result {
    case .overloaded?, .rateLimited?, .quotaExhausted?, .auth?, .modelUnavailable?:
      return result!
    default:
      return .streamError
    }
  }

  /// The class of an error object in a non-streamed 2xx body: its code or type decides,
  /// `bad_response` when they say nothing known.
  static func classifyBodyError(_ error: ProviderErrorBody) -> ResultClass {
    classify(status: error.statusCode ?? 0, error: error) ?? .badResponse
  }

  /// When a spent quota returns, as the error says: OpenRouter's `metadata.resets_at`, or
  /// the date in the message (see ``quotaReturnDate(_:)``).
  static func quotaReturn(_ error: ProviderErrorBody) -> Timestamp? {
    if let text = error.resetsAt, let t = RFC3339.parse(text.trimmingSpaces()) { return t }
    return quotaReturnDate(error.message)
  }

  /// When a quota message names the time access returns — Anthropic: "You will regain
  /// access on 2025-09-01 at 00:00 UTC." — that time; nil otherwise.
  static func quotaReturnDate(_ message: String?) -> Timestamp? {
    guard let message, let marker = message.firstRange(of: "regain access on ") else { return nil }
    let rest = message[marker.upperBound...]
    // "YYYY-MM-DD at HH:MM UTC"
    let date = rest.prefix(10)
    var time = "00:00"
    let afterDate = rest.dropFirst(10)
    if afterDate.hasPrefix(" at ") {
      let t = afterDate.dropFirst(4).prefix(5)
      if t.count == 5, t.dropFirst(2).first == ":" { time = String(t) }
    }
    return RFC3339.parse("\(date)T\(time):00Z")
  }
}
