#if canImport(Glibc)
  import Glibc
#endif

extension SystemdNotifier {
  /// The watchdog interval systemd expects pings within, or nil when the watchdog is off.
  ///
  /// Reads `WATCHDOG_USEC` (a positive integer of microseconds). When `WATCHDOG_PID` is
  /// present it must equal `pid`: otherwise the variables were meant for another process
  /// (e.g. inherited from a parent) and the watchdog is off for this one.
  /// Ping at half this interval.
  public static func watchdogInterval(
    environment: [String: String],
    pid: Int32 = getpid()
  ) -> Duration? {
    guard let usecText = environment["WATCHDOG_USEC"], let usec = UInt64(usecText), usec > 0 else {
      return nil
    }
    if let pidText = environment["WATCHDOG_PID"] {
      guard let watchdogPID = Int32(pidText), watchdogPID == pid else { return nil }
    }
    guard usec <= UInt64(Int64.max) else { return nil }
    return .microseconds(Int64(usec))
  }
}
