import AtalayaTestSupport
import Glibc
import Systemd
import Testing

/// Every test that sets `NOTIFY_SOCKET` lives in this suite, which runs one test at a time.
@Suite(.serialized) enum NotifySocketTests {}

extension NotifySocketTests {
  @Suite struct Notifier {
    @Test func readyWithStatusSendsBothAssignments() async throws {
      let socket = try NotifySocket()
      await withNotifySocketEnvironment(socket.address) {
        let notifier = notifierFromEnvironment()
        #expect(notifier.isEnabled)
        notifier.ready(status: "probing 3 checks")
        #expect(await socket.receive() == "READY=1\nSTATUS=probing 3 checks")
        notifier.ready()
        #expect(await socket.receive() == "READY=1")
      }
    }

    @Test func silentNotifierNeverSends() async throws {
      let socket = try NotifySocket()
      await withNotifySocketEnvironment(socket.address) {
        let silent = SystemdNotifier.silent
        #expect(!silent.isEnabled)
        silent.ready(status: "embedded")
        silent.status("embedded")
        #expect(await socket.receive(timeout: .milliseconds(100)) == nil)
      }
    }

    @Test func statusStopsAndPingsAreExact() async throws {
      let socket = try NotifySocket()
      await withNotifySocketEnvironment(socket.address) {
        let notifier = notifierFromEnvironment()
        notifier.status("2 of 3 providers up")
        notifier.status("two\nlines")
        notifier.stopping()
        notifier.watchdogPing()
        notifier.notify("EXTEND_TIMEOUT_USEC=5000000")
        #expect(await socket.receive() == "STATUS=2 of 3 providers up")
        #expect(await socket.receive() == "STATUS=two lines")
        #expect(await socket.receive() == "STOPPING=1")
        #expect(await socket.receive() == "WATCHDOG=1")
        #expect(await socket.receive() == "EXTEND_TIMEOUT_USEC=5000000")
        #expect(socket.drain().isEmpty)
      }
    }

    @Test func reloadingCarriesTheMonotonicTime() async throws {
      let socket = try NotifySocket()
      try await withNotifySocketEnvironment(socket.address) {
        let before = monotonicMicroseconds()
        notifierFromEnvironment().reloading()
        let after = monotonicMicroseconds()
        let message = try #require(await socket.receive())
        let lines = message.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last?.split(separator: "=", maxSplits: 1))
        #expect(stamp.first == "MONOTONIC_USEC")
        let usec = try #require(UInt64(String(stamp.last ?? "")))
        #expect(usec >= before && usec <= after)
      }
    }

    @Test func abstractSocketReceivesNotifications() async throws {
      let socket = try NotifySocket(abstract: true)
      #expect(socket.address.hasPrefix("@"))
      await withNotifySocketEnvironment(socket.address) {
        notifierFromEnvironment().ready(status: "abstract")
        #expect(await socket.receive() == "READY=1\nSTATUS=abstract")
      }
    }

    @Test func everythingIsANoOpWithoutNotifySocket() async throws {
      let socket = try NotifySocket()
      await withNotifySocketEnvironment(nil) {
        let notifier = notifierFromEnvironment()
        #expect(!notifier.isEnabled)
        notifier.ready(status: "x")
        notifier.reloading()
        notifier.stopping()
        notifier.status("x")
        notifier.watchdogPing()
        notifier.notify("READY=1")
      }
      // Pointing at the socket now proves it works, so the silence above is meaningful.
      await withNotifySocketEnvironment(socket.address) { notifierFromEnvironment().stopping() }
      #expect(await socket.receive(timeout: .milliseconds(200)) == "STOPPING=1")
      #expect(socket.drain().isEmpty)
    }

    @Test func aVanishedSocketDoesNotCrash() async throws {
      var address = ""
      do {
        let socket = try NotifySocket()
        address = socket.address
      }  // closed and unlinked here
      await withNotifySocketEnvironment(address) {
        let notifier = notifierFromEnvironment()
        #expect(notifier.isEnabled)
        notifier.ready(status: "nobody listens")
        notifier.watchdogPing()
      }
      await withNotifySocketEnvironment("@atalaya-test-nobody-\(getpid())") {
        notifierFromEnvironment().stopping()
      }
    }
  }
}

@Suite struct WatchdogIntervalTests {
  let pid = getpid()

  @Test func absentOrInvalidMeansNoWatchdog() {
    #expect(SystemdNotifier.watchdogInterval(environment: [:]) == nil)
    #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"]) == nil)
    #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "abc"]) == nil)
    #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "-5"]) == nil)
  }

  @Test func usecWithoutPIDIsTheInterval() {
    #expect(
      SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"]) == .seconds(30))
    #expect(
      SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "1500"])
        == .microseconds(1500))
  }

  @Test func pidMustBeOurs() {
    let ours = ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "\(pid)"]
    #expect(SystemdNotifier.watchdogInterval(environment: ours) == .seconds(20))
    let other = ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "\(pid + 1)"]
    #expect(SystemdNotifier.watchdogInterval(environment: other) == nil)
    let garbage = ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "x"]
    #expect(SystemdNotifier.watchdogInterval(environment: garbage) == nil)
    #expect(
      SystemdNotifier.watchdogInterval(
        environment: ["WATCHDOG_USEC": "7", "WATCHDOG_PID": "4"], pid: 4) != nil)
  }
}

/// A notifier for the environment as the test set it (the agent reads it once, at start).
func notifierFromEnvironment() -> SystemdNotifier {
  SystemdNotifier(
    environment: getenv("NOTIFY_SOCKET").map { ["NOTIFY_SOCKET": String(cString: $0)] } ?? [:])
}
