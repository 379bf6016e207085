import Alerting
import AtalayaCore
import AtalayaTestSupport
import Foundation
import Storage
import Testing

@Suite struct OutboxTests {
  @Test func roundTripsThroughItsFileFormat() throws {
    var outbox = Outbox()
    var odd = firingAlert(value: .infinity)
    odd.endsAt = t0 + .seconds(240)
    odd.annotations["description"] = "quotes \" and\nnewlines ✓"
    outbox.enqueue(notification("a", alerts: [odd, resolved(firingAlert(), at: t0)]), now: t0)
    outbox.enqueue(notification("b", receiver: "slack"), now: t0 + .seconds(1))
    var head = try #require(outbox.head(of: "hook"))
    head.attempts = 2
    head.lastError = "HTTP 503"
    head.nextAttemptAt = t0 + .seconds(3.5)
    outbox.update(head)
    outbox.enqueue(notification("c"), now: t0)
    outbox.finish("c")
    let decoded = try Outbox.decode(outbox.encode())
    #expect(decoded == outbox)
    #expect(decoded.entries.first?.notification.alerts.first?.value == .infinity)
    #expect(decoded.finishedIDs == ["c"])
  }

  @Test func deduplicatesByIDIncludingFinishedOnes() {
    var outbox = Outbox()
    var added = outbox.enqueue(notification("a"), now: t0)
    #expect(added)
    added = outbox.enqueue(notification("a"), now: t0)
    #expect(!added)
    outbox.finish("a")
    added = outbox.enqueue(notification("a"), now: t0)
    #expect(!added)
    #expect(outbox.entries.isEmpty)
    for i in 0..<(Outbox.rememberedIDs + 5) {
      outbox.enqueue(notification("n\(i)"), now: t0)
      outbox.finish("n\(i)")
    }
    #expect(outbox.finishedIDs.count == Outbox.rememberedIDs)
    added = outbox.enqueue(notification("a"), now: t0)
    #expect(added)
  }

  @Test func headIsTheOldestEntryOfEachReceiver() {
    var outbox = Outbox()
    outbox.enqueue(notification("1", receiver: "x"), now: t0)
    outbox.enqueue(notification("2", receiver: "y"), now: t0)
    outbox.enqueue(notification("3", receiver: "x"), now: t0)
    #expect(outbox.head(of: "x")?.id == "1")
    #expect(outbox.head(of: "y")?.id == "2")
    #expect(outbox.count(of: "x") == 2)
    #expect(outbox.receivers == ["x", "y"])
    outbox.finish("1")
    #expect(outbox.head(of: "x")?.id == "3")
  }

  @Test func badFilesAreRejectedWithAReason() {
    func reason(_ text: String) -> String? {
      do {
        _ = try Outbox.decode(Array(text.utf8))
        return nil
      } catch { return "\(error)" }
    }
    #expect(reason("") == "not valid JSON")
    #expect(reason("{\"a\":") == "not valid JSON")
    #expect(reason("[]")?.contains("format") == true)
    #expect(
      reason(#"{"format":"atalaya-outbox","version":2,"entries":[]}"#)?.contains("version") == true)
    #expect(
      reason(#"{"format":"atalaya-outbox","version":1,"entries":[{"attempts":1}]}"#)
        == "entries[0]: notification is missing")
    #expect(
      reason(
        #"{"format":"atalaya-outbox","version":1,"entries":[{"notification":{"id":"x"},"attempts":0,"nextAttemptAt":1,"firstQueuedAt":1}]}"#
      ) == "entries[0]: alerts is not an array")
    #expect(reason(#"{"format":"atalaya-outbox","version":1,"entries":[]}"#) == nil)
  }
}

@Suite struct OutboxRestartTests {
  @Test func notificationsOwedAtShutdownAreSentOnceAfterRestart() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let stateDir = dir.path + "/state"
    let file = StateFile(path: stateDir + "/outbox.json")

    // First life: the receiver is down; shut down while two notifications are owed.
    let clock = ManualClock()
    let down = TestHTTPServer(status: 503, body: "")
    defer { down.stop() }
    let first = await makeDeliverer([webhook(down.baseURL)], clock: clock, stateDir: stateDir)
    await first.enqueue([
      notification("n1", alerts: [firingAlert(provider: "p1")]),
      notification("n2", alerts: [resolved(firingAlert(provider: "p1"), at: t0 + .seconds(30))]),
    ])
    let runner = Task { await first.run() }
    try await drive(clock) { down.requests.count == 1 && clock.sleepers == 1 }
    runner.cancel()
    await runner.value

    let saved = try Outbox.decode(try #require(try file.read()))
    #expect(saved.entries.map(\.id) == ["n1", "n2"])
    #expect(saved.entries.first?.attempts == 1)
    #expect(saved.entries.first?.lastError == "HTTP 503")

    // Second life: the receiver is back; what is owed goes out once, in order.
    let clock2 = ManualClock()
    let up = TestHTTPServer(status: 200, body: "")
    defer { up.stop() }
    let second = await makeDeliverer([webhook(up.baseURL)], clock: clock2, stateDir: stateDir)
    #expect(second.owed.map(\.id) == ["n1", "n2"])
    await second.enqueue([notification("n1", alerts: [firingAlert(provider: "p1")])])
    #expect(second.queueLength == 2)
    let runner2 = Task { await second.run() }
    try await drive(clock2) { second.queueLength == 0 }
    runner2.cancel()
    await runner2.value
    #expect(up.requests.count == 2)
    #expect(
      up.requests.map { JSONValue.parse($0.body)?["status"]?.stringValue } == [
        "firing", "resolved",
      ])

    // Third life: nothing is owed and a replay of a delivered id is ignored.
    let third = await makeDeliverer([webhook(up.baseURL)], clock: ManualClock(), stateDir: stateDir)
    #expect(third.queueLength == 0)
    await third.enqueue([notification("n2")])
    #expect(third.queueLength == 0)
  }

  @Test func corruptOutboxIsSetAsideAndDeliveryStartsFresh() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = try dir.write("outbox.json", "{ not json")
    let deliverer = await makeDeliverer(
      [webhook("http://127.0.0.1:9/")], clock: ManualClock(), stateDir: dir.path)
    #expect(deliverer.queueLength == 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(names.contains { $0.hasPrefix("outbox.json.corrupt-") })
    await deliverer.enqueue([notification("fresh")])
    #expect(try Outbox.decode(try #require(try StateFile(path: path).read())).entries.count == 1)
  }
}
