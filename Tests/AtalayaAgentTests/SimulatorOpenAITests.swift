import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

@Suite struct SimulatorOpenAITests {
  @Test func healthyChatHasTheChatCompletionShapeAndRateLimitHeaders() async throws {
    let providers = [
      SimulatedProvider(name: "steady", behavior: .healthy(latency: .zero), apiKey: "k")
    ]
    try await withSimulator(providers) { sim, port async throws in
      let first = try await postChat(port: port, name: "steady")
      #expect(first.status == 200)
      #expect(first.header("content-type") == "application/json")
      let json = try #require(first.json)
      #expect(json["object"] as? String == "chat.completion")
      let choice = try #require(json.objects("choices")?.first)
      #expect(choice.object("message")?["content"] as? String == "ok")
      #expect(choice.object("message")?["role"] as? String == "assistant")
      #expect(choice["finish_reason"] as? String == "stop")
      let usage = try #require(json.object("usage"))
      let prompt = try #require(usage["prompt_tokens"] as? Int)
      #expect(prompt > 0)
      #expect(usage["completion_tokens"] as? Int == 1)
      #expect(usage["total_tokens"] as? Int == prompt + 1)
      #expect((usage["cost"] as? Double ?? 0) > 0)
      #expect(first.header("x-ratelimit-limit-requests") == "500")
      #expect(first.header("x-ratelimit-remaining-requests") == "499")
      #expect(first.header("x-ratelimit-reset-requests")?.hasSuffix("s") == true)
      #expect(first.header("x-ratelimit-limit-tokens") != nil)
      #expect(first.header("x-ratelimit-reset-tokens") != nil)

      let second = try await postChat(port: port, name: "steady")
      #expect(second.header("x-ratelimit-remaining-requests") == "498")
      let tokens1 = Int(first.header("x-ratelimit-remaining-tokens") ?? "") ?? 0
      let tokens2 = Int(second.header("x-ratelimit-remaining-tokens") ?? "") ?? 0
      #expect(tokens2 < tokens1)

      #expect(sim.requestCount(for: "steady") == 2)
      let last = try #require(sim.lastRequest(for: "steady"))
      #expect(last.method == "POST")
      #expect(last.path == "/steady/v1/chat/completions")
      #expect(last.header("Authorization") == "Bearer k")
      #expect(last.body.contains("\"max_tokens\":8"))
    }
  }

  @Test func streamSendsChunksUsageAndEndsWithDone() async throws {
    let providers = [SimulatedProvider(name: "s", behavior: .healthy(latency: .milliseconds(200)))]
    try await withSimulator(providers) { _, port async throws in
      let response = try await postChat(
        port: port, name: "s", body: chatBody(stream: true, includeUsage: true))
      #expect(response.status == 200)
      #expect(response.header("content-type") == "text/event-stream")
      #expect(response.header("x-ratelimit-remaining-requests") != nil)
      let events = sseData(response.text)
      #expect(events.last == "[DONE]")
      let chunks = events.dropLast().compactMap(jsonObject)
      #expect(chunks.count == events.count - 1)
      #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
      let content = chunks.compactMap {
        $0.objects("choices")?.first?.object("delta")?["content"] as? String
      }.joined()
      #expect(content == "ok")
      let finishes = chunks.compactMap { $0.objects("choices")?.first?["finish_reason"] as? String }
      #expect(finishes == ["stop"])
      let usage = try #require(chunks.last?.object("usage"))
      #expect(usage["completion_tokens"] as? Int == 1)
      // The first token comes after half the latency, the head before it.
      let ttft = try #require(response.timeToFirstBodyByte)
      #expect(ttft >= .milliseconds(90))
      #expect(response.timeToHead < ttft)
    }
  }

  @Test func streamWithoutIncludeUsageHasNoUsageChunk() async throws {
    try await withSimulator([SimulatedProvider(name: "s", behavior: .healthy(latency: .zero))]) {
      _, port async throws in
      let response = try await postChat(port: port, name: "s", body: chatBody(stream: true))
      let chunks = sseData(response.text).dropLast().compactMap(jsonObject)
      #expect(chunks.allSatisfy { $0["usage"] == nil })
      #expect(sseData(response.text).last == "[DONE]")
    }
  }

  @Test func tokenLimitsAreHonoured() async throws {
    try await withSimulator([SimulatedProvider(name: "s", behavior: .healthy(latency: .zero))]) {
      _, port async throws in
      let zero = try await postChat(port: port, name: "s", body: chatBody(maxTokens: 0))
      let choice = try #require(zero.json?.objects("choices")?.first)
      #expect(zero.json?.object("usage")?["completion_tokens"] as? Int == 0)
      #expect(choice["finish_reason"] as? String == "length")
      let body =
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":0}"#
      let completionLimited = try await postChat(port: port, name: "s", body: body)
      #expect(completionLimited.json?.object("usage")?["completion_tokens"] as? Int == 0)
      let unlimited = try await postChat(port: port, name: "s", body: chatBody(maxTokens: nil))
      #expect(unlimited.json?.object("usage")?["completion_tokens"] as? Int == 1)
    }
  }

  @Test func modelsAndKeyEndpoints() async throws {
    try await withSimulator([
      SimulatedProvider(name: "or", type: .openrouter, behavior: .healthy(latency: .zero))
    ]) { _, port async throws in
      let models = try await TestHTTPClient.request("GET", port: port, path: "/or/v1/models")
      #expect(models.status == 200)
      #expect(models.json?["object"] as? String == "list")
      #expect(models.json?.objects("data")?.first?["id"] as? String == "sim-model")

      let before = try await TestHTTPClient.request("GET", port: port, path: "/or/v1/key")
      let data = try #require(before.json?.object("data"))
      #expect(data["limit"] as? Int == 100)
      #expect(data["is_free_tier"] as? Bool == false)
      for key in [
        "label", "usage", "limit_remaining", "usage_daily", "usage_weekly", "usage_monthly",
      ] {
        #expect(data[key] != nil, "missing \(key)")
      }
      _ = try await postChat(port: port, name: "or")
      let after = try await TestHTTPClient.request("GET", port: port, path: "/or/v1/key")
      let usageBefore = try #require(data["usage"] as? Double)
      let usageAfter = try #require(after.json?.object("data")?["usage"] as? Double)
      #expect(usageAfter > usageBefore)
    }
  }

  @Test func unknownPathsAndMalformedBodies() async throws {
    try await withSimulator([SimulatedProvider(name: "s", behavior: .healthy(latency: .zero))]) {
      sim, port async throws in
      let unknownProvider = try await TestHTTPClient.request(
        "GET", port: port, path: "/nobody/v1/models")
      #expect(unknownProvider.status == 404)
      #expect(unknownProvider.json?.object("error")?["message"] is String)
      let unknownPath = try await TestHTTPClient.request("GET", port: port, path: "/s/v1/nothing")
      #expect(unknownPath.status == 404)
      #expect(unknownPath.json?.object("error") != nil)
      let malformed = try await postChat(port: port, name: "s", body: "{\"model\": ")
      #expect(malformed.status == 400)
      #expect(malformed.json?.object("error")?["type"] as? String == "invalid_request_error")
      #expect(sim.requestCount(for: "s") == 2)
    }
  }

  @Test func authIsEnforcedPerDialect() async throws {
    let providers = [
      SimulatedProvider(
        name: "o", type: .openai, behavior: .healthy(latency: .zero), apiKey: "right"),
      SimulatedProvider(
        name: "a", type: .anthropic, behavior: .healthy(latency: .zero), apiKey: "right"),
      SimulatedProvider(
        name: "l", type: .ollama, behavior: .healthy(latency: .zero), apiKey: "right"),
    ]
    try await withSimulator(providers) { _, port async throws in
      let none = try await postChat(port: port, name: "o", key: nil)
      #expect(none.status == 401)
      #expect(none.json?.object("error")?["code"] as? String == "invalid_api_key")
      #expect(try await postChat(port: port, name: "o", key: "wrong").status == 401)
      #expect(try await postChat(port: port, name: "o", key: "right").status == 200)

      let anthropicBody =
        #"{"model":"c","max_tokens":4,"messages":[{"role":"user","content":"hi"}]}"#
      let noKey = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", body: anthropicBody)
      #expect(noKey.status == 401)
      #expect(noKey.json?.object("error")?["type"] as? String == "authentication_error")
      let withKey = try await TestHTTPClient.request(
        "POST", port: port, path: "/a/v1/messages", headers: [("x-api-key", "right")],
        body: anthropicBody)
      #expect(withKey.status == 200)

      let ollama = try await TestHTTPClient.request("GET", port: port, path: "/l/api/tags")
      #expect(ollama.status == 200)
    }
  }

  @Test func baseURLsFollowTheDialect() async throws {
    try await withSimulator([]) { sim, port async throws in
      #expect(sim.baseURL(for: "x", type: .openai) == "http://127.0.0.1:\(port)/x/v1")
      #expect(sim.baseURL(for: "x", type: .openrouter) == "http://127.0.0.1:\(port)/x/v1")
      #expect(sim.baseURL(for: "x", type: .anthropic) == "http://127.0.0.1:\(port)/x")
      #expect(sim.baseURL(for: "x", type: .ollama) == "http://127.0.0.1:\(port)/x")
    }
  }
}
