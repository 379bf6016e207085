import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Probing
import Testing

/// Probes through the real transport against the loopback test server.
@Suite struct ProberTests {
  let clock = ManualTimeSource()

  func prober() -> Prober {
    Prober(transport: sharedTransport, timeSource: clock, userAgent: "atalaya/9.9")
  }

  func jsonBody(_ request: TestHTTPServer.Request?) -> [String: String] {
    // Top-level keys and the compact encoding of their values.
    guard let request, let json = ProbeJSONInspector.topLevel(request.bodyText) else { return [:] }
    return json
  }

  static let openAIOK =
    #"{"choices":[{"message":{"role":"assistant","content":"ok"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#

  @Test func openAIChatRequestShape() async throws {
    let server = TestHTTPServer(body: Self.openAIOK)
    let p = provider(
      .openai, baseURL: server.baseURL + "/v1",
      headers: [HeaderField(name: "OpenAI-Organization", value: Secret("org-1"))])
    let o = await prober().probeOnce(provider: p, check: chat("gpt-4o-mini", maxTokens: 5))
    #expect(o.result == .success)
    #expect(o.startedAt == clock.now())
    #expect(o.timings?.total ?? 0 > 0)
    let request = try #require(server.requests.first)
    #expect(request.method == "POST")
    #expect(request.path == "/v1/chat/completions")
    #expect(request.header("authorization") == "Bearer sk-test-0123456789abcdef")
    #expect(request.header("content-type") == "application/json")
    #expect(request.header("openai-organization") == "org-1")
    #expect(request.header("user-agent") == "atalaya/9.9")
    let body = jsonBody(request)
    #expect(body["model"] == #""gpt-4o-mini""#)
    #expect(body["messages"] == #"[{"role":"user","content":"Reply with the single word: ok"}]"#)
    #expect(body["max_tokens"] == "5")
    #expect(body["temperature"] == "0")
    #expect(body["stream"] == "false")
    #expect(body["max_completion_tokens"] == nil)
    #expect(body["stream_options"] == nil)
    #expect(body["usage"] == nil)
  }

  @Test(arguments: ["o1-mini", "o3", "o4-mini", "gpt-5", "gpt-5-nano"])
  func openAIReasoningModelsUseMaxCompletionTokens(_ model: String) async throws {
    let server = TestHTTPServer(body: Self.openAIOK)
    _ = await prober().probeOnce(
      provider: provider(.openai, baseURL: server.baseURL), check: chat(model, maxTokens: 16))
    let request = try #require(server.requests.first)
    let body = jsonBody(request)
    #expect(body["max_completion_tokens"] == "16")
    #expect(body["max_tokens"] == nil)
    #expect(body["temperature"] == nil)
  }

  @Test func openRouterStreamRequestShapeAndTTFT() async throws {
    let server = TestHTTPServer { _ in
      .chunked(
        status: 200, headers: [HTTPHeader(name: "Content-Type", value: "text/event-stream")],
        chunks: [
          (0, ": OPENROUTER PROCESSING\n\n".bytes),
          (
            0,
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n".bytes
          ),
          (150, "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n".bytes),
          (
            0,
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"cost\":0.002}}\n\ndata: [DONE]\n\n"
              .bytes
          ),
        ])
    }
    let o = await prober().probeOnce(
      provider: provider(.openrouter, baseURL: server.baseURL + "/api/v1"),
      check: chat("openai/o3", stream: true))
    #expect(o.result == .success)
    let ttft = try #require(o.ttft)
    #expect(ttft >= 0.15 && ttft < 1.0)
    #expect(o.usage == TokenUsage(inputTokens: 4, outputTokens: 1, costUSD: 0.002))
    let request = try #require(server.requests.first)
    #expect(request.path == "/api/v1/chat/completions")
    let body = jsonBody(request)
    #expect(body["stream"] == "true")
    #expect(body["stream_options"] == #"{"include_usage":true}"#)
    #expect(body["usage"] == #"{"include":true}"#)
    #expect(body["max_tokens"] == "8")
  }

  @Test func anthropicRequestShape() async throws {
    let server = TestHTTPServer(
      body:
        #"{"type":"message","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":1,"output_tokens":1}}"#
    )
    let p = provider(.anthropic, baseURL: server.baseURL)
    let o = await prober().probeOnce(provider: p, check: chat("claude-haiku", maxTokens: 4))
    #expect(o.result == .success)
    let request = try #require(server.requests.first)
    #expect(request.path == "/v1/messages")
    #expect(request.header("x-api-key") == "sk-test-0123456789abcdef")
    #expect(request.header("anthropic-version") == "2023-06-01")
    #expect(request.header("authorization") == nil)
    let body = jsonBody(request)
    #expect(body["model"] == #""claude-haiku""#)
    #expect(body["max_tokens"] == "4")
    #expect(body["stream"] == "false")
    #expect(body["messages"] != nil)
    _ = await prober().probeOnce(provider: p, check: modelsCheck)
    #expect(server.requests.last?.path == "/v1/models")
    #expect(server.requests.last?.method == "GET")
  }

  @Test func ollamaRequestShape() async throws {
    let server = TestHTTPServer(
      body: #"{"message":{"role":"assistant","content":"ok"},"done":true}"#)
    let o = await prober().probeOnce(
      provider: provider(.ollama, baseURL: server.baseURL, key: nil),
      check: chat("llama3", stream: false, maxTokens: 3))
    #expect(o.result == .success)
    let request = try #require(server.requests.first)
    #expect(request.path == "/api/chat")
    #expect(request.header("authorization") == nil)
    let body = jsonBody(request)
    #expect(body["options"] == #"{"num_predict":3}"#)
    #expect(body["stream"] == "false")
    _ = await prober().probeOnce(
      provider: provider(.ollama, baseURL: server.baseURL, key: "bearer-key-123"),
      check: modelsCheck)
    #expect(server.requests.last?.path == "/api/tags")
    #expect(server.requests.last?.header("authorization") == "Bearer bearer-key-123")
  }

  @Test func modelsCheckIsAGetWithoutBody() async throws {
    let server = TestHTTPServer(body: #"{"data":[{"id":"gpt-4o"}]}"#)
    let o = await prober().probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/v1/"), check: modelsCheck)
    #expect(o.result == .success)
    #expect(o.check == CheckID(provider: "p", model: CheckID.modelsCheckModel))
    let request = try #require(server.requests.first)
    #expect(request.method == "GET")
    #expect(request.path == "/v1/models")
    #expect(request.body.isEmpty)
  }

  @Test func endToEndFailureClasses() async {
    let server = TestHTTPServer { request in
      switch request.path {
      case "/auth/chat/completions":
        return .respond(
          status: 401, body: #"{"error":{"message":"Invalid key sk-test-0123456789abcdef"}}"#.bytes)
      case "/limited/chat/completions":
        return .respond(
          status: 429,
          headers: [
            HTTPHeader(name: "retry-after", value: "3"),
            HTTPHeader(name: "x-ratelimit-remaining-requests", value: "0"),
          ],
          body: #"{"error":{"message":"Rate limit reached for requests"}}"#.bytes)
      case "/hang/chat/completions":
        return .hang
      case "/cut/chat/completions":
        return .closeMidBody(status: 200, declaredLength: 500, sent: "data: {\"choices\":[".bytes)
      case "/big/chat/completions":
        return .respond(status: 200, body: [UInt8](repeating: 32, count: (1 << 20) + 10))
      default:
        return .respond(status: 500, body: "oops".bytes)
      }
    }
    let prober = prober()
    let auth = await prober.probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/auth"), check: chat())
    #expect(auth.result == .auth)
    #expect(auth.message == "HTTP 401: Invalid key [redacted]")
    let limited = await prober.probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/limited"), check: chat())
    #expect(limited.result == .rateLimited)
    #expect(limited.retryAfter == 3)
    #expect(limited.rateLimits == [RateLimitReading(resource: .requests, remaining: 0)])
    let hang = await prober.probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/hang"),
      check: chat(timeout: .milliseconds(200)))
    #expect(hang.result == .timeout)
    let cut = await prober.probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/cut"), check: chat(stream: true))
    #expect(cut.result == .streamError)
    let big = await prober.probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/big"), check: chat())
    #expect(big.result == .badResponse)
    let oops = await prober.probeOnce(
      provider: provider(.openai, baseURL: server.baseURL + "/x"), check: chat())
    #expect(oops.result == .serverError)
    #expect(oops.message == "HTTP 500: oops")
    server.stop()
  }

  @Test func networkFailureClasses() async {
    let refused = await prober().probeOnce(
      provider: provider(.openai, baseURL: "http://127.0.0.1:\(refusedPort())"), check: chat())
    #expect(refused.result == .connect)
    #expect(refused.httpStatus == nil)
    let dns = await prober().probeOnce(
      provider: provider(.anthropic, baseURL: "http://nonexistent.invalid"), check: chat())
    #expect(dns.result == .dns)
    let plain = TestHTTPServer(body: "plain")
    let tls = await prober().probeOnce(
      provider: provider(.openai, baseURL: "https://127.0.0.1:\(plain.port)"), check: chat())
    #expect(tls.result == .tls)
  }

  @Test func extraHeadersReplaceBuiltInOnes() {
    let p = provider(
      .openai,
      headers: [
        HeaderField(name: "authorization", value: Secret("Bearer custom-token")),
        HeaderField(name: "User-Agent", value: Secret("custom-agent")),
      ])
    let request = prober().request(provider: p, check: chat())
    let auth = request.headers.filter { $0.name.lowercased() == "authorization" }
    #expect(auth.map(\.value) == ["Bearer custom-token"])
    #expect(
      request.headers.filter { $0.name.lowercased() == "user-agent" }.map(\.value) == [
        "custom-agent"
      ])
    #expect(request.timeout == .seconds(2))
  }
}

/// Reasoning-model probes and model contract checks, through the real transport.
@Suite struct ReasoningAndContractProbeTests {
  let clock = ManualTimeSource()

  func prober() -> Prober {
    Prober(transport: sharedTransport, timeSource: clock, userAgent: "atalaya/test")
  }

  @Test func openAIReasoningProbeAsksForTheLowestEffort() async throws {
    let server = TestHTTPServer(body: ProberTests.openAIOK)
    var check = chat("gpt-5-nano", maxTokens: 64)
    check.reasoningEffort = "minimal"
    _ = await prober().probeOnce(provider: provider(.openai, baseURL: server.baseURL), check: check)
    let body = ProbeJSONInspector.topLevel(try #require(server.requests.first).bodyText) ?? [:]
    #expect(body["reasoning_effort"] == #""minimal""#)
    #expect(body["max_completion_tokens"] == "64")
    #expect(body["reasoning"] == nil)
  }

  @Test func openRouterReasoningProbeExcludesTheReasoningText() async throws {
    let server = TestHTTPServer(body: ProberTests.openAIOK)
    var check = chat("openai/o3", maxTokens: 256)
    check.reasoningEffort = "low"
    _ = await prober().probeOnce(
      provider: provider(.openrouter, baseURL: server.baseURL), check: check)
    let body = ProbeJSONInspector.topLevel(try #require(server.requests.first).bodyText) ?? [:]
    #expect(body["reasoning"] == #"{"effort":"low","exclude":true}"#)
    #expect(body["max_tokens"] == "256")
    #expect(body["reasoning_effort"] == nil)
  }

  @Test func aModelsCheckReportsExpectedModelsMissingFromTheList() async throws {
    let server = TestHTTPServer(
      body: #"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model"},{"id":"gpt-4o"}]}"#)
    var check = modelsCheck
    check.expectedModels = ["gpt-4o-mini", "gpt-4-32k"]
    let o = await prober().probeOnce(
      provider: provider(.openai, baseURL: server.baseURL), check: check)
    #expect(o.result == .success)
    #expect(o.missingModels == ["gpt-4-32k"])
  }

  @Test func ollamaTagsMatchWithoutTheLatestTag() async throws {
    let server = TestHTTPServer(
      body:
        #"{"models":[{"name":"llama3.1:latest","model":"llama3.1:latest"},{"name":"qwen3:8b"}]}"#)
    var check = modelsCheck
    check.expectedModels = ["llama3.1", "qwen3:8b", "qwen3"]
    let o = await prober().probeOnce(
      provider: provider(.ollama, baseURL: server.baseURL, key: nil), check: check)
    #expect(o.missingModels == ["qwen3"])
  }

  @Test func anthropicModelsCheckWithExpectationsReadsTheWholeList() async throws {
    let server = TestHTTPServer(body: #"{"data":[{"id":"claude-haiku-4-5","type":"model"}]}"#)
    var check = modelsCheck
    check.expectedModels = ["claude-haiku-4-5"]
    let o = await prober().probeOnce(
      provider: provider(.anthropic, baseURL: server.baseURL), check: check)
    #expect(o.missingModels == [])
    #expect(try #require(server.requests.first).path == "/v1/models?limit=1000")
  }
}
