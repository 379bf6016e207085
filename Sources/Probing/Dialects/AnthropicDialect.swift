import AtalayaCore
import HTTPClient

/// Anthropic's Messages API (`POST /v1/messages`, `x-api-key`).
struct AnthropicDialect: ProviderDialect {
  static let apiVersion = "2023-06-01"

  /// `{base}/v1{path}`; a base URL that already ends in `/v1` is not doubled.
  private func url(_ base: String, _ path: String) -> String {
    var base = base
    while base.hasSuffix("/") { base.removeLast() }
    return DialectSupport.url(base, base.hasSuffix("/v1") ? path : "/v1" + path)
  }

  private func headers(_ provider: ProviderConfig) -> [HTTPHeader] {
    var headers = [HTTPHeader(name: "anthropic-version", value: Self.apiVersion)]
    if let key = provider.apiKey {
      headers.insert(HTTPHeader(name: "x-api-key", value: key.reveal()), at: 0)
    }
    return headers
  }

  func chatRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    let body: JSONValue = .object([
      JSONMember("model", .string(check.model)),
      JSONMember("max_tokens", .number(Double(check.maxTokens))),
      JSONMember("messages", DialectSupport.messages),
      JSONMember("stream", .bool(check.stream)),
    ])
    return DialectSupport.request(
      method: "POST", url: url(provider.baseURL, "/messages"), headers: headers(provider),
      body: body,
      provider: provider, check: check)
  }

  func modelsRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    DialectSupport.request(
      // The list is paged (20 by default); an `expect` check needs all of it.
      method: "GET",
      url: url(provider.baseURL, check.expectedModels.isEmpty ? "/models" : "/models?limit=1000"),
      headers: headers(provider), body: nil,
      provider: provider, check: check)
  }

  func modelIDs(_ json: JSONValue) -> [String]? { DialectSupport.dataIDs(json) }

  func readChat(_ response: HTTPResponse, check: CheckConfig) -> ChatReading {
    DialectSupport.isEventStream(response) ? readStream(response.body) : readJSON(response.body)
  }

  private func readJSON(_ body: [UInt8]) -> ChatReading {
    guard let json = JSONValue.parse(body), json.isObject else {
      return ChatReading(.badResponse("response is not a JSON object"))
    }
    if json["type"]?.stringValue == "error" || DialectSupport.errorMessage(json["error"]) != nil {
      return DialectSupport.failure(errorBody(json), inStream: false, usage: nil)
    }
    guard json["content"]?.arrayValue != nil else {
      return ChatReading(.badResponse("response has no content"))
    }
    return ChatReading(.ok, usage: usage(json["usage"]))
  }

  private func readStream(_ body: [UInt8]) -> ChatReading {
    var reading = ChatReading(.ok)
    var input: Int?
    var output: Int?
    var stopped = false
    for event in ServerSentEvents.parse(body) {
      let data = event.data.trimmingSpaces()
      if data.isEmpty && event.event != "error" { continue }
      let json = JSONValue.parse(data)
      let type = event.event ?? json?["type"]?.stringValue
      if type == "error" || DialectSupport.errorMessage(json?["error"]) != nil {
        var error = json.map(errorBody) ?? ProviderErrorBody()
        if error.isEmpty { error.message = "error event" }
        return DialectSupport.failure(
          error, inStream: true, usage: DialectSupport.usage(input: input, output: output))
      }
      guard let json, json.isObject else {
        return ChatReading(
          .streamError("malformed stream event"),
          usage: DialectSupport.usage(input: input, output: output))
      }
      switch type {
      case "message_start":
        let usage = json["message"]?["usage"]
        input = usage?["input_tokens"]?.intValue ?? input
        output = usage?["output_tokens"]?.intValue ?? output
      case "content_block_delta":
        if reading.firstContentOffset == nil, let text = json["delta"]?["text"]?.stringValue,
          !text.isEmpty
        {
          reading.firstContentOffset = event.endOffset
        }
      case "message_delta":
        input = json["usage"]?["input_tokens"]?.intValue ?? input
        output = json["usage"]?["output_tokens"]?.intValue ?? output
      case "message_stop":
        stopped = true
      default:
        continue
      }
    }
    reading.usage = DialectSupport.usage(input: input, output: output)
    if reading.firstContentOffset == nil && !stopped {
      return ChatReading(
        .streamError("stream ended without content or message_stop"), usage: reading.usage)
    }
    if !stopped {
      return ChatReading(.streamError("stream cut off before message_stop"), usage: reading.usage)
    }
    return reading
  }

  /// The error of `{"type":"error","error":{…}}`, or of a bare error object.
  private func errorBody(_ json: JSONValue) -> ProviderErrorBody {
    json["error"] != nil ? ProviderErrorBody(json: json) : ProviderErrorBody(errorObject: json)
  }

  private func usage(_ json: JSONValue?) -> TokenUsage? {
    guard let json, json.isObject else { return nil }
    return DialectSupport.usage(
      input: json["input_tokens"]?.intValue, output: json["output_tokens"]?.intValue)
  }
}
