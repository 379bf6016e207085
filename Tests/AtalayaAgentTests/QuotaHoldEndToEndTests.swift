import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

/// A spent quota through the whole agent on a manual clock: the provider's 429 names the
/// date access returns; no probe goes out before it, the status API and /metrics say why
/// and when, and the first probe after the date closes the circuit.
@Suite("Spent quota on a manual clock", .timeLimit(.minutes(1)))
struct QuotaHoldEndToEndTests {
  /// "2027-01-15 at 14:00 UTC": 6 hours after the manual clock's origin (08:00 UTC).
  static let reset = Timestamp(seconds: 1_800_000_000 + 6 * 3600)
  static let spent = """
    {"type":"error","error":{"type":"rate_limit_error","message":"You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2027-01-15 at 14:00 UTC.","details":{"error_code":"enforced_spend_limit_reached"}}}
    """
  static let ok =
    #"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":9,"output_tokens":1}}"#

  @Test func aSpentQuotaIsNotProbedBeforeItsResetDate() async throws {
    let probes = Locked(0)
    let provider = TestHTTPServer { _ in
      let n = probes.withLock { n -> Int in
        n += 1
        return n
      }
      return n == 1
        ? .respond(
          status: 429, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(Self.spent.utf8))
        : .respond(
          status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(Self.ok.utf8))
    }
    defer { provider.stop() }
    let yaml = """
      listen: 127.0.0.1:0
      defaults: {interval: 10m, timeout: 5s}
      providers:
        - name: claude
          type: anthropic
          base_url: \(provider.baseURL)
          api_key: ${TEST_API_KEY}
          checks:
            - {model: claude-haiku-4-5}
      alerting:
        rules: []

      """
    let agent = try await InProcessAgent(yaml: yaml)
    try await agent.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let sleepers = AgentInProcessTests.idleSleepers
      // The check's first slot lies within its first interval (a stable phase offset).
      await a.advance(by: .seconds(600), afterSleepers: sleepers)
      let first = await a.outcomes.wait(count: 1)[0]
      #expect(first.result == .quotaExhausted)
      #expect(first.resumeAt == Self.reset)
      await a.clock.waitForSleepers(sleepers)

      let status = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status")
      #expect(status.text.contains(#""circuit_reason": "quota_exhausted""#), "\(status.text)")
      #expect(
        status.text.contains(#""next_probe_at": "2027-01-15T14:00:00.000Z""#), "\(status.text)")
      let metrics = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(
        metrics.text.contains(
          #"atalaya_circuit_open_reason{provider="claude",model="claude-haiku-4-5",reason="quota_exhausted"} 1"#
        ))
      #expect(
        metrics.text.contains(
          #"atalaya_circuit_next_probe_timestamp_seconds{provider="claude",model="claude-haiku-4-5"} 1800021600"#
        ), "\(metrics.text)")
      let promtool = try #require(Subprocess.which("promtool"), "promtool missing")
      let lint = try await Subprocess.run(promtool, ["check", "metrics"], stdin: metrics.body)
      #expect(lint.status == 0 && lint.output.isEmpty, "promtool: \(lint.output)")

      // Every slot before 14:00 passes without a probe (reset_timeout is 60 s).
      var slots = 0
      while a.time.now() + .seconds(600) < Self.reset {
        await a.advance(by: .seconds(600), afterSleepers: sleepers)
        slots += 1
      }
      await a.advance(by: Self.reset - a.time.now() - .seconds(1), afterSleepers: sleepers)
      await a.clock.waitForSleepers(sleepers)
      #expect(slots >= 34)
      #expect(probes.withLock { $0 } == 1)
      #expect(a.outcomes.count == 1)

      // The first slot after 14:00 probes again; two trial successes close the circuit.
      await a.advance(by: .seconds(600), afterSleepers: sleepers)
      #expect(await a.outcomes.wait(count: 2)[1].result == .success)
      await a.advance(by: .seconds(600), afterSleepers: sleepers)
      #expect(await a.outcomes.wait(count: 3)[2].result == .success)
      await a.clock.waitForSleepers(sleepers)
      let after = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status")
      #expect(after.text.contains(#""circuit_state": "closed""#), "\(after.text)")
    }
  }
}
