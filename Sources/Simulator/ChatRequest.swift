import FoundationEssentials

/// The parts of a chat request (any dialect) the simulator looks at; every field
/// is optional so that odd but valid JSON is accepted.
struct ChatRequest: Decodable, Sendable {
  var model: String?
  var messages: [Message]?
  var system: LenientText?
  var stream: Bool?
  var maxTokens: Int?
  var maxCompletionTokens: Int?
  var streamOptions: StreamOptions?
  var options: OllamaOptions?

  struct Message: Decodable, Sendable {
    var role: String?
    var content: LenientText?
  }

  struct StreamOptions: Decodable, Sendable {
    var includeUsage: Bool?
    enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
  }

  struct OllamaOptions: Decodable, Sendable {
    var numPredict: Int?
    enum CodingKeys: String, CodingKey { case numPredict = "num_predict" }
  }

  enum CodingKeys: String, CodingKey {
    case model, messages, system, stream, options
    case maxTokens = "max_tokens"
    case maxCompletionTokens = "max_completion_tokens"
    case streamOptions = "stream_options"
  }

  /// Decodes `body`; throws on malformed JSON or a body that is not an object.
  static func parse(_ body: [UInt8]) throws -> ChatRequest {
    try JSONDecoder().decode(ChatRequest.self, from: Data(body))
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
struct LenientText: Decodable, Sendable {
  var text: String

  private struct Part: Decodable { var text: String? }

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let s = try? container.decode(String.self) {
      text = s
    } else if let parts = try? container.decode([Part].self) {
      text = parts.compactMap(\.text).joined()
    } else {
      text = ""
    }
  }
}
