import AtalayaCore
import Synchronization

/// The routes' memory behind one lock (``RouteBook``, pure): each evaluation reads the
/// health, cost and traffic read models it is given. Evaluated for the routes API, each
/// scrape and each rule evaluation.
public final class RouteStore: Sendable {
  private let state: Locked<RouteBook>

  public init(config: AtalayaConfig) { state = Locked(RouteBook(config: config)) }

  public func apply(_ config: AtalayaConfig) { state.withLock { $0.apply(config) } }

  /// Notes the requests the application reported (declared rate limits).
  public func record(_ events: [UsageEvent]) {
    guard !events.isEmpty else { return }
    state.withLock { book in
      for e in events { book.record(provider: e.provider, model: e.model, at: e.at) }
    }
  }

  /// Every route at `now`.
  public func evaluate(
    fleet: FleetView, traffic: [ModelKey: WindowStats], budgets: [CostView.Budget],
    silences: [Silence], at now: Timestamp
  ) -> (views: [RouteView], changes: [(route: String, from: CandidateView?, to: CandidateView?)]) {
    state.withLock {
      $0.evaluateAll(fleet: fleet, traffic: traffic, budgets: budgets, silences: silences, at: now)
    }
  }

  public var isEmpty: Bool { state.withLock { $0.routes.isEmpty } }
}
