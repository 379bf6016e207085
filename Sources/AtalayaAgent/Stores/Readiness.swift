import AtalayaCore
import Synchronization
import Systemd

/// When the agent is ready: the HTTP listener is bound *and* the scheduler is armed
/// with the configuration's checks. READY=1 goes to systemd once, when the second of
/// the two happens, never before (``ReadinessState`` decides; this class sends), and
/// `onReady` runs right after it.
public final class Readiness: Sendable {
  private let state = Locked(ReadinessState())
  private let notifier: SystemdNotifier
  private let statusLine: @Sendable () -> String
  private let onReady: @Sendable () -> Void

  public init(
    notifier: SystemdNotifier, statusLine: @escaping @Sendable () -> String,
    onReady: @escaping @Sendable () -> Void = {}
  ) {
    self.notifier = notifier
    self.statusLine = statusLine
    self.onReady = onReady
  }

  /// True once both the listener and the scheduler are up (GET /-/ready).
  public var isReady: Bool { state.withLock { $0.isReady } }

  /// The HTTP listener is bound.
  public func listening() { perform(state.withLock { $0.listening() }) }

  /// The scheduler holds the configuration's checks.
  public func schedulerArmed() { perform(state.withLock { $0.schedulerArmed() }) }

  private func perform(_ action: ReadinessState.Action) {
    switch action {
    case .none: break
    case .sendReady:
      notifier.ready(status: statusLine())
      onReady()
    }
  }
}

/// The readiness state machine: two conditions, one READY=1.
public struct ReadinessState: Sendable, Equatable {
  /// What to do after a transition.
  public enum Action: Sendable, Equatable {
    case none
    case sendReady
  }

  public private(set) var isListening = false
  public private(set) var isArmed = false
  public private(set) var readySent = false

  public init() {}

  public var isReady: Bool { isListening && isArmed }

  public mutating func listening() -> Action {
    isListening = true
    return next()
  }

  public mutating func schedulerArmed() -> Action {
    isArmed = true
    return next()
  }

  private mutating func next() -> Action {
    guard isReady, !readySent else { return .none }
    readySent = true
    return .sendReady
  }
}
