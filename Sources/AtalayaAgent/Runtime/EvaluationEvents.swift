import AtalayaCore
import Synchronization

/// What the previous evaluation saw, to publish changes as events: provider status, firing
/// alerts and crossed budget thresholds. Changes are computed under the lock and
/// published outside it.
final class EvaluationEvents: Sendable {
  private struct Seen {
    var status: [String: ProviderStatus] = [:]
    var firing: [String: ActiveAlert] = [:]
    var crossed: Set<String> = []
  }

  private let seen = Locked(Seen())
  let hub: EventHub

  init(hub: EventHub) { self.hub = hub }

  /// Publishes what changed since the last call.
  func publish(
    fleet: FleetView, active: [ActiveAlert], budgets: [CostView.Budget], at now: Timestamp
  ) {
    var out: [(AgentEventType, JSONValue)] = []
    seen.withLock { s in
      for p in fleet.providers {
        let before = s.status[p.name] ?? .healthy
        s.status[p.name] = p.status
        guard before != p.status else { continue }
        let type: AgentEventType =
          switch p.status {
          case .down: .providerDown
          case .degraded: .providerDegraded
          case .healthy: .providerRecovered
          }
        out.append(
          (
            type,
            .members([
              ("provider", .string(p.name)), ("from", .string(before.rawValue)),
              ("to", .string(p.status.rawValue)),
            ])
          ))
      }
      var firing: [String: ActiveAlert] = [:]
      for a in active where a.state == .firing { firing[a.fingerprint] = a }
      for (fp, a) in firing where s.firing[fp] == nil {
        out.append((.alertFiring, Self.alert(a)))
      }
      for (fp, a) in s.firing where firing[fp] == nil {
        out.append((.alertResolved, Self.alert(a)))
      }
      s.firing = firing
      var crossed = Set<String>()
      for b in budgets {
        for t in b.crossedWarnAt {
          let key = "\(b.config.name)|\(t)"
          crossed.insert(key)
          if !s.crossed.contains(key) {
            out.append(
              (
                .budgetThreshold,
                .members([
                  ("budget", .string(b.config.name)), ("threshold", .number(t)),
                  ("spent_usd", .number(b.spent)), ("limit_usd", .number(b.config.limitUSD)),
                ])
              ))
          }
        }
      }
      s.crossed = crossed
    }
    for (type, data) in out { hub.publish(type, data, at: now) }
  }

  static func alert(_ a: ActiveAlert) -> JSONValue {
    .members([
      ("alertname", .string(a.alertname)),
      ("labels", .members(a.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
      ("value", .number(a.value.isFinite ? a.value : nil)),
      ("fingerprint", .string(a.fingerprint)),
    ])
  }

  func routeChoice(route: String, from: CandidateView?, to: CandidateView?, at now: Timestamp) {
    func name(_ c: CandidateView?) -> JSONValue {
      c.map { .members([("provider", .string($0.provider)), ("model", .string($0.model))]) }
        ?? .null
    }
    hub.publish(
      .routeChoice, .members([("route", .string(route)), ("from", name(from)), ("to", name(to))]),
      at: now)
  }

  func incident(_ event: IncidentLog.Event, at now: Timestamp) {
    let (type, i): (AgentEventType, Incident) =
      switch event {
      case .opened(let i): (.incidentOpened, i)
      case .resolved(let i): (.incidentResolved, i)
      }
    hub.publish(
      type,
      .members([
        ("id", .string(i.id)), ("provider", .string(i.provider)),
        ("impact", .string(i.impact.rawValue)),
        ("started_at", .string(RFC3339.format(i.startedAt))),
        ("ended_at", .string(i.endedAt.map(RFC3339.format))),
        ("cause", .string(i.cause?.rawValue)),
      ]), at: now)
  }
}
