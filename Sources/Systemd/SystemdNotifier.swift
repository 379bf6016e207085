import CSystemd
import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// Sends state notifications to systemd through `sd_notify(3)`.
///
/// libsystemd reads `NOTIFY_SOCKET` itself (including abstract `@` sockets), so this
/// type only decides *whether* to send and *what*. Every call is a no-op when the
/// process was not started with `NOTIFY_SOCKET` (e.g. `Type=simple` or a terminal),
/// and a failed send (socket gone) is logged at debug level, never fatal.
public struct SystemdNotifier: Sendable {
  /// Where notifications go instead of systemd (tests).
  public typealias Sink = @Sendable (String) -> Void

  private let logger: Logger
  private let enabled: Bool
  private let sink: Sink?

  /// A notifier for a process whose environment is `environment` (read once, here):
  /// enabled when `NOTIFY_SOCKET` is set and not empty. Failed sends are logged at debug.
  public init(environment: [String: String], logger: Logger = Logger(label: "atalaya.systemd")) {
    self.logger = logger
    self.enabled = !(environment["NOTIFY_SOCKET"] ?? "").isEmpty
    self.sink = nil
  }

  private init(logger: Logger, enabled: Bool, sink: Sink?) {
    self.logger = logger
    self.enabled = enabled
    self.sink = sink
  }

  /// A notifier that never sends, whatever `NOTIFY_SOCKET` says: for an agent that is not
  /// the process systemd started (one embedded in tests or benchmarks).
  public static var silent: SystemdNotifier {
    SystemdNotifier(logger: Logger(label: "atalaya.systemd"), enabled: false, sink: nil)
  }

  /// A notifier that hands every notification to `sink` instead of systemd (tests).
  public static func recording(_ sink: @escaping Sink) -> SystemdNotifier {
    SystemdNotifier(logger: Logger(label: "atalaya.systemd"), enabled: true, sink: sink)
  }

  /// True when systemd listens for notifications (`NOTIFY_SOCKET` was set at start),
  /// or a recording sink does.
  public var isEnabled: Bool { enabled }

  /// Tells systemd start-up is finished (`READY=1`), with an optional `STATUS=` line.
  public func ready(status: String? = nil) {
    if let status {
      notify("READY=1\nSTATUS=\(Self.singleLine(status))")
    } else {
      notify("READY=1")
    }
  }

  /// Tells systemd a configuration reload started (`Type=notify-reload` protocol):
  /// `RELOADING=1` plus `MONOTONIC_USEC=` with the current CLOCK_MONOTONIC time.
  /// Call ``ready(status:)`` when the reload is done.
  public func reloading() {
    notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
  }

  /// Tells systemd the service is shutting down (`STOPPING=1`).
  public func stopping() {
    notify("STOPPING=1")
  }

  /// Updates the free-form status line shown by `systemctl status` (`STATUS=`).
  public func status(_ text: String) {
    notify("STATUS=\(Self.singleLine(text))")
  }

  /// Keeps the service watchdog alive (`WATCHDOG=1`).
  public func watchdogPing() {
    notify("WATCHDOG=1")
  }

  /// Sends `raw` as-is: newline-separated `KEY=VALUE` assignments.
  public func notify(_ raw: String) {
    guard enabled else { return }
    if let sink {
      sink(raw)
      return
    }
    let rc = sd_notify(0, raw)
    if rc < 0 {
      logger.debug(
        "sd_notify failed",
        metadata: ["errno": "\(-rc)", "error": "\(String(cString: strerror(-rc)))"]
      )
    }
  }

  /// The current CLOCK_MONOTONIC time in microseconds, as `MONOTONIC_USEC=` wants it.
  static func monotonicMicroseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
  }

  /// A notification field value must not contain a newline: it would start a new assignment.
  private static func singleLine(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
      return text
    }
    return String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
  }
}
