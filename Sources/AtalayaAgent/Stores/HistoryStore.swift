import AtalayaCore
import Synchronization

/// The fleet's history behind one lock (``FleetHistory``, pure): uptime buckets per
/// check, the incident log and the SLOs. Written by the probe run (outcomes), the rule
/// evaluation (provider status, firing alerts) and the reload; read by the presenters and
/// persistence.
public final class HistoryStore: Sendable {
  private let state: Locked<FleetHistory>

  public init(config: AtalayaConfig) {
    state = Locked(FleetHistory(config: config))
  }

  /// Takes a new configuration: unchanged checks keep their history.
  public func apply(_ config: AtalayaConfig, at now: Timestamp) {
    state.withLock { $0.apply(config, at: now) }
  }

  /// Records one probe outcome.
  public func record(_ outcome: ProbeOutcome) {
    state.withLock { $0.record(outcome) }
  }

  /// Counts a slot skipped by an open circuit as a failure.
  public func recordHeld(_ id: CheckID, at t: Timestamp) {
    state.withLock { $0.recordHeld(id, at: t) }
  }

  /// Feeds the providers' status to the incident log; returns what opened or resolved.
  public func observe(_ view: FleetView) -> [IncidentLog.Event] {
    state.withLock { $0.observe(view) }
  }

  /// Notes the maintenance windows in force, per provider, on their open incidents.
  public func recordMaintenance(_ windows: [String: [String]]) {
    guard !windows.isEmpty else { return }
    state.withLock { $0.recordMaintenance(windows) }
  }

  /// Notes alerts firing now (for the open incidents of their providers).
  public func recordFiring(_ alerts: [(alertname: String, provider: String)]) {
    guard !alerts.isEmpty else { return }
    state.withLock { $0.recordFiring(alerts) }
  }

  /// Reads the history under the lock.
  public func read<T>(_ body: (borrowing FleetHistory) -> T) -> T {
    state.withLock { body($0) }
  }

  /// A copy (tests).
  public var fleet: FleetHistory { state.withLock { $0 } }

  /// The persistent part (`history.json`).
  public func snapshot(at now: Timestamp) -> HistorySnapshot {
    state.withLock { $0.snapshot(at: now) }
  }

  public func restore(_ snapshot: HistorySnapshot) {
    state.withLock { $0.restore(snapshot) }
  }
}
