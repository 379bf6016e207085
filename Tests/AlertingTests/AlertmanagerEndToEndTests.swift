import Alerting
import AtalayaCore
import AtalayaTestSupport
import Foundation
import Testing

@Suite struct AlertmanagerEndToEndTests {
  @Test func pushedAlertsAreActiveInAlertmanagerAndResolveGoesThrough() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let am = try await AlertmanagerProcess(directory: dir)
    defer { am.process.terminate() }

    let clock = ManualClock()
    let now = SystemTimeSource().now()
    let deliverer = Deliverer(
      receivers: [ReceiverConfig(name: "am", kind: .alertmanager, url: Secret(am.url + "/"))],
      store: nil, transport: sharedTransport, clock: clock, timeSource: SystemTimeSource(),
      random: { 0.5 }, logger: quietLogger)
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }

    func alert(_ provider: String, status: AlertStatus, endsAt: Timestamp) -> Alert {
      Alert(
        labels: [
          "alertname": "AtalayaE2E", "severity": "critical", "provider": provider, "model": "m-1",
        ],
        annotations: ["summary": "\(provider) error rate high"], status: status,
        startsAt: now - .seconds(60), endsAt: endsAt, value: 0.3, fingerprint: provider,
        generatorURL: "http://127.0.0.1:9464/api/v1/alerts")
    }
    let firingEnds = now + .seconds(240)
    await deliverer.enqueue([
      AlertNotification(
        id: "fire", receiver: "am", groupLabels: ["alertname": "AtalayaE2E"],
        alerts: [
          alert("openai", status: .firing, endsAt: firingEnds),
          alert("ollama", status: .firing, endsAt: firingEnds),
        ], createdAt: now)
    ])
    try await drive(clock) { deliverer.metrics.receivers["am"]?.sent == 1 }

    let active = try await am.alerts().filter { $0["labels"]?["alertname"] == "AtalayaE2E" }
    #expect(active.count == 2)
    #expect(
      Set(active.compactMap { $0["labels"]?["provider"]?.stringValue }) == ["openai", "ollama"])
    for item in active {
      #expect(item["status"]?["state"] == "active")
      #expect(item["labels"]?["severity"] == "critical")
      #expect(item["labels"]?["model"] == "m-1")
      #expect(item["annotations"]?["summary"]?.stringValue?.hasSuffix("error rate high") == true)
      #expect(item["receivers"]?[0]?["name"] == "null")
      #expect(item["generatorURL"] == "http://127.0.0.1:9464/api/v1/alerts")
    }

    // amtool sees them too.
    let query = try await Subprocess.run(
      "amtool",
      ["alert", "query", "--alertmanager.url=\(am.url)", "-o", "json", "alertname=AtalayaE2E"])
    #expect(query.status == 0, "\(query.output)")
    #expect(JSONValue.parse(query.stdout)?.arrayValue?.count == 2, "\(query.stdout)")

    // Resolve one (endsAt = now): Alertmanager stops listing it as active.
    let resolvedAt = SystemTimeSource().now()
    await deliverer.enqueue([
      AlertNotification(
        id: "resolve", receiver: "am", groupLabels: ["alertname": "AtalayaE2E"],
        alerts: [alert("ollama", status: .resolved, endsAt: resolvedAt)], createdAt: resolvedAt)
    ])
    try await drive(clock) { deliverer.metrics.receivers["am"]?.sent == 2 }
    let after = try await am.alerts().filter { $0["labels"]?["alertname"] == "AtalayaE2E" }
    #expect(after.compactMap { $0["labels"]?["provider"]?.stringValue } == ["openai"])
    #expect(deliverer.metrics.receivers["am"]?.failed == 0)
  }
}
