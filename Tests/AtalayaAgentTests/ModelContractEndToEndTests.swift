import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

/// A `kind: models` check with `expect:` through the whole agent: the missing model is
/// `atalaya_model_listed 0`, `model_unavailable` in the status API, and fires the default
/// LLMModelUnavailable rule.
@Suite("Model contract on a manual clock", .timeLimit(.minutes(1)))
struct ModelContractEndToEndTests {
  @Test func aMissingExpectedModelIsReportedEverywhere() async throws {
    let provider = TestHTTPServer(
      body: #"{"object":"list","data":[{"id":"gpt-4o-mini"},{"id":"gpt-4o"}]}"#)
    defer { provider.stop() }
    let yaml = """
      listen: 127.0.0.1:0
      defaults: {interval: 10s, timeout: 5s}
      providers:
        - name: openai
          base_url: \(provider.baseURL)/v1
          api_key: ${TEST_API_KEY}
          checks:
            - kind: models
              expect: [gpt-4o-mini, gpt-4-32k]
      alerting:
        evaluation_interval: 10s

      """
    let agent = try await InProcessAgent(yaml: yaml)
    try await agent.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let sleepers = AgentInProcessTests.idleSleepers
      await a.advance(by: .seconds(10), afterSleepers: sleepers)
      let first = await a.outcomes.wait(count: 1)[0]
      #expect(first.result == .success)
      #expect(first.missingModels == ["gpt-4-32k"])
      // The next evaluation sees the listing.
      let before = a.evaluations.count
      await a.advance(by: .seconds(10), afterSleepers: sleepers)
      _ = await a.evaluations.wait(count: before + 1)
      await a.clock.waitForSleepers(sleepers)

      let scrape = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      let metrics = scrape.text
      let promtool = try #require(Subprocess.which("promtool"), "promtool missing")
      let lint = try await Subprocess.run(promtool, ["check", "metrics"], stdin: scrape.body)
      #expect(lint.status == 0 && lint.output.isEmpty, "promtool: \(lint.output)")
      #expect(metrics.contains(#"atalaya_model_listed{provider="openai",model="gpt-4o-mini"} 1"#))
      #expect(metrics.contains(#"atalaya_model_listed{provider="openai",model="gpt-4-32k"} 0"#))
      let status = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status").text
      #expect(status.contains(#""status": "model_unavailable""#), "\(status)")
      #expect(status.contains(#""model": "gpt-4-32k""#))
      let alerts = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/alerts").text
      #expect(alerts.contains("LLMModelUnavailable"), "\(alerts)")
      #expect(alerts.contains("gpt-4-32k"))
      #expect(!alerts.contains(#""model": "gpt-4o-mini""#), "\(alerts)")
    }
  }
}
