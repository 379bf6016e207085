import AtalayaCore
import HTTPClient

/// Ollama's native API (`/api/chat`, `/api/tags`); streams are NDJSON.
struct OllamaDialect: ProviderDialect {
  private func headers(_ provider: ProviderConfig) -> [HTTPHeader] {
    guard let key = provider.apiKey else { return [] }
    return [HTTPHeader(name: "Authorization", value: "Bearer \(key.reveal())")]
  }

  func chatRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    let body: JSONValue = .object([
      JSONMember("model", .string(check.model)),
      JSONMember("messages", DialectSupport.messages),
      JSONMember("stream", .bool(check.stream)),
      JSONMember("options", .object([JSONMember("num_predict", .number(Double(check.maxTokens)))])),
    ])
    return DialectSupport.request(
      method: "POST", url: DialectSupport.url(provider.baseURL, "/api/chat"),
      headers: headers(provider),
      body: body, provider: provider, check: check)
  }

  func modelsRequest(provider: ProviderConfig, check: CheckConfig) -> HTTPRequest {
    DialectSupport.request(
      method: "GET", url: DialectSupport.url(provider.baseURL, "/api/tags"),
      headers: headers(provider),
      body: nil, provider: provider, check: check)
  }

  /// `/api/tags`: `{"models":[{"name":"llama3.1:latest","model":…}]}`.
  func modelIDs(_ json: JSONValue) -> [String]? {
    guard let models = json["models"]?.arrayValue else { return nil }
    return models.compactMap { $0["name"]?.stringValue ?? $0["model"]?.stringValue }
  }

  func readChat(_ response: HTTPResponse, check: CheckConfig) -> ChatReading {
    let type = response.header("content-type")?.lowercased() ?? ""
    if type.containsBytes("ndjson") || (check.stream && !type.containsBytes("application/json")) {
      return readLines(response.body)
    }
    guard let json = JSONValue.parse(response.body), json.isObject else {
      return ChatReading(.badResponse("response is not a JSON object"))
    }
    if DialectSupport.errorMessage(json["error"]) != nil {
      return DialectSupport.failure(ProviderErrorBody(json: json), inStream: false, usage: nil)
    }
    guard json["message"]?.isObject == true else {
      return ChatReading(.badResponse("response has no message"))
    }
    return ChatReading(.ok, usage: usage(json))
  }

  private func readLines(_ body: [UInt8]) -> ChatReading {
    var reading = ChatReading(.ok)
    var done = false
    for line in Lines(body) where !line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
    {
      guard let json = JSONValue.parse(line.bytes), json.isObject else {
        return ChatReading(.streamError("malformed stream line"), usage: reading.usage)
      }
      if DialectSupport.errorMessage(json["error"]) != nil {
        return DialectSupport.failure(
          ProviderErrorBody(json: json), inStream: true, usage: reading.usage)
      }
      if reading.firstContentOffset == nil, let content = json["message"]?["content"]?.stringValue,
        !content.isEmpty
      {
        reading.firstContentOffset = line.lastOffset
      }
      if json["done"]?.boolValue == true {
        done = true
        reading.usage = usage(json) ?? reading.usage
      }
    }
    if reading.firstContentOffset == nil && !done {
      return ChatReading(.streamError("stream ended without content or done"), usage: reading.usage)
    }
    if !done {
      return ChatReading(.streamError("stream cut off before done"), usage: reading.usage)
    }
    return reading
  }

  private func usage(_ json: JSONValue) -> TokenUsage? {
    DialectSupport.usage(
      input: json["prompt_eval_count"]?.intValue, output: json["eval_count"]?.intValue)
  }
}
