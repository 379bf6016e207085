import AtalayaCore

/// The error a provider put in a failure response body, in any of the usual
/// shapes: `{"error":{"message","type","code"}}` (OpenAI, OpenRouter,
/// Anthropic), `{"error":"…"}` (Ollama), `{"message":…}`, or plain text.
struct ProviderErrorBody: Sendable, Equatable {
  var message: String?
  var code: String?
  var type: String?

  init(message: String? = nil, code: String? = nil, type: String? = nil) {
    self.message = message
    self.code = code
    self.type = type
  }

  init(body: [UInt8]) {
    guard let json = JSONValue.parse(body) else {
      let text = String(decoding: body.prefix(4096), as: UTF8.self).trimmingSpaces()
      // HTML error pages say nothing useful in a one-line message.
      if !text.isEmpty && !text.hasPrefix("<") { message = text }
      return
    }
    switch json["error"] {
    case .string(let s)?:
      message = s
    case .object?:
      let error = json["error"]
      message = error?["message"]?.stringValue
      code = error?["code"]?.textValue
      type = error?["type"]?.stringValue
    default:
      message = json["message"]?.stringValue ?? json["detail"]?.stringValue
      type = json["type"]?.stringValue
      code = json["code"]?.textValue
    }
  }

  /// True when the code or type says so (OpenAI's out-of-credit 429).
  var isInsufficientQuota: Bool { code == "insufficient_quota" || type == "insufficient_quota" }

  /// Anthropic's overload error (sent with 529, sometimes with 503).
  var isOverloaded: Bool { type == "overloaded_error" || code == "overloaded_error" }
}
