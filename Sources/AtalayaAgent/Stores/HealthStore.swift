import AtalayaCore
import HTTPClient
import Probing
import Synchronization

/// The fleet's health behind one lock: windows, breakers and provider status
/// (``FleetHealth``, pure) and each check's request, built once per configuration.
///
/// Written by the probe service (outcomes) and the reload service (configurations);
/// read by the presenters, the rule evaluation and persistence. Reads never mutate.
public final class HealthStore: Sendable {
  /// A check to probe now: its configuration and its prepared request.
  public struct ProbeTarget: Sendable {
    public var provider: ProviderConfig
    public var check: CheckConfig
    public var request: HTTPRequest?
  }

  /// What recording one outcome changed.
  public struct Recorded: Sendable {
    /// The circuit transition it caused, if any.
    public var transition: CircuitBreaker.Transition?
    /// The new STATUS= line when it changed (at most every 2 s, or at a transition).
    public var statusLine: String?
  }

  struct State {
    var fleet: FleetHealth
    var requests: [CheckID: HTTPRequest]
    var lastStatusLine = ""
    var lastStatusUpdate = Timestamp(seconds: 0)
  }

  private let state: Locked<State>
  private let prober: Prober

  public init(config: AtalayaConfig, prober: Prober) {
    self.prober = prober
    state = Locked(
      State(
        fleet: FleetHealth(config: config), requests: Self.requests(for: config, prober: prober)))
  }

  /// The configuration the store applies.
  public var config: AtalayaConfig { state.withLock { $0.fleet.config } }

  /// Takes a new configuration: unchanged checks keep their history.
  public func apply(_ config: AtalayaConfig) {
    let requests = Self.requests(for: config, prober: prober)
    state.withLock { s in
      s.fleet.apply(config)
      s.requests = requests
    }
  }

  /// The check to probe, nil when it is not configured or its circuit is open at `now`.
  public func target(_ id: CheckID, at now: Timestamp) -> ProbeTarget? {
    state.withLock { s in
      guard let entry = s.fleet.entry(id), s.fleet.allowsProbe(id, at: now) else { return nil }
      return ProbeTarget(provider: entry.provider, check: entry.check, request: s.requests[id])
    }
  }

  /// Whether the check's circuit is open at `now` (probes are held back).
  public func isCircuitOpen(_ id: CheckID, at now: Timestamp) -> Bool {
    state.withLock { $0.fleet.entry(id)?.health.breaker.state(at: now) == .open }
  }

  /// Records an outcome (ignored for a check no longer configured).
  @discardableResult
  public func record(_ outcome: ProbeOutcome, at now: Timestamp) -> Recorded {
    state.withLock { s in
      // Window stats are brought up to date when a view is built, not at every record:
      // a check probed every second is read by the status line every two.
      let transition = s.fleet.record(outcome)
      var line: String?
      if transition != nil || now.seconds - s.lastStatusUpdate.seconds >= 2 {
        s.fleet.cacheStats(at: now)
        let text = s.fleet.statusLine(at: now)
        s.lastStatusUpdate = now
        if text != s.lastStatusLine {
          s.lastStatusLine = text
          line = text
        }
      }
      return Recorded(transition: transition, statusLine: line)
    }
  }

  /// The read model at `now`.
  public func view(at now: Timestamp) -> FleetView {
    state.withLock { s in
      s.fleet.cacheStats(at: now)
      return s.fleet.view(at: now)
    }
  }

  /// Hands the fleet, its window stats brought up to `now`, to `body` under the lock, to be
  /// read in place (/metrics fills its rows with ``FleetHealth/walk(at:check:provider:)``
  /// instead of copying every check into a view). `body` must not block.
  func read<Result>(at now: Timestamp, _ body: (borrowing FleetHealth) -> Result) -> Result {
    state.withLock { s in
      s.fleet.cacheStats(at: now)
      return body(s.fleet)
    }
  }

  /// A copy of the fleet's state (tests and the demo).
  public var fleet: FleetHealth { state.withLock { $0.fleet } }

  /// The STATUS= line at `now`.
  public func statusLine(at now: Timestamp) -> String {
    read(at: now) { $0.statusLine(at: now) }
  }

  /// The persistent part (`state.json`).
  public func snapshot(at now: Timestamp) -> HealthSnapshot {
    state.withLock { $0.fleet.snapshot(at: now) }
  }

  /// Restores saved state for the configured checks; returns how many were restored.
  @discardableResult
  public func restore(_ snapshot: HealthSnapshot) -> Int {
    state.withLock { $0.fleet.restore(snapshot) }
  }

  static func requests(for config: AtalayaConfig, prober: Prober) -> [CheckID: HTTPRequest] {
    var requests: [CheckID: HTTPRequest] = [:]
    for (provider, check) in config.allChecks {
      requests[check.id(provider: provider.name)] =
        prober.request(provider: provider, check: check).prepared()
    }
    return requests
  }
}
