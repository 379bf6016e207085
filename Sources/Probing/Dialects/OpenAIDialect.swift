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
    if let effort = check.reasoningEffort {
      switch flavor {
      case .openai:
        body.append(JSONMember("reasoning_effort", .string(effort)))
      case .openrouter:
        // `exclude`: the reasoning text is not sent back (it is still billed).
        body.append(
          JSONMember(
            "reasoning",
            .object([JSONMember("effort", .string(effort)), JSONMember("exclude", true)])))
      }
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

  func modelIDs(_ json: JSONValue) -> [String]? { DialectSupport.dataIDs(json) }

  func readChat(_ response: HTTPResponse, check: CheckConfig) -> ChatReading {
    DialectSupport.isEventStream(response) ? readStream(response.body) : readJSON(response.body)
  }

  private func readJSON(_ body: [UInt8]) -> ChatReading {
    guard let json = JSONValue.parse(body), json.isObject else {
      return ChatReading(.badResponse("response is not a JSON object"))
    }
    let usage = usage(json["usage"])
    if let error = Self.reportedError(json) {
      return DialectSupport.failure(error, inStream: false, usage: usage)
    }
    guard let choice = json["choices"]?[0], choice["message"]?.isObject == true else {
      return ChatReading(.badResponse("response has no choices[0].message"))
    }
    return ChatReading(.ok, usage: usage)
  }

  /// The error a 2xx body or stream chunk reports, if any: a top-level `error`, a flat
  /// `{"object":"error",…}` (vLLM and other compatible servers), or a choice that
  /// finished with reason `error` (OpenRouter, when the upstream failed after the
  /// response was committed) with the choice's `error` object.
  static func reportedError(_ json: JSONValue) -> ProviderErrorBody? {
    if DialectSupport.errorMessage(json["error"]) != nil { return ProviderErrorBody(json: json) }
    if json["object"]?.stringValue == "error" {
      var error = ProviderErrorBody(json: json)
      if error.message == nil { error.message = "error object" }
      return error
    }
    for choice in json["choices"]?.arrayValue ?? [] {
      guard choice["finish_reason"]?.stringValue == "error" else { continue }
      if let object = choice["error"], object.isObject {
        return ProviderErrorBody(errorObject: object)
      }
      return ProviderErrorBody(message: "finished with reason error", code: "server_error")
    }
    return nil
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
      if let error = Self.reportedError(json) {
        return DialectSupport.failure(error, inStream: true, usage: reading.usage)
      }
      for choice in json["choices"]?.arrayValue ?? [] {
        if choice["finish_reason"]?.stringValue != nil { finished = true }
        if reading.firstContentOffset == nil,
          let content = choice["delta"]?["content"]?.stringValue, !content.isEmpty
        {
          reading.firstContentOffset = event.endOffset
        }
      }
      // Groq streams report usage in `x_groq.usage` instead of `usage`.
      if let usage = usage(json["usage"]) ?? usage(json["x_groq"]?["usage"]) {
        reading.usage = usage
      }
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

  /// `usage`, with OpenRouter's `cost`. For bring-your-own-key requests OpenRouter bills
  /// only its fee in `cost` and reports what the upstream charged in
  /// `cost_details.upstream_inference_cost`: the two are added when `is_byok` is true (or
  /// absent and the upstream cost is the larger, as in OpenRouter's own example). Without
  /// BYOK the upstream cost is already `cost` and is not added again.
  private func usage(_ json: JSONValue?) -> TokenUsage? {
    guard let json, json.isObject else { return nil }
    var cost = json["cost"]?.doubleValue
    if let upstream = json["cost_details"]?["upstream_inference_cost"]?.doubleValue,
      upstream.isFinite, upstream > 0
    {
      switch json["is_byok"]?.boolValue {
      case true?: cost = (cost ?? 0) + upstream
      case false?: break
      case nil: if upstream > (cost ?? 0) { cost = (cost ?? 0) + upstream }
      }
    }
    return DialectSupport.usage(
      input: json["prompt_tokens"]?.intValue, output: json["completion_tokens"]?.intValue,
      cost: cost)
  }
}
