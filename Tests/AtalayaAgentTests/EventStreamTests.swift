import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

/// The event hub: resumption from the ring, resets, type filters, back-pressure and the
/// subscriber limit.
@Suite struct EventHubTests {
  let now = Timestamp(seconds: 1_800_000_000)

  func frames(_ s: AsyncStream<[UInt8]>, _ n: Int) async -> [String] {
    var out: [String] = []
    for await f in s {
      let text = String(decoding: f, as: UTF8.self)
      if text == ": atalaya events\n\n" { continue }
      out.append(text)
      if out.count == n { break }
    }
    return out
  }

  @Test func resumesAfterTheLastEventAndResetsWhenTooOld() async {
    let hub = EventHub(firstID: 100, capacity: 4)
    for i in 0..<6 { hub.publish(.circuit, .members([("n", .number(Double(i)))]), at: now) }
    // Retained: ids 102...105. After 103: 104 and 105.
    guard case .stream(let resumed) = hub.subscribe(lastEventID: 103, types: nil, at: now) else {
      Issue.record("refused")
      return
    }
    let got = await frames(resumed, 2)
    #expect(got[0].hasPrefix("id: 104\nevent: circuit\ndata: {\"at\":"))
    #expect(got[1].hasPrefix("id: 105\n"))
    // After 100: 101 is gone, so a reset comes first, then everything kept.
    guard case .stream(let old) = hub.subscribe(lastEventID: 100, types: nil, at: now) else {
      Issue.record("refused")
      return
    }
    let again = await frames(old, 5)
    #expect(again[0].contains("event: reset"))
    #expect(again[1].hasPrefix("id: 102\n"))
    #expect(again[4].hasPrefix("id: 105\n"))
  }

  @Test func typesFilterAndLiveEventsFollow() async {
    let hub = EventHub(firstID: 1)
    guard case .stream(let s) = hub.subscribe(lastEventID: nil, types: [.providerDown], at: now)
    else {
      Issue.record("refused")
      return
    }
    hub.publish(.circuit, .members([]), at: now)
    hub.publish(.providerDown, .members([("provider", "p")]), at: now)
    hub.keepAlive()
    let got = await frames(s, 2)
    #expect(got[0].contains("event: provider_down") && got[0].contains(#""provider":"p""#))
    #expect(got[1] == ": keep-alive\n\n")
  }

  @Test func aSlowSubscriberIsDisconnectedAndTheLimitHolds() async {
    let hub = EventHub(firstID: 1, maxSubscribers: 2)
    guard case .stream(let slow) = hub.subscribe(lastEventID: nil, types: nil, at: now) else {
      Issue.record("refused")
      return
    }
    let second = hub.subscribe(lastEventID: nil, types: nil, at: now)
    defer { withExtendedLifetime(second) {} }
    guard case .full(let limit) = hub.subscribe(lastEventID: nil, types: nil, at: now) else {
      Issue.record("a third subscriber was accepted")
      return
    }
    #expect(limit == 2)
    // Nobody reads `slow`: past its slack it is dropped, not buffered without bound.
    for i in 0..<(EventHub.slack + 10) {
      hub.publish(.circuit, .members([("n", .number(Double(i)))]), at: now)
    }
    var count = 0
    for await _ in slow { count += 1 }
    #expect(count == EventHub.slack + 1)  // the first comment and the slack
    // The second did not read either: it went too.
    #expect(hub.subscriberCount == 0)
    guard case .stream = hub.subscribe(lastEventID: nil, types: nil, at: now) else {
      Issue.record("refused after the slow ones left")
      return
    }
    hub.finishAll()
    #expect(hub.subscriberCount == 0)
  }
}

/// The stream over real HTTP from the agent on a manual clock.
@Suite("Event stream on a manual clock", .timeLimit(.minutes(1)))
struct EventStreamEndToEndTests {
  @Test func aProviderGoingDownIsPushedAndResumable() async throws {
    let failing = Locked(false)
    let provider = TestHTTPServer { _ in
      failing.withLock { $0 }
        ? .respond(status: 500, body: Array(#"{"error":{"message":"boom"}}"#.utf8))
        : .respond(
          status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
          body: Array(RoutesEndToEndTests.ok.utf8))
    }
    defer { provider.stop() }
    let yaml = """
      listen: 127.0.0.1:0
      defaults: {interval: 10s, timeout: 5s}
      circuit_breaker: {failure_threshold: 1, reset_timeout: 1h, success_threshold: 1}
      events: {max_subscribers: 2}
      providers:
        - name: p
          base_url: \(provider.baseURL)/v1
          api_key: ${TEST_API_KEY}
          checks: [{model: m}]
      alerting:
        evaluation_interval: 10s
        rules:
          - {alert: Down, expr: provider_down == 1, severity: critical}

      """
    let agent = try await InProcessAgent(yaml: yaml)
    try await agent.running { a in
      await a.waitUntilReady()
      let port = await a.ports.wait(count: 1)[0]
      let sleepers = AgentInProcessTests.idleSleepers
      let stream = try StreamingConnection(port: port, path: "/api/v1/events")
      #expect(await stream.read(until: "text/event-stream"))
      failing.withLock { $0 = true }
      for _ in 0..<2 {
        let before = a.evaluations.count
        await a.advance(by: .seconds(10), afterSleepers: sleepers)
        _ = await a.evaluations.wait(count: before + 1)
      }
      #expect(await stream.read(until: "event: provider_down"), "\(stream.text)")
      #expect(await stream.read(until: "event: alert_firing"), "\(stream.text)")
      #expect(stream.text.contains("event: circuit"))
      #expect(stream.text.contains(#""to":"open""#))
      // Keep-alive every 15 s on the clock.
      await a.advance(by: .seconds(15), afterSleepers: sleepers)
      #expect(await stream.read(until: ": keep-alive"), "\(stream.text)")

      // A second client resumes after the first event it saw: the rest come again.
      let firstID = a.agent.events.recent.first!.id
      let resumed = try StreamingConnection(
        port: port, path: "/api/v1/events?types=provider_down,alert_firing",
        headers: [("Last-Event-ID", "\(firstID)")])
      #expect(await resumed.read(until: "event: alert_firing"), "\(resumed.text)")
      #expect(!resumed.text.contains("event: circuit"))
      // A third is one too many.
      let third = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/events")
      #expect(third.status == 503)
      let bad = try await TestHTTPClient.request(
        "GET", port: port, path: "/api/v1/events?types=nope")
      #expect(bad.status == 400)
    }
  }
}
