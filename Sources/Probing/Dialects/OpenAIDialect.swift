import AtalayaCore
import HTTPClient

/// OpenAI's chat completions API, also spoken by OpenRouter and every
/// OpenAI-compatible server.
struct OpenAIDialect: ProviderDialect {
  enum Flavor: Sendable {
    case openai
    /// Also asks for `usage.cost` (`"usage":{"include":true}`).
    case openrouter
  }

  var flavor: Flavor

  /// True for OpenAI reasoning models (o1, o3, o4, gpt-5 families), which
  /// take `max_completion_tokens` instead of `max_tokens` and no temperature.
  /// A provider prefix such as `openai/` is ignored.
  static func isReasoningModel(_ model: String) -> Bool {
    let name = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
    return ["o1", "o3", "o4", "gpt-5"].contains { name.hasPrefix($0) }
  }

  func chatRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    var body: [JSONMember] = [
      JSONMember("model", .string(check.model)),
      JSONMember("messages", DialectSupport.messages),
    ]
    if flavor == .openai && Self.isReasoningModel(check.model) {
      body.append(JSONMember("max_completion_tokens", .number(Double(check.maxTokens))))
    } else {
      body.append(JSONMember("max_tokens", .number(Double(check.maxTokens))))
      body.append(JSONMember("temperature", 0))
    }
    body.append(JSONMember("stream", .bool(check.stream)))
    if check.stream {
      body.append(JSONMember("stream_options", .object([JSONMember("include_usage", true)])))
    }
    if flavor == .openrouter {
      body.append(JSONMember("usage", .object([JSONMember("include", true)])))
    }
    return DialectSupport.request(
      method: "POST", url: DialectSupport.url(provider.baseURL, "/chat/completions"),
      headers: authHeaders(provider), body: .object(body), provider: provider, check: check)
  }

  func modelsRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    DialectSupport.request(
      method: "GET", url: DialectSupport.url(provider.baseURL, "/models"),
      headers: authHeaders(provider),
      body: nil, provider: provider, check: check)
  }

  private func authHeaders(_ provider: ProviderConfig) -> [HTTPHeader] {
    guard let key = provider.apiKey else { return [] }
    return [HTTPHeader(name: "Authorization", value: "Bearer \(key.reveal())")]
  }

  func isModelList(_ json: JSONValue) -> Bool { json["data"]?.arrayValue != nil }

  func readChat(_ response: HTTPResponse, check: CheckConfig) -> ChatReading {
    DialectSupport.isEventStream(response) ? readStream(response.body) : readJSON(response.body)
  }

  private func readJSON(_ body: [UInt8]) -> ChatReading {
    guard let json = JSONValue.parse(body), json.isObject else {
      return ChatReading(.badResponse("response is not a JSON object"))
    }
    if let error = DialectSupport.errorMessage(json["error"]) {
      return ChatReading(.badResponse("error in response: \(error)"))
    }
    guard let choice = json["choices"]?[0], choice["message"]?.isObject == true else {
      return ChatReading(.badResponse("response has no choices[0].message"))
    }
    return ChatReading(.ok, usage: usage(json["usage"]))
  }

  private func readStream(_ body: [UInt8]) -> ChatReading {
    var reading = ChatReading(.ok)
    var done = false
    var finished = false
    for event in ServerSentEvents.parse(body) {
      let data = event.data.trimmingSpaces()
      if data == "[DONE]" {
        done = true
        continue
      }
      if data.isEmpty { continue }
      guard let json = JSONValue.parse(data), json.isObject else {
        return ChatReading(.streamError("malformed stream event"), usage: reading.usage)
      }
      if let error = DialectSupport.errorMessage(json["error"]) {
        return ChatReading(.streamError("error in stream: \(error)"), usage: reading.usage)
      }
      for choice in json["choices"]?.arrayValue ?? [] {
        if let reason = choice["finish_reason"]?.stringValue {
          if reason == "error" {
            return ChatReading(
              .streamError("stream finished with reason error"), usage: reading.usage)
          }
          finished = true
        }
        if reading.firstContentOffset == nil,
          let content = choice["delta"]?["content"]?.stringValue, !content.isEmpty
        {
          reading.firstContentOffset = event.endOffset
        }
      }
      if let usage = usage(json["usage"]) { reading.usage = usage }
    }
    if reading.firstContentOffset == nil && !done {
      return ChatReading(
        .streamError("stream ended without content or [DONE]"), usage: reading.usage)
    }
    if !done && !finished {
      return ChatReading(
        .streamError("stream cut off: no finish_reason and no [DONE]"), usage: reading.usage)
    }
    return reading
  }

  private func usage(_ json: JSONValue?) -> TokenUsage? {
    guard let json, json.isObject else { return nil }
    return DialectSupport.usage(
      input: json["prompt_tokens"]?.intValue, output: json["completion_tokens"]?.intValue,
      cost: json["cost"]?.doubleValue)
  }
}
