import AtalayaCore

/// The error a provider put in a response body, in any of the usual shapes:
/// `{"error":{"message","type","code","metadata","details"}}` (OpenAI, OpenRouter,
/// Anthropic, Groq), `{"error":"…"}` (Ollama), flat `{"object":"error","message",…}`
/// (vLLM and other OpenAI-compatible servers), `{"message":…}`, or plain text.
struct ProviderErrorBody: Sendable, Equatable {
  var message: String?
  /// `code` as text (OpenAI's `model_not_found`, OpenRouter's numeric `402`).
  var code: String?
  var type: String?
  /// Anthropic's `error.details.error_code` (e.g. `enforced_spend_limit_reached`).
  var detailCode: String?
  /// OpenRouter's `error.metadata.error_type` (e.g. `provider_overloaded`).
  var metadataErrorType: String?
  /// OpenRouter's `error.metadata.limit_source` (`openrouter_key_limit`,
  /// `openrouter_workspace_budget`, `openrouter_guardrail_budget`, …): which budget is spent.
  var limitSource: String?
  /// OpenRouter's `error.metadata.reason` (`in_flight_budget_exhausted`, …).
  var metadataReason: String?
  /// OpenRouter's `error.metadata.resets_at` (ISO 8601) on a spent budget's 403.
  var resetsAt: String?

  init(
    message: String? = nil, code: String? = nil, type: String? = nil, detailCode: String? = nil,
    metadataErrorType: String? = nil, limitSource: String? = nil
  ) {
    self.message = message
    self.code = code
    self.type = type
    self.detailCode = detailCode
    self.metadataErrorType = metadataErrorType
    self.limitSource = limitSource
  }

  init(body: [UInt8]) {
    guard let json = JSONValue.parse(body) else {
      self.init()
      let text = String(decoding: body.prefix(4096), as: UTF8.self).trimmingSpaces()
      // HTML error pages say nothing useful in a one-line message.
      if !text.isEmpty && !text.hasPrefix("<") { message = text }
      return
    }
    self.init(json: json)
  }

  /// Reads a parsed body (or one stream event). An object without an error gives all nil.
  init(json: JSONValue) {
    if let object = json["error"], object.isObject {
      self.init(errorObject: object)
      return
    }
    self.init()
    switch json["error"] {
    case .string(let s)?:
      message = s
    default:
      message = json["message"]?.stringValue ?? json["detail"]?.stringValue
      type = json["type"]?.stringValue
      code = json["code"]?.textValue
    }
  }

  /// Reads an error object (`{"message","type","code",…}`).
  init(errorObject error: JSONValue) {
    self.init()
    message = error["message"]?.stringValue
    code = error["code"]?.textValue
    type = error["type"]?.stringValue
    detailCode = error["details"]?["error_code"]?.textValue
    let metadata = error["metadata"]
    metadataErrorType = metadata?["error_type"]?.textValue
    limitSource = metadata?["limit_source"]?.textValue
    metadataReason = metadata?["reason"]?.textValue
    resetsAt = metadata?["resets_at"]?.stringValue
  }

  /// True when any field says something.
  var isEmpty: Bool {
    message == nil && code == nil && type == nil && detailCode == nil
      && metadataErrorType == nil && limitSource == nil && metadataReason == nil
  }

  /// `code` when it is an HTTP-like status (OpenRouter puts the upstream status there).
  var statusCode: Int? {
    guard let code, let n = Int(code), (100...599).contains(n) else { return nil }
    return n
  }

  /// The message, else the type or code: what a log line shows.
  var summary: String { message ?? type ?? code ?? "error" }
}
