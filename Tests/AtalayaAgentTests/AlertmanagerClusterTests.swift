import AtalayaCore
import AtalayaTestSupport
import Foundation
import HTTPClient
import Testing

/// A fleet behind an HA Alertmanager: two real Alertmanagers clustered on loopback and two
/// agents probing the same failing provider, each agent pushing to both Alertmanagers. The
/// receiver behind the cluster gets the alert group once, and its resolve once.
@Suite("Two agents, a clustered Alertmanager", .timeLimit(.minutes(3)))
struct AlertmanagerClusterTests {
  /// How long the second member waits for the first's notification log before sending
  /// itself. 2 s let a loaded machine (a fresh CI runner, the suites running in parallel)
  /// deliver a duplicate: one agent's push reached the members seconds apart, or the gossip
  /// did. Alertmanager's own default is 15 s.
  static let peerTimeout = Duration.seconds(5)

  @Test func theClusterNotifiesOnceForTwoAgents() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let hooks = EventLog<JSONValue>()
    let sink = TestHTTPServer { request in
      if let body = JSONValue.parse(request.body) { hooks.append(body) }
      return .respond(status: 200)
    }
    defer { sink.stop() }
    let config = """
      route:
        receiver: sink
        group_by: [alertname]
        group_wait: 1s
        group_interval: 2s
        repeat_interval: 1h
      receivers:
        - name: sink
          webhook_configs:
            - url: \(sink.baseURL)/hook
              send_resolved: true

      """
    let (gossip1, gossip2) = (FreePort.find(), FreePort.find())
    let am1 = try await AlertmanagerProcess(
      directory: dir, name: "am1", config: config,
      cluster: .init(port: gossip1, peers: ["127.0.0.1:\(gossip2)"], peerTimeout: Self.peerTimeout))
    defer { am1.stop() }
    let am2 = try await AlertmanagerProcess(
      directory: dir, name: "am2", config: config,
      cluster: .init(port: gossip2, peers: ["127.0.0.1:\(gossip1)"], peerTimeout: Self.peerTimeout))
    defer { am2.stop() }
    try await Self.eventually("the two Alertmanagers see each other") {
      let (one, two) = (try await am1.clusterPeers(), try await am2.clusterPeers())
      return one == 2 && two == 2
    }

    let failing = Locked(true)
    let provider = TestHTTPServer { _ in
      failing.withLock { $0 }
        ? .respond(status: 500, body: Array(#"{"error":{"message":"boom"}}"#.utf8))
        : .respond(
          status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(RoutesEndToEndTests.ok.utf8))
    }
    defer { provider.stop() }
    // The same config on both agents: identical alerts carry identical labels (no instance
    // label), so the cluster sees one alert pushed four times.
    let yaml = """
      listen: 127.0.0.1:0
      defaults: {interval: 10s, timeout: 5s}
      providers:
        - name: shared
          base_url: \(provider.baseURL)/v1
          api_key: ${TEST_API_KEY}
          checks: [{model: m}]
      alerting:
        evaluation_interval: 10s
        resend_interval: 5m
        rules:
          - {alert: SharedProviderFailing, expr: consecutive_failures >= 1, severity: critical}
        receivers:
          - {name: am1, type: alertmanager, url: "\(am1.url)"}
          - {name: am2, type: alertmanager, url: "\(am2.url)"}

      """
    // Agent time runs 10 minutes behind the wall clock the Alertmanagers keep, so a resolve's
    // endsAt is in their past and a firing push's (now + 20 min) in their future.
    let origin = SystemTimeSource().now() - .seconds(600)
    let first = try await InProcessAgent(yaml: yaml, origin: origin)
    let second = try await InProcessAgent(yaml: yaml, origin: origin)
    try await first.running { a in
      try await second.running { b in
        await a.waitUntilReady()
        await b.waitUntilReady()
        func pushed(_ agent: InProcessAgent, _ count: Int) -> Bool {
          let m = agent.agent.deliverer.metrics.receivers
          return (m["am1"]?.sent ?? 0) >= count && (m["am2"]?.sent ?? 0) >= count
        }
        func round() async {
          for agent in [a, b] {
            let before = agent.evaluations.count
            await agent.advance(by: .seconds(10), afterSleepers: AgentInProcessTests.idleSleepers)
            _ = await agent.evaluations.wait(count: before + 1)
          }
        }

        // Both agents see the failure and push the firing alert to both Alertmanagers.
        while !(pushed(a, 1) && pushed(b, 1)) {
          await round()
          try await Self.eventually("pushes delivered", within: .seconds(5), orGiveUp: true) {
            pushed(a, 1) && pushed(b, 1)
          }
        }
        for am in [am1, am2] {
          try await Self.eventually("the alert active in \(am.url)") {
            try await am.alerts().contains { $0["labels"]?["alertname"] == "SharedProviderFailing" }
          }
        }
        let firing = await hooks.wait { $0.contains { $0["status"] == "firing" } }
        #expect(firing.first?["alerts"]?.arrayValue?.count == 1)
        #expect(firing.first?["alerts"]?[0]?["labels"]?["provider"] == "shared")
        #expect(firing.first?["alerts"]?[0]?["labels"]?["instance"] == nil)
        // The second member notifies only after its position's wait and only if the
        // notification log gossiped from the first does not show the group sent: past
        // that window, still one notification.
        try await Self.settled(am1, am2, notifications: 1)
        #expect(hooks.count == 1, "\(hooks.all)")

        // The provider recovers: both agents resolve, both Alertmanagers hear it; once.
        failing.withLock { $0 = false }
        func resolved(_ agent: InProcessAgent) -> Bool {
          agent.agent.deliverer.metrics.receivers.values.allSatisfy { $0.sent >= 2 }
        }
        while !(resolved(a) && resolved(b)) {
          await round()
          try await Self.eventually("resolves delivered", within: .seconds(5), orGiveUp: true) {
            resolved(a) && resolved(b)
          }
        }
        let all = await hooks.wait { $0.contains { $0["status"] == "resolved" } }
        #expect(all.last?["alerts"]?[0]?["status"] == "resolved")
        try await Self.settled(am1, am2, notifications: 2)
        #expect(hooks.count == 2, "\(hooks.all)")
        #expect(hooks.all.filter { $0["status"] == "firing" }.count == 1)
        #expect(hooks.all.filter { $0["status"] == "resolved" }.count == 1)
      }
    }
  }

  /// Waits out the window in which the second member would send a duplicate (its position
  /// × peer timeout plus a group interval and a margin), then checks that the two members'
  /// webhook notifications add up to `notifications`.
  static func settled(_ am1: AlertmanagerProcess, _ am2: AlertmanagerProcess, notifications: Int)
    async throws
  {
    let window = peerTimeout * 2 + .seconds(3)
    let deadline = ContinuousClock.now + window
    var total = 0.0
    while ContinuousClock.now < deadline {
      total =
        try await am1.counter("alertmanager_notifications_total", containing: "webhook")
        + am2.counter("alertmanager_notifications_total", containing: "webhook")
      #expect(total <= Double(notifications), "a duplicate notification was sent")
      if total > Double(notifications) { return }
      try await Task.sleep(for: .milliseconds(200))
    }
    #expect(total == Double(notifications))
  }

  /// Polls `condition` until it holds; throws (or returns, with `orGiveUp`) when `within`
  /// passes first.
  static func eventually(
    _ what: String, within limit: Duration = .seconds(20), orGiveUp: Bool = false,
    _ condition: () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if (try? await condition()) == true { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    if orGiveUp { return }
    throw AlertmanagerProcess.StartFailure(description: "\(what): not within \(limit)")
  }
}
