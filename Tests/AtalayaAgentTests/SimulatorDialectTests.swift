import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

@Suite struct SimulatorDialectTests {
  static let anthropicBody =
    #"{"model":"claude-sim-4","max_tokens":4,"messages":[{"role":"user","content":"hi"}]}"#

  @Test func anthropicMessageShapeAndHeaders() async throws {
    try await withSimulator([
      SimulatedProvider(name: "a", type: .anthropic, behavior: .healthy(latency: .zero))
    ]) { _, port async throws in
      let r = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", body: Self.anthropicBody)
      #expect(r.status == 200)
      let json = try #require(r.json)
      #expect(json["type"] as? String == "message")
      #expect(json["stop_reason"] as? String == "end_turn")
      let block = try #require(json.objects("content")?.first)
      #expect(block["type"] as? String == "text")
      #expect(block["text"] as? String == "ok")
      #expect((json.object("usage")?["input_tokens"] as? Int ?? 0) > 0)
      #expect(json.object("usage")?["output_tokens"] as? Int == 1)
      #expect(r.header("anthropic-ratelimit-requests-limit") == "50")
      #expect(r.header("anthropic-ratelimit-requests-remaining") == "49")
      let reset = try #require(r.header("anthropic-ratelimit-requests-reset"))
      #expect(reset.count == 20 && reset.hasSuffix("Z") && reset.contains("T"))
      #expect(r.header("anthropic-ratelimit-tokens-remaining") != nil)

      let models = try await TestHTTPClient.request("GET", port: port, path: "/a/v1/models")
      #expect(models.json?.objects("data")?.first?["type"] as? String == "model")
    }
  }

  @Test func anthropicStreamSendsTheEventSequence() async throws {
    try await withSimulator([
      SimulatedProvider(name: "a", type: .anthropic, behavior: .healthy(latency: .zero))
    ]) { _, port async throws in
      let body = Self.anthropicBody.replacingOccurrences(
        of: "\"max_tokens\":4", with: "\"max_tokens\":4,\"stream\":true")
      let r = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", body: body)
      #expect(r.header("content-type") == "text/event-stream")
      let events = r.text.components(separatedBy: "\n").filter { $0.hasPrefix("event: ") }.map {
        $0.dropFirst(7)
      }
      #expect(
        events == [
          "message_start", "content_block_start", "ping", "content_block_delta",
          "content_block_stop", "message_delta",
          "message_stop",
        ])
      let delta = sseData(r.text).compactMap(jsonObject).first {
        $0["type"] as? String == "content_block_delta"
      }
      #expect(delta?.object("delta")?["text"] as? String == "ok")
    }
  }

  @Test func ollamaChatStreamAndTags() async throws {
    try await withSimulator([
      SimulatedProvider(name: "l", type: .ollama, behavior: .healthy(latency: .zero))
    ]) { _, port async throws in
      let plain =
        #"{"model":"llama3.2:1b","stream":false,"messages":[{"role":"user","content":"hi"}]}"#
      let r = try await TestHTTPClient.request("POST", port: port, path: "/l/api/chat", body: plain)
      #expect(r.status == 200)
      let json = try #require(r.json)
      #expect(json["model"] as? String == "llama3.2:1b")
      #expect(json.object("message")?["content"] as? String == "ok")
      #expect(json["done"] as? Bool == true)
      #expect((json["prompt_eval_count"] as? Int ?? 0) > 0)
      #expect(json["eval_count"] as? Int == 1)

      let streamed = #"{"model":"llama3.2:1b","messages":[{"role":"user","content":"hi"}]}"#
      let s = try await TestHTTPClient.request(
        "POST", port: port, path: "/l/api/chat", body: streamed)
      let lines = s.text.split(separator: "\n").compactMap { jsonObject(String($0)) }
      #expect(lines.count == 2)
      #expect(lines.last?["done"] as? Bool == true)

      let tags = try await TestHTTPClient.request("GET", port: port, path: "/l/api/tags")
      #expect(tags.json?.objects("models")?.isEmpty == false)
    }
  }

  @Test func demoScenarioHasFiveProvidersAndAMatchingConfig() async throws {
    let providers = DemoScenario.providers()
    #expect(providers.map(\.name) == ["steady", "flaky", "sluggish", "blinky", "throttled"])
    #expect(
      providers.first { $0.name == "blinky" }?.behavior
        == .periodicOutage(every: .seconds(180), down: .seconds(60)))
    #expect(providers.first { $0.name == "throttled" }?.behavior == .rateLimited(every: 3))
    let yaml = DemoScenario.config(port: 9478, simulatorPort: 4321)
    #expect(yaml.contains("listen: 127.0.0.1:9478"))
    #expect(yaml.contains("base_url: http://127.0.0.1:4321/sluggish/v1"))
    #expect(yaml.contains("    - kind: models"))
    #expect(yaml.components(separatedBy: "slow: 2s").count - 1 == 5)
    #expect(yaml.contains("failure_threshold: 3"))
    let parsed = try #require(try YAML.compose(yaml))
    #expect(parsed["window"]?.string == "2m")
    #expect(parsed["defaults"]?["timeout"]?.string == "4s")
    #expect(parsed["circuit_breaker"]?["reset_timeout"]?.string == "20s")
    let parsedProviders = try #require(parsed["providers"]?.sequence)
    #expect(
      parsedProviders.map { $0["name"]?.string } == [
        "steady", "flaky", "sluggish", "blinky", "throttled",
      ])
    #expect(
      parsedProviders.map { $0["type"]?.string } == [
        "openrouter", "openai", "openai", "openai", "openai",
      ])
    #expect(parsedProviders.allSatisfy { $0["api_key"]?.string == "demo-key" })
    // The demo shows cost: a price, a budget, and account polling of `steady`.
    #expect(parsed["budgets"]?.array().first?["name"]?.string == "demo-daily")
    #expect(parsed["pricing"] != nil)
    #expect(parsedProviders[0]["account"]?["poll_interval"]?.string == "10s")
    let steadyChecks = try #require(parsedProviders[0]["checks"]?.sequence)
    #expect(steadyChecks.count == 2)
    #expect(steadyChecks[0]["stream"]?.string == "true")
    #expect(steadyChecks[1]["kind"]?.string == "models")
    #expect(parsedProviders[2]["checks"]?.array().first?["stream"]?.string == "false")

    // The demo's providers answer with the key the config carries.
    try await withSimulator(providers) { _, port async throws in
      let r = try await postChat(port: port, name: "steady", key: DemoScenario.apiKey)
      #expect(r.status == 200)
    }
  }
}
