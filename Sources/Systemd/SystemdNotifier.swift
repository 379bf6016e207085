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
  private let logger: Logger
  private let silenced: Bool

  /// Creates a notifier that logs failed sends to `logger` at debug level.
  public init(logger: Logger = Logger(label: "atalaya.systemd")) {
    self.logger = logger
    self.silenced = false
  }

  private init(silencedWith logger: Logger) {
    self.logger = logger
    self.silenced = true
  }

  /// A notifier that never sends, whatever `NOTIFY_SOCKET` says: for an agent that is not
  /// the process systemd started (one embedded in tests or benchmarks).
  public static var silent: SystemdNotifier {
    SystemdNotifier(silencedWith: Logger(label: "atalaya.systemd"))
  }

  /// True when `NOTIFY_SOCKET` is set, i.e. systemd listens for notifications (and the
  /// notifier is not ``silent``).
  public var isEnabled: Bool {
    guard !silenced, let value = getenv("NOTIFY_SOCKET") else { return false }
    return value.pointee != 0
  }

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
    guard isEnabled else { return }
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
