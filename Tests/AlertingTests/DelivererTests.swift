import Alerting
import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

@Suite struct DelivererTests {
  @Test func failuresAreRetriedWithBackoffAndEverythingArrivesOnceInOrder() async throws {
    let clock = ManualClock()
    let seen = Recorder<Double>()
    let server = TestHTTPServer { _ in
      seen.append(clock.now.offset.seconds)
      switch seen.count {
      case 1, 2: return .respond(status: 503)
      case 3: return .respond(status: 429, headers: [HTTPHeader(name: "Retry-After", value: "10")])
      default: return .respond(status: 200)
      }
    }
    defer { server.stop() }
    let deliverer = await makeDeliverer([webhook(server.baseURL + "/alerts")], clock: clock)
    await deliverer.enqueue([
      notification("n1", alerts: [firingAlert(provider: "p1")]),
      notification("n2", alerts: [firingAlert(provider: "p2")]),
      notification("n3", alerts: [firingAlert(provider: "p3")]),
    ])
    #expect(deliverer.queueLength == 3)
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }

    let requests = server.requests
    #expect(
      requests.map { provider(ofWebhookBody: $0.body) } == ["p1", "p1", "p1", "p1", "p2", "p3"])
    // 503 → 1 s, 503 → 2 s, 429 with Retry-After: 10 → 10 s (more than the 4 s backoff).
    #expect(seen.all == [0, 1, 3, 13, 13, 13])
    #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/alerts" })
    #expect(requests.allSatisfy { $0.header("authorization") == "Bearer tok-0123456789abcdef" })
    #expect(requests.allSatisfy { $0.header("content-type") == "application/json" })
    #expect(JSONValue.parse(requests[4].body)?["version"] == "4")

    let metrics = try #require(deliverer.metrics.receivers["hook"])
    #expect(metrics.sent == 3)
    #expect(metrics.failed == 3)
    #expect(metrics.dropped == 0)
    #expect(metrics.queueLength == 0)
    #expect(metrics.latency.count == 3)
    #expect(metrics.latency.sum == 39)
    #expect(
      metrics.latency.cumulativeCounts[DeliveryLatencyHistogram.upperBounds.firstIndex(of: 10)!]
        == 0)
    #expect(
      metrics.latency.cumulativeCounts[DeliveryLatencyHistogram.upperBounds.firstIndex(of: 30)!]
        == 3)
  }

  @Test func permanentClientErrorDropsThatNotificationAndMovesOn() async throws {
    let clock = ManualClock()
    let server = TestHTTPServer { request in
      provider(ofWebhookBody: request.body) == "bad" ? .respond(status: 404) : .respond(status: 200)
    }
    defer { server.stop() }
    let deliverer = await makeDeliverer([webhook(server.baseURL + "/secret-path")], clock: clock)
    await deliverer.enqueue([
      notification("bad", alerts: [firingAlert(provider: "bad")]),
      notification("good", alerts: [firingAlert(provider: "good")]),
    ])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    #expect(server.requests.map { provider(ofWebhookBody: $0.body) } == ["bad", "good"])
    let metrics = try #require(deliverer.metrics.receivers["hook"])
    #expect((metrics.sent, metrics.failed, metrics.dropped) == (1, 1, 1))
  }

  /// Issue 15, finding 9: a 2xx with a body over the 64 KiB read cap was counted as a
  /// failure and the notification sent again until `max_age`.
  @Test func twoHundredWithAHugeBodyIsDeliveredOnce() async throws {
    let clock = ManualClock()
    let server = TestHTTPServer { _ in
      .respond(status: 200, body: [UInt8](repeating: UInt8(ascii: "x"), count: 200 << 10))
    }
    defer { server.stop() }
    let deliverer = await makeDeliverer([webhook(server.baseURL + "/alerts")], clock: clock)
    await deliverer.enqueue([notification("n1", alerts: [firingAlert(provider: "p1")])])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    #expect(server.requests.count == 1)
    let metrics = try #require(deliverer.metrics.receivers["hook"])
    #expect((metrics.sent, metrics.failed, metrics.dropped) == (1, 0, 0))
  }

  @Test func notificationOlderThanMaxAgeIsDroppedAndCounted() async throws {
    let clock = ManualClock()
    let server = TestHTTPServer(status: 503, body: "down")
    defer { server.stop() }
    let deliverer = await makeDeliverer(
      [webhook(server.baseURL, maxAge: .seconds(10))], clock: clock)
    await deliverer.enqueue([notification("old")])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    // Attempts at 0, 1, 3 and 7 s; at 10 s it is max_age old.
    #expect(server.requests.count == 4)
    #expect(clock.now.offset == .seconds(10))
    let metrics = try #require(deliverer.metrics.receivers["hook"])
    #expect((metrics.sent, metrics.failed, metrics.dropped) == (0, 4, 1))
  }

  @Test func receiversDoNotWaitForEachOther() async throws {
    let clock = ManualClock()
    let down = TestHTTPServer(status: 503, body: "")
    let up = TestHTTPServer(status: 200, body: "")
    defer {
      down.stop()
      up.stop()
    }
    let deliverer = await makeDeliverer(
      [webhook(down.baseURL, name: "down"), webhook(up.baseURL, name: "up")], clock: clock)
    await deliverer.enqueue([
      notification("a", receiver: "down"), notification("b", receiver: "up"),
      notification("c", receiver: "up"),
    ])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.metrics.receivers["up"]?.sent == 2 }
    #expect(up.requests.count == 2)
    #expect(deliverer.metrics.receivers["down"]?.queueLength == 1)
    #expect(deliverer.owed.map(\.id) == ["a"])
  }

  @Test func consoleReceiverPrintsOneLinePerAlert() async throws {
    let clock = ManualClock()
    let lines = Recorder<String>()
    let deliverer = await makeDeliverer(
      [ReceiverConfig(name: "console", kind: .console)], clock: clock, console: { lines.append($0) }
    )
    await deliverer.enqueue([
      notification("c1", receiver: "console", alerts: [firingAlert(), firingAlert(provider: "x")])
    ])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    #expect(lines.count == 2)
    #expect(lines.all.first?.hasPrefix("[FIRING] LLMHighErrorRate provider=openai") == true)
    #expect(deliverer.metrics.receivers["console"]?.sent == 1)
  }

  @Test func unknownAndRemovedReceiversDropWhatTheyAreOwed() async {
    let clock = ManualClock()
    let deliverer = await makeDeliverer([webhook("http://127.0.0.1:9/")], clock: clock)
    await deliverer.enqueue([
      notification("x", receiver: "nope"), notification("y"), notification("y"),
    ])
    #expect(deliverer.owed.map(\.id) == ["y"])
    #expect(deliverer.metrics.receivers["nope"]?.dropped == 1)
    await deliverer.apply(receivers: [])
    #expect(deliverer.queueLength == 0)
    #expect(deliverer.metrics.receivers["hook"]?.dropped == 1)
  }
}
