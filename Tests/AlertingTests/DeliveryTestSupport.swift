import Alerting
import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Storage
import Synchronization

/// A thread-safe list the tests append to from server threads and closures.
final class Recorder<Element: Sendable>: Sendable {
  private let items = Locked<[Element]>([])

  func append(_ item: Element) { items.withLock { $0.append(item) } }
  var all: [Element] { items.withLock { $0 } }
  var count: Int { items.withLock { $0.count } }
}

struct DriveTimeout: Error, CustomStringConvertible {
  var description: String
}

/// Moves the manual clock one `step` at a time whenever the code under test
/// sleeps on it, and otherwise gives real I/O (loopback HTTP) a moment, until
/// `done` holds. Throws after `timeout` of real time.
func drive(
  _ clock: ManualClock, step: Duration = .seconds(1), timeout: Duration = .seconds(30),
  until done: () -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while !done() {
    guard ContinuousClock.now < deadline else {
      throw DriveTimeout(description: "condition not reached within \(timeout)")
    }
    if clock.sleepers > 0 {
      clock.advance(by: step)
    } else {
      try await Task.sleep(for: .milliseconds(1))
    }
  }
}

/// The `provider` label of the first alert in a webhook request body.
func provider(ofWebhookBody body: [UInt8]) -> String? {
  JSONValue.parse(body)?["alerts"]?[0]?["labels"]?["provider"]?.stringValue
}

/// A deliverer on `clock`; with `stateDir`, its outbox is restored from and written to
/// `stateDir/outbox.json` as the agent does.
func makeDeliverer(
  _ receivers: [ReceiverConfig], clock: ManualClock, stateDir: String? = nil,
  files: any StateFileSystem = DiskStateFileSystem(),
  console: @escaping Deliverer<ManualClock>.ConsoleWriter = { _ in }
) async -> Deliverer<ManualClock> {
  let store = StateStore(directory: stateDir, files: files, logger: quietLogger)
  let time = ManualClockTimeSource(clock: clock, origin: t0)
  let outbox = await store.load(.outbox, now: time.now()) ?? Outbox()
  return Deliverer(
    receivers: receivers, outbox: outbox, store: store, transport: sharedTransport, clock: clock,
    timeSource: time, random: { 0.5 }, console: console, logger: quietLogger)
}

func webhook(_ url: String, name: String = "hook", maxAge: Duration = .seconds(86_400))
  -> ReceiverConfig
{
  ReceiverConfig(
    name: name, kind: .webhook, url: Secret(url), bearerToken: Secret("tok-0123456789abcdef"),
    timeout: .seconds(10), maxAge: maxAge)
}
