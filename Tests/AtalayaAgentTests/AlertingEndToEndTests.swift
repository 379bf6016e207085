import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real binary raises an alert, delivers it to a real loopback webhook,
/// is restarted in the middle of the incident (no second firing notification),
/// and delivers the resolve once the provider recovers.
@Suite("Alerting end to end (real binary)", .serialized, .timeLimit(.minutes(2)))
struct AlertingEndToEndTests {
  @Test func restartInTheMiddleOfAnIncident() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let hook = TestHTTPServer(body: "ok")
    defer { hook.stop() }
    let provider = SimulatedProvider(
      name: "bad", behavior: .fault(.serverError), apiKey: testAPIKey)
    try await withSimulator([provider]) { simulator, simPort in
      let port = FreePort.find()
      var config = TestConfig(listenPort: port, simulatorPort: simPort, providers: ["bad"])
      config.stateDir = dir.path + "/state"
      config.extra = """
        alerting:
          evaluation_interval: 100ms
          repeat_interval: 1h
          rules:
            - alert: ProviderDown
              expr: provider_down == 1
              severity: critical
              annotations: {summary: "{{ .provider }} is down"}
          receivers:
            - {name: hook, type: webhook, url: "\(hook.baseURL)/hook"}

        """
      let path = try dir.write("atalaya.yml", config.yaml)

      func payloads() -> [[String: Any]] {
        hook.requests.compactMap {
          try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]
        }
      }
      func count(_ status: String) -> Int {
        payloads().filter { $0["status"] as? String == status }.count
      }
      /// Waits for the webhook to receive `n` notifications of `status` (bounded by the
      /// suite's time limit).
      func received(_ n: Int, _ status: String) async -> Bool {
        await hook.received.wait { requests in
          requests.filter {
            JSONValue.parse($0.body)?["status"]?.stringValue == status
          }.count >= n
        }
        return true
      }

      // Incident: the provider's only circuit opens, the provider is down, the alert fires.
      let first = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { first.terminate() }
      #expect(await received(1, "firing"))
      let firing = try #require(payloads().first)
      #expect(firing["version"] as? String == "4")
      #expect(firing["receiver"] as? String == "hook")
      let alerts = try #require(firing["alerts"] as? [[String: Any]])
      let labels = try #require(alerts.first?["labels"] as? [String: String])
      #expect(labels["alertname"] == "ProviderDown")
      #expect(labels["provider"] == "bad")
      #expect(alerts.first?["endsAt"] as? String == "0001-01-01T00:00:00Z")
      #expect((alerts.first?["annotations"] as? [String: String])?["summary"] == "bad is down")

      let active = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/alerts")
      #expect(active.text.contains("\"ProviderDown\""))
      #expect(active.text.contains("\"firing\""))
      let metrics = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(
        sampleValue(metrics.text, #"atalaya_alerts{alertname="ProviderDown",state="firing"}"#) == 1)
      #expect(
        (sampleValue(metrics.text, #"atalaya_notifications_total{receiver="hook",result="sent"}"#)
          ?? 0) >= 1)

      first.send(SIGTERM)
      #expect(await first.wait(timeout: .seconds(6)) == 0)

      // Restart while still down: the firing alert was delivered, so it is not sent again.
      let second = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(), directory: dir.path)
      defer { second.terminate() }
      let ready = await poll(port: port, path: "/-/ready") { $0.status == 200 }
      try #require(ready != nil, "the restarted agent never became ready: \(second.stderr)")
      // Ten evaluations of the restarted agent while the provider is still down.
      let restored = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      let base = sampleValue(restored.text, "atalaya_rule_evaluations_total") ?? 0
      let evaluated = await poll(port: port, path: "/metrics") {
        (sampleValue($0.text, "atalaya_rule_evaluations_total") ?? 0) >= base + 10
      }
      try #require(evaluated != nil, "the restarted agent never evaluated ten times")
      #expect(count("firing") == 1, "firing notifications: \(count("firing"))")

      // Recovery: the circuit closes, the provider is up, the resolve is delivered once.
      simulator.setBehavior(.healthy(), for: "bad")
      #expect(await received(1, "resolved"))
      let resolved = try #require(payloads().last)
      let resolvedAlert = try #require((resolved["alerts"] as? [[String: Any]])?.first)
      #expect(resolvedAlert["status"] as? String == "resolved")
      #expect(resolvedAlert["endsAt"] as? String != "0001-01-01T00:00:00Z")
      // Five more evaluations after the resolve: nothing else is sent.
      let resolvedMetrics = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      let after = (sampleValue(resolvedMetrics.text, "atalaya_rule_evaluations_total") ?? 0) + 5
      _ = await poll(port: port, path: "/metrics") {
        (sampleValue($0.text, "atalaya_rule_evaluations_total") ?? 0) >= after
      }
      #expect(count("firing") == 1)
      #expect(count("resolved") == 1)
      second.send(SIGTERM)
      #expect(await second.wait(timeout: .seconds(6)) == 0)
      #expect(!second.stderr.contains(testAPIKey))
    }
  }
}
