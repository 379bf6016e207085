import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

/// The routes API through the whole agent on a manual clock: probes and reported traffic
/// decide the choice; no usable candidate answers 503 and pages LLMRouteExhausted.
@Suite("Routes on a manual clock", .timeLimit(.minutes(1)))
struct RoutesEndToEndTests {
  static let ok =
    #"{"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#

  /// Whether the /api/v1/alerts answer `text` lists `alertname` as firing.
  static func firing(_ alertname: String, in text: String) -> Bool {
    (JSONValue.parse(Array(text.utf8))?["alerts"]?.arrayValue ?? []).contains {
      $0["alertname"]?.stringValue == alertname && $0["state"]?.stringValue == "firing"
    }
  }

  @Test func theRouteFallsBackAndRunsOut() async throws {
    let failing = Locked(Set<String>())
    let server = TestHTTPServer { request in
      let name = String(request.path.dropFirst().prefix { $0 != "/" })
      return failing.withLock { $0.contains(name) }
        ? .respond(status: 500, body: Array(#"{"error":{"message":"boom"}}"#.utf8))
        : .respond(
          status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(Self.ok.utf8))
    }
    defer { server.stop() }
    let yaml = """
      listen: 127.0.0.1:0
      defaults: {interval: 10s, timeout: 5s}
      circuit_breaker: {failure_threshold: 1, reset_timeout: 1h, success_threshold: 1}
      providers:
        - name: primary
          base_url: \(server.baseURL)/primary/v1
          api_key: ${TEST_API_KEY}
          checks: [{model: m}]
        - name: backup
          base_url: \(server.baseURL)/backup/v1
          api_key: ${TEST_API_KEY}
          checks: [{model: m}]
      routes:
        - name: chat
          candidates:
            - primary/m
            - {provider: backup, model: m, rate_limit_requests: 2, rate_limit_window: 1m}
            - backup/app-only
      alerting:
        evaluation_interval: 10s
        rules: []

      """
    let agent = try await InProcessAgent(yaml: yaml)
    try await agent.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let sleepers = AgentInProcessTests.idleSleepers
      func route() async throws -> (Int, JSONValue) {
        let r = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/routes/chat")
        return (r.status, try #require(JSONValue.parse(r.body), "\(r.text)"))
      }
      func round() async {
        let before = a.evaluations.count
        await a.advance(by: .seconds(10), afterSleepers: sleepers)
        _ = await a.evaluations.wait(count: before + 1)
        await a.clock.waitForSleepers(sleepers)
      }
      // No data yet: the first candidate.
      var (status, body) = try await route()
      #expect(status == 200)
      #expect(body["choice"]?["provider"]?.stringValue == "primary")

      // primary fails: its circuit opens; backup is chosen.
      failing.withLock { $0 = ["primary"] }
      await round()
      (status, body) = try await route()
      #expect(status == 200)
      #expect(body["choice"]?["provider"]?.stringValue == "backup")
      #expect(body["candidates"]?[0]?["reason"]?.stringValue == "circuit_open")
      #expect(body["candidates"]?[0]?["retry_after_seconds"]?.doubleValue ?? 0 > 3000)

      // The application reports two calls to backup: its declared limit (2 per minute) is
      // reached, so the app-only series comes next.
      let usage = """
        {"provider":"backup","model":"m","input_tokens":5,"output_tokens":1,"status":"ok"}
        {"provider":"backup","model":"m","input_tokens":5,"output_tokens":1,"status":"ok"}
        """
      let posted = try await TestHTTPClient.request(
        "POST", port: port, path: "/api/v1/usage",
        headers: [("Content-Type", "application/x-ndjson")], body: usage)
      #expect(posted.status == 200, "\(posted.text)")
      (status, body) = try await route()
      #expect(body["candidates"]?[1]?["reason"]?.stringValue == "rate_limited")
      #expect(body["candidates"]?[1]?["retry_after_seconds"]?.doubleValue == 60)
      #expect(body["choice"]?["model"]?.stringValue == "app-only")

      // The provider goes down: nothing is usable → 503, and the rule pages after 1 m.
      // (Rounds until it fires: a probe that lands after its tick's evaluation moves the
      // start of the minute by one round.)
      failing.withLock { $0 = ["primary", "backup"] }
      var alerts = ""
      for _ in 0..<12 {
        await round()
        alerts = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/alerts").text
        if Self.firing("LLMRouteExhausted", in: alerts) { break }
      }
      #expect(Self.firing("LLMRouteExhausted", in: alerts), "\(alerts)")
      (status, body) = try await route()
      #expect(status == 503, "\(body)")
      #expect(body["choice"] == .null)
      #expect(body["usable_candidates"]?.doubleValue == 0)
      let scrape = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(scrape.text.contains(#"atalaya_route_usable_candidates{route="chat"} 0"#))
      #expect(
        scrape.text.contains(
          #"atalaya_route_candidate_usable{route="chat",provider="primary",model="m"} 0"#))
      let promtool = try #require(Subprocess.which("promtool"), "promtool missing")
      let lint = try await Subprocess.run(promtool, ["check", "metrics"], stdin: scrape.body)
      #expect(lint.status == 0 && lint.output.isEmpty, "promtool: \(lint.output)")
      let unknown = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/routes/nope")
      #expect(unknown.status == 404)
      let all = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/routes")
      #expect(all.status == 200)
    }
  }
}
