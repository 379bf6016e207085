import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import Testing

/// A maintenance window on a manual clock: the provider fails inside it, its alert fires
/// but is muted, its incident and the status page say "maintenance"; when the window
/// ends the alert is sent.
@Suite struct MaintenanceEndToEndTests {
  @Test func aFailureDuringMaintenanceIsMutedThenSentWhenTheWindowEnds() async throws {
    let provider = TestHTTPServer(status: 500, body: #"{"error":{"message":"boom"}}"#)
    let hook = TestHTTPServer(body: "ok")
    defer {
      provider.stop()
      hook.stop()
    }
    // The clock starts at 2027-01-15T08:00:00Z: the window runs 08:00–08:30 UTC.
    let yaml =
      AgentInProcessTests.yaml(provider: provider.baseURL, hook: hook.baseURL)
        + """
          maintenance:
            - {name: db-upgrade, start: "08:00", end: "08:30", matchers: ['provider="p"'], comment: planned}

        """
    let a = try await InProcessAgent(yaml: yaml)
    let client = SilencesAPITests.router(a)
    try await a.running { a in
      await a.waitUntilReady()
      for _ in 0..<3 {
        #expect(await a.evaluationRound() == .evaluated(queued: 0))
      }
      let alert = try #require(
        JSONValue.parse(try await client.execute(uri: "/api/v1/alerts").text)?["alerts"]?[0])
      #expect(alert["state"]?.stringValue == "firing")
      #expect(alert["silenced_by"] == .array([.string("maintenance:db-upgrade")]))
      let incidents = try #require(
        JSONValue.parse(try await client.execute(uri: "/api/v1/incidents").text)?["incidents"]?
          .arrayValue)
      #expect(incidents.first?["maintenance"] == .array([.string("db-upgrade")]))
      let status = JSONValue.parse(try await client.execute(uri: "/api/v1/status").text)
      #expect(status?["providers"]?[0]?["maintenance"] == .array([.string("db-upgrade")]))
      #expect(status?["maintenance"]?[0]?["in_progress"] == .bool(true))
      #expect(status?["maintenance"]?[0]?["ends_at"]?.stringValue == "2027-01-15T08:30:00.000Z")
      let page = try await client.execute(uri: "/status").text
      #expect(page.contains(#"data-maintenance="db-upgrade""#))
      #expect(page.contains("during maintenance (db-upgrade)"))
      #expect(page.contains("In progress until 2027-01-15T08:30:00Z"))
      #expect(hook.requests.isEmpty)

      // 08:30: the window is over and the still-firing alert goes out.
      var sent = false
      for _ in 0..<200 where !sent {
        if case .evaluated(let queued) = await a.evaluationRound(), queued > 0 { sent = true }
      }
      #expect(sent)
      #expect(a.time.now() >= Timestamp(seconds: 1_800_001_800))
      await hook.received.wait(count: 1)
      let after = JSONValue.parse(try await client.execute(uri: "/api/v1/status").text)
      #expect(after?["maintenance"]?[0]?["in_progress"] == .bool(false))
      #expect(after?["maintenance"]?[0]?["starts_at"]?.stringValue == "2027-01-16T08:00:00.000Z")
    }
    #expect(hook.requests.count == 1)
  }
}
