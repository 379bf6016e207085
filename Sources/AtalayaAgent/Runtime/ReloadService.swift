import AtalayaCore
import Logging
import Server
import ServiceLifecycle
import Storage
import Synchronization
import Systemd
import UnixSignals

/// Reloads the configuration on SIGHUP and on `POST /-/reload`, one reload at a time.
///
/// Every request joins one queue that this service works through in order, so two
/// reloads never interleave. A reload reads and validates the file once (off the
/// cooperative pool), then publishes one new ``ConfigGeneration`` that every store and
/// service applies before the next request is looked at. A bad config is applied
/// nowhere: the running generation stays, `atalaya_config_last_reload_successful` goes
/// to 0 and the errors are logged and returned.
public final class ReloadService: Service, Sendable {
  /// Reads and validates the configuration (the file, on every reload). Blocking: it is
  /// called on ``BlockingIO``.
  public typealias ConfigSource = @Sendable () throws(ConfigErrors) -> AtalayaConfig
  /// Applies a validated generation everywhere (the composition root's fan-out).
  typealias Apply = @Sendable (ConfigGeneration) async -> Void

  private struct Request: Sendable {
    var reply: CheckedContinuation<ReloadOutcome, Never>
  }

  private struct State {
    var successful = true
    var lastSuccess: Timestamp
    var generation: UInt64
  }

  private let source: ConfigSource
  private let apply: Apply
  private let current: CurrentConfig
  private let io: BlockingIO
  private let time: any TimeSource
  private let notifier: SystemdNotifier
  private let statusLine: @Sendable () -> String
  private let trapsSIGHUP: Bool
  private let logger: Logger
  private let state: Locked<State>
  private let requests: AsyncStream<Request>
  private let queue: AsyncStream<Request>.Continuation
  private let stopping = Locked(false)
  private let onQueued: (@Sendable () -> Void)?

  init(
    source: @escaping ConfigSource, apply: @escaping Apply, current: CurrentConfig,
    io: BlockingIO, time: any TimeSource, notifier: SystemdNotifier,
    statusLine: @escaping @Sendable () -> String, trapsSIGHUP: Bool,
    onQueued: (@Sendable () -> Void)? = nil, logger: Logger
  ) {
    self.onQueued = onQueued
    self.source = source
    self.apply = apply
    self.current = current
    self.io = io
    self.time = time
    self.notifier = notifier
    self.statusLine = statusLine
    self.trapsSIGHUP = trapsSIGHUP
    self.logger = logger
    state = Locked(State(lastSuccess: time.now(), generation: current.generation.number))
    (requests, queue) = AsyncStream.makeStream()
  }

  /// Asks for a reload and waits for its outcome (requests are served in order).
  public func reload() async -> ReloadOutcome {
    await withCheckedContinuation { reply in
      if case .terminated = queue.yield(Request(reply: reply)) {
        reply.resume(
          returning: ReloadOutcome(success: false, message: "the agent is shutting down"))
      } else {
        onQueued?()
      }
    }
  }

  /// Whether the last reload succeeded, and when one last did (for /metrics).
  var gauges: ReloadState {
    state.withLock { ReloadState(successful: $0.successful, lastSuccess: $0.lastSuccess) }
  }

  public func run() async throws {
    let queue = self.queue
    let requests = self.requests
    await withDiscardingTaskGroup { group in
      if trapsSIGHUP {
        group.addTask {
          let signals = await UnixSignalsSequence(trapping: .sighup)
          for await _ in signals {
            _ = await self.reload()
          }
        }
      }
      await withTaskCancellationHandler {
        await withGracefulShutdownHandler {
          for await request in requests {
            if self.stopping.withLock({ $0 }) {
              request.reply.resume(
                returning: ReloadOutcome(success: false, message: "the agent is shutting down"))
            } else {
              request.reply.resume(returning: await self.perform())
            }
          }
        } onGracefulShutdown: {
          self.stopping.withLock { $0 = true }
          queue.finish()
        }
      } onCancel: {
        self.stopping.withLock { $0 = true }
        queue.finish()
      }
      group.cancelAll()
    }
  }

  /// One reload: load and validate once, then apply everywhere (or, on error, nowhere).
  private func perform() async -> ReloadOutcome {
    notifier.reloading()
    defer { notifier.ready(status: statusLine()) }
    let source = self.source
    let loaded: Result<AtalayaConfig, ConfigErrors> = await io.run {
      do throws(ConfigErrors) { return .success(try source()) } catch { return .failure(error) }
    }
    let newConfig: AtalayaConfig
    switch loaded {
    case .failure(let error):
      state.withLock { $0.successful = false }
      logger.error("reload failed; keeping the running configuration\n\(error.description)")
      return ReloadOutcome(
        success: false, message: "reload failed; keeping the running configuration\n\(error)")
    case .success(let config):
      newConfig = config
    }
    let old = current.config
    var applied = newConfig
    if newConfig.listen != old.listen {
      logger.warning(
        "listen address changes take effect at restart", metadata: ["listen": "\(old.listen)"])
      applied.listen = old.listen
    }
    let number = state.withLock { s -> UInt64 in
      s.generation += 1
      return s.generation
    }
    await apply(ConfigGeneration(number: number, config: applied))
    state.withLock { s in
      s.successful = true
      s.lastSuccess = time.now()
    }
    let checks = newConfig.allChecks.count
    logger.info(
      "configuration reloaded",
      metadata: [
        "providers": "\(newConfig.providers.count)", "checks": "\(checks)",
        "generation": "\(number)",
      ])
    return ReloadOutcome(
      success: true,
      message: "configuration reloaded: \(newConfig.providers.count) providers, \(checks) checks")
  }
}

/// The reload gauges' state.
struct ReloadState {
  var successful: Bool
  var lastSuccess: Timestamp
}
