import AtalayaCore

/// The parts of a chat request (any dialect) the simulator looks at; every field
/// is optional so that odd but valid JSON is accepted.
struct ChatRequest: Sendable {
  var model: String?
  var messages: [Message]?
  var system: LenientText?
  var stream: Bool?
  var maxTokens: Int?
  var maxCompletionTokens: Int?
  var streamOptions: StreamOptions?
  var options: OllamaOptions?

  struct Message: Sendable {
    var role: String?
    var content: LenientText?
  }

  struct StreamOptions: Sendable {
    var includeUsage: Bool?
  }

  struct OllamaOptions: Sendable {
    var numPredict: Int?
  }

  /// A body that is not JSON, not an object, or has a field of the wrong type.
  struct Malformed: Error {}

  /// Decodes `body`; throws on malformed JSON, a body that is not an object, or a known
  /// field of the wrong type (a null field is absent).
  static func parse(_ body: [UInt8]) throws -> ChatRequest {
    guard let json = JSONValue.parse(body), json.isObject else { throw Malformed() }
    var request = ChatRequest()
    request.model = try field(json, "model", \.stringValue)
    request.messages = try field(json, "messages", \.arrayValue).map { items in
      try items.map { item in
        guard item.isObject else { throw Malformed() }
        return Message(
          role: try field(item, "role", \.stringValue),
          content: field(item, "content").map(LenientText.init))
      }
    }
    request.system = field(json, "system").map(LenientText.init)
    request.stream = try field(json, "stream", \.boolValue)
    request.maxTokens = try field(json, "max_tokens", \.intValue)
    request.maxCompletionTokens = try field(json, "max_completion_tokens", \.intValue)
    if let options = field(json, "stream_options") {
      guard options.isObject else { throw Malformed() }
      request.streamOptions = StreamOptions(
        includeUsage: try field(options, "include_usage", \.boolValue))
    }
    if let options = field(json, "options") {
      guard options.isObject else { throw Malformed() }
      request.options = OllamaOptions(numPredict: try field(options, "num_predict", \.intValue))
    }
    return request
  }

  /// The member `key` of `object`; nil when absent or null.
  private static func field(_ object: JSONValue, _ key: String) -> JSONValue? {
    guard let value = object[key], value != .null else { return nil }
    return value
  }

  /// The member `key` as a `T`; nil when absent or null, and an error for another type.
  private static func field<T>(
    _ object: JSONValue, _ key: String, _ as: (JSONValue) -> T?
  ) throws -> T? {
    guard let value = field(object, key) else { return nil }
    guard let typed = `as`(value) else { throw Malformed() }
    return typed
  }

  /// The smallest token limit the request sets, if any.
  var tokenLimit: Int? {
    [maxTokens, maxCompletionTokens, options?.numPredict].compactMap { $0 }.min()
  }

  /// A rough prompt size: one token per four characters plus four per message.
  var promptTokens: Int {
    let texts = (messages ?? []).map { $0.content?.text ?? "" } + [system?.text ?? ""]
    let chars = texts.reduce(0) { $0 + $1.count }
    return max(1, chars / 4 + 4 * (messages?.count ?? 0))
  }
}

/// Message content that may be a string or an array of `{ "type": "text", "text": ... }` parts.
struct LenientText: Sendable {
  var text: String

  init(text: String) { self.text = text }

  /// A string as it is, the text parts of an array joined; anything else is empty.
  init(_ json: JSONValue) {
    if let s = json.stringValue {
      text = s
    } else if let parts = json.arrayValue, parts.allSatisfy(\.isObject) {
      text = parts.compactMap { $0["text"]?.stringValue }.joined()
    } else {
      text = ""
    }
  }
}
