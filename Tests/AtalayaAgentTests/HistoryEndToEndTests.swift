import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

/// Uptime, incidents and SLOs through the whole agent on a manual clock, across a restart.
@Suite("History on a manual clock", .timeLimit(.minutes(1)))
struct HistoryEndToEndTests {
  static func yaml(provider: String, stateDir: String) -> String {
    """
    listen: 127.0.0.1:0
    state_dir: \(stateDir)
    window: 20s
    defaults: {interval: 10s, timeout: 5s}
    circuit_breaker: {failure_threshold: 1, reset_timeout: 10s, success_threshold: 1}
    incidents: {close_after: 30s}
    slos:
      - {name: chat, target: 99%, period: 30d}
    providers:
      - name: p
        base_url: \(provider)/v1
        api_key: ${TEST_API_KEY}
        checks:
          - {model: m, slow: 5s}
    alerting:
      evaluation_interval: 10s
      rules: []

    """
  }

  static let ok =
    #"{"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#

  func json(_ port: Int, _ path: String) async throws -> JSONValue {
    let r = try await TestHTTPClient.request("GET", port: port, path: path)
    return try #require(JSONValue.parse(r.body), "\(path): \(r.status) \(r.text)")
  }

  @Test func anIncidentOpensSurvivesARestartAndResolves() async throws {
    let dir = try TemporaryDirectory()
    let failing = Locked(true)
    let provider = TestHTTPServer { _ in
      failing.withLock { $0 }
        ? .respond(status: 500, body: Array(#"{"error":{"message":"upstream exploded"}}"#.utf8))
        : .respond(
          status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(Self.ok.utf8))
    }
    defer { provider.stop() }
    let yaml = Self.yaml(provider: provider.baseURL, stateDir: dir.path)
    let sleepers = AgentInProcessTests.idleSleepers

    // Run 1: the provider fails; its incident opens.
    let first = try await InProcessAgent(yaml: yaml)
    let incidentID = try await first.running { a -> String in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      for _ in 0..<3 {
        let before = a.evaluations.count
        await a.advance(by: .seconds(10), afterSleepers: sleepers)
        _ = await a.evaluations.wait(count: before + 1)
      }
      await a.clock.waitForSleepers(sleepers)
      let list = try await json(port, "/api/v1/incidents?days=30&status=open")
      let incident = try #require(list["incidents"]?[0])
      #expect(incident["provider"]?.stringValue == "p")
      #expect(incident["impact"]?.stringValue == "down")
      #expect(incident["cause"]?.stringValue == "server_error")
      #expect(incident["first_error"]?.stringValue == "HTTP 500: upstream exploded")
      #expect(incident["checks"]?[0]?.stringValue == "m")
      let metrics = try await TestHTTPClient.request("GET", port: port, path: "/metrics").text
      #expect(metrics.contains(#"atalaya_incident_open{provider="p"} 1"#))
      #expect(metrics.contains(#"atalaya_incidents_total{provider="p",impact="down"} 1"#))
      #expect(metrics.contains(#"atalaya_uptime_ratio{provider="p",model="m",range="1h"} 0"#))
      #expect(metrics.contains(#"atalaya_slo_burn_rate{slo="chat",window="5m"} 100"#), "\(metrics)")
      #expect(metrics.contains(#"atalaya_slo_target_ratio{slo="chat"} 0.99"#))
      let promtool = try #require(Subprocess.which("promtool"), "promtool missing")
      let lint = try await Subprocess.run(
        promtool, ["check", "metrics"], stdin: Array(metrics.utf8))
      #expect(lint.status == 0 && lint.output.isEmpty, "promtool: \(lint.output)")
      let status = try await json(port, "/api/v1/status")
      #expect(status["providers"]?[0]?["uptime_1h"]?.doubleValue == 0)
      #expect(status["providers"]?[0]?["open_incident"]?.stringValue != nil)
      #expect(status["slos"]?[0]?["burn_rates"]?["5m"]?.doubleValue == 100)
      return try #require(incident["id"]?.stringValue)
    }

    // Run 2, a minute later: the incident is still open; the provider recovers and it
    // resolves once healthy for 30 s. The minute the agent was down is no data.
    failing.withLock { $0 = false }
    let second = try await InProcessAgent(
      yaml: yaml, origin: Timestamp(seconds: 1_800_000_000 + 90))
    try await second.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let open = try await json(port, "/api/v1/incidents/\(incidentID)")
      #expect(open["status"]?.stringValue == "open")
      for _ in 0..<8 {
        let before = a.evaluations.count
        await a.advance(by: .seconds(10), afterSleepers: sleepers)
        _ = await a.evaluations.wait(count: before + 1)
      }
      await a.clock.waitForSleepers(sleepers)
      let resolved = try await json(port, "/api/v1/incidents/\(incidentID)")
      #expect(resolved["status"]?.stringValue == "resolved", "\(resolved)")
      #expect((resolved["duration_seconds"]?.doubleValue ?? 0) >= 80)
      let history = try await json(port, "/api/v1/history?provider=p&model=m&range=24h")
      let buckets = try #require(history["buckets"]?.arrayValue)
      #expect(buckets.count == 1440)
      let counted = buckets.reduce(0.0) { $0 + ($1["counted"]?.doubleValue ?? 0) }
      let succeeded = buckets.reduce(0.0) { $0 + ($1["succeeded"]?.doubleValue ?? 0) }
      #expect(counted >= 6 && succeeded >= 3 && succeeded < counted, "\(counted) \(succeeded)")
      let bad = try await TestHTTPClient.request(
        "GET", port: port, path: "/api/v1/history?provider=p&range=1y")
      #expect(bad.status == 400)
      #expect(bad.text.contains("expected one of: 24h, 7d, 30d, 90d"))
      let missing = try await TestHTTPClient.request(
        "GET", port: port, path: "/api/v1/incidents/nope")
      #expect(missing.status == 404)
    }
  }
}
