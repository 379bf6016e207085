import AtalayaCore
import HTTPClient

/// How one provider API is spoken: request shapes and how a 2xx body reads.
/// Failure statuses are classified the same way for every dialect
/// (see ``ProbeClassifier``).
protocol ProviderDialect: Sendable {
  /// The tiny chat request of a `chat` check.
  func chatRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest
  /// The model listing request of a `models` check.
  func modelsRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest
  /// Reads a 2xx chat response (streamed or not).
  func readChat(_ response: HTTPResponse, check: CheckConfig) -> ChatReading
  /// The model ids of a 2xx models body; nil when it is not a model list.
  func modelIDs(_ json: JSONValue) -> [String]?
}

/// What a dialect found in a 2xx chat response.
struct ChatReading: Sendable, Equatable {
  enum Verdict: Sendable, Equatable {
    case ok
    /// Not the expected JSON (maps to `bad_response`).
    case badResponse(String)
    /// An error inside the stream or a stream that ended early (`stream_error`).
    case streamError(String)
    /// An error the provider reported inside the 2xx body or stream, classified by its
    /// cause (see ``FailureClassifier``).
    case failure(ResultClass, String)
  }

  var verdict: Verdict
  var usage: TokenUsage?
  /// Body offset of the end of the first non-empty content delta (streams).
  var firstContentOffset: Int?

  init(_ verdict: Verdict, usage: TokenUsage? = nil, firstContentOffset: Int? = nil) {
    self.verdict = verdict
    self.usage = usage
    self.firstContentOffset = firstContentOffset
  }
}

extension ProviderType {
  /// The dialect spoken by providers of this type.
  var dialect: any ProviderDialect {
    switch self {
    case .openai: OpenAIDialect(flavor: .openai)
    case .openrouter: OpenAIDialect(flavor: .openrouter)
    case .anthropic: AnthropicDialect()
    case .ollama: OllamaDialect()
    }
  }
}

/// Helpers shared by the dialects.
enum DialectSupport {
  /// `base` + `path`, without doubled slashes.
  static func url(_ base: String, _ path: String) -> String {
    var base = base
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }

  /// `headers` followed by the provider's extra headers; an extra header
  /// replaces a built-in one of the same name.
  static func headers(_ headers: [HTTPHeader], provider: ProviderConfig) -> [HTTPHeader] {
    let extra = provider.headers.map { HTTPHeader(name: $0.name, value: $0.value.reveal()) }
    let overridden = Set(extra.map { $0.name.lowercased() })
    return headers.filter { !overridden.contains($0.name.lowercased()) } + extra
  }

  /// A request with the check's timeout.
  static func request(
    method: String, url: String, headers: [HTTPHeader], body: JSONValue?, provider: ProviderConfig,
    check: CheckConfig
  ) -> HTTPRequest {
    var all = headers
    if body != nil { all.append(HTTPHeader(name: "Content-Type", value: "application/json")) }
    return HTTPRequest(
      method: method, url: url, headers: self.headers(all, provider: provider),
      body: body?.encodedBytes,
      timeout: check.timeout)
  }

  /// The single user message of a chat probe.
  static var messages: JSONValue {
    .array([
      .object([JSONMember("role", "user"), JSONMember("content", .string(ProbePrompt.text))])
    ])
  }

  /// True when the body is `text/event-stream` (by content type, or by its
  /// first bytes when the content type is missing or generic).
  static func isEventStream(_ response: HTTPResponse) -> Bool {
    let type = response.header("content-type")?.lowercased() ?? ""
    if type.containsBytes("text/event-stream") { return true }
    if type.containsBytes("json") { return false }
    let start = response.body.prefix(6)
    return start.starts(with: Array("data:".utf8)) || start.starts(with: Array("event:".utf8))
      || start.first == UInt8(ascii: ":")
  }

  /// The reading for an error the provider put in a 2xx body (`inStream`: in a stream
  /// event): classified by its cause, with its message.
  static func failure(_ error: ProviderErrorBody, inStream: Bool, usage: TokenUsage?)
    -> ChatReading
  {
    if inStream {
      let result = FailureClassifier.classifyStreamError(error)
      return ChatReading(
        result == .streamError
          ? .streamError("error in stream: \(error.summary)")
          : .failure(result, "error in stream: \(error.summary)"),
        usage: usage)
    }
    return ChatReading(
      .failure(FailureClassifier.classifyBodyError(error), "error in response: \(error.summary)"),
      usage: usage)
  }

  /// The message of an `error` member that is a string or an object with a
  /// `message`; nil when there is no error (absent or null).
  static func errorMessage(_ error: JSONValue?) -> String? {
    guard let error else { return nil }
    switch error {
    case .null: return nil
    case .string(let s): return s
    case .object:
      return error["message"]?.stringValue ?? error["type"]?.stringValue ?? error["code"]?.textValue
        ?? "error"
    default: return "error"
    }
  }

  /// `data[].id` of an OpenAI-style model list (OpenAI, OpenRouter, Anthropic).
  static func dataIDs(_ json: JSONValue) -> [String]? {
    guard let data = json["data"]?.arrayValue else { return nil }
    return data.compactMap { $0["id"]?.stringValue }
  }

  /// The expected models missing from `listed`. A name without a tag matches its
  /// `:latest` entry (Ollama lists `llama3.1:latest` for `llama3.1`).
  static func missing(_ expected: [String], from listed: [String]) -> [String] {
    let names = Set(listed)
    return expected.filter { model in
      !(names.contains(model) || (!model.contains(":") && names.contains(model + ":latest")))
    }
  }

  /// Token usage when either count is present.
  static func usage(input: Int?, output: Int?, cost: Double? = nil) -> TokenUsage? {
    guard input != nil || output != nil || cost != nil else { return nil }
    return TokenUsage(inputTokens: input ?? 0, outputTokens: output ?? 0, costUSD: cost)
  }
}
