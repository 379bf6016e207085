import Logging
import ServiceLifecycle

/// Pings the systemd watchdog (`WATCHDOG=1`) every half interval, but only while the
/// progress check says work is alive. A stalled agent stops pinging, so systemd's
/// `WatchdogSec=` kills and restarts it. Returns on graceful shutdown or cancellation.
public struct WatchdogService: Service {
  private let notifier: SystemdNotifier
  private let interval: Duration
  private let isProgressing: @Sendable () -> Bool
  private let clock: any Clock<Duration>
  private let logger: Logger

  /// - Parameters:
  ///   - notifier: Where pings go.
  ///   - interval: The watchdog interval (``SystemdNotifier/watchdogInterval(environment:pid:)``);
  ///     pings are sent every `interval / 2`.
  ///   - isProgressing: Asked before each ping; `false` skips the ping.
  ///   - clock: The clock to sleep on.
  ///   - logger: Receives the "stalled" warning and the "resumed" notice.
  public init(
    notifier: SystemdNotifier,
    interval: Duration,
    isProgressing: @escaping @Sendable () -> Bool,
    clock: some Clock<Duration> = ContinuousClock(),
    logger: Logger = Logger(label: "atalaya.watchdog")
  ) {
    precondition(interval > .zero, "watchdog interval must be positive")
    self.notifier = notifier
    self.interval = interval
    self.isProgressing = isProgressing
    self.clock = clock
    self.logger = logger
  }

  /// The time between two pings: half the watchdog interval.
  public var pingPeriod: Duration { interval / 2 }

  public func run() async throws {
    let notifier = notifier
    let isProgressing = isProgressing
    let clock = clock
    let logger = logger
    let period = pingPeriod
    await cancelWhenGracefulShutdown {
      var stalled = false
      while !Task.isCancelled {
        if isProgressing() {
          if stalled {
            logger.notice("work is progressing again; resuming watchdog pings")
            stalled = false
          }
          notifier.watchdogPing()
        } else if !stalled {
          logger.warning("no progress; skipping watchdog pings so systemd can restart the agent")
          stalled = true
        }
        do {
          try await clock.sleep(for: period)
        } catch {
          return
        }
      }
    }
  }
}
