import AtalayaCore
import AtalayaTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Systemd
import Testing

/// A switch the tests flip to simulate a stalled agent.
final class ProgressSwitch: Sendable {
  private let value = Locked(true)
  var isOn: Bool {
    get { value.withLock { $0 } }
    set { value.withLock { $0 = newValue } }
  }
}

extension NotifySocketTests {
  @Suite struct Watchdog {
    @Test func pingsEveryHalfIntervalOnlyWhileProgressing() async throws {
      let socket = try NotifySocket()
      try await withNotifySocketEnvironment(socket.address) {
        let clock = ManualClock()
        let progress = ProgressSwitch()
        let service = WatchdogService(
          notifier: notifierFromEnvironment(), interval: .seconds(10),
          isProgressing: { progress.isOn }, clock: clock)
        #expect(service.pingPeriod == .seconds(5))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        let running = Task { try await group.run() }

        // A ping goes out immediately, then the service sleeps half the interval.
        await clock.waitForSleepers(1)
        #expect(socket.drain() == ["WATCHDOG=1"])

        // Not yet half an interval: no ping.
        clock.advance(by: .seconds(4))
        await clock.waitForSleepers(1)
        #expect(socket.drain().isEmpty)

        // Each half interval: exactly one ping.
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(1)
        #expect(socket.drain() == ["WATCHDOG=1"])
        for _ in 0..<3 {
          clock.advance(by: .seconds(5))
          await clock.waitForSleepers(1)
          #expect(socket.drain() == ["WATCHDOG=1"])
        }

        // Stalled: the service keeps running but stops pinging.
        progress.isOn = false
        for _ in 0..<3 {
          clock.advance(by: .seconds(5))
          await clock.waitForSleepers(1)
          #expect(socket.drain().isEmpty)
        }

        // Progress again: pings resume.
        progress.isOn = true
        clock.advance(by: .seconds(5))
        await clock.waitForSleepers(1)
        #expect(socket.drain() == ["WATCHDOG=1"])

        // Graceful shutdown ends the service (and the group) without an error.
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(clock.sleeperCount == 0)
        #expect(socket.drain().isEmpty)
      }
    }

    @Test func cancellationEndsTheService() async throws {
      let socket = try NotifySocket()
      try await withNotifySocketEnvironment(socket.address) {
        let clock = ManualClock()
        let service = WatchdogService(
          notifier: notifierFromEnvironment(), interval: .seconds(2), isProgressing: { true },
          clock: clock)
        let running = Task { try await service.run() }
        await clock.waitForSleepers(1)
        running.cancel()
        try await running.value
        #expect(clock.sleeperCount == 0)
        #expect(socket.drain() == ["WATCHDOG=1"])
      }
    }

    @Test func realClockCadenceIsBounded() async throws {
      let socket = try NotifySocket()
      try await withNotifySocketEnvironment(socket.address) {
        // 100 ms interval: a ping at once, then every 50 ms.
        let service = WatchdogService(
          notifier: notifierFromEnvironment(), interval: .milliseconds(100), isProgressing: { true }
        )
        let running = Task { try await service.run() }
        try await Task.sleep(for: .milliseconds(320))
        running.cancel()
        try await running.value
        let pings = socket.drain()
        #expect(pings.allSatisfy { $0 == "WATCHDOG=1" })
        // Ideal is 7; scheduling delays only lower it, nothing can raise it past 8.
        #expect(pings.count >= 2 && pings.count <= 8, "got \(pings.count) pings")
      }
    }
  }
}
