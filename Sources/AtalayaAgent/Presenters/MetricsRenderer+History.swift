import AtalayaCore
import Exposition

extension MetricsRenderer {
  /// What the history families write beside the rows: incidents per provider and impact,
  /// and the SLOs (see ``fillHistory(_:at:)``).
  struct HistoryFigures: Sendable {
    var incidentTotals: [String: [String: UInt64]] = [:]
    var slos: [SLOStatus] = []
  }

  /// Reads each row's uptime, its provider's sums, open incidents and SLOs from `history`
  /// (called under the history store's lock, after ``fillRows(_:at:)``), in place: the
  /// history view would make a dictionary per check.
  mutating func fillHistory(_ history: borrowing FleetHistory, at now: Timestamp) {
    for row in rows {
      guard let (counted, succeeded) = history.uptimeTotals(row.id, at: now) else { continue }
      func ratio(_ i: Int) -> Double? {
        counted[i] > 0 ? Double(succeeded[i]) / Double(counted[i]) : nil
      }
      row.uptimes = (ratio(0), ratio(1), ratio(2), ratio(3))
      providers[row.provider].counted &+= counted
      providers[row.provider].succeeded &+= succeeded
    }
    for index in providers.indices {
      providers[index].incidentOpen = history.incidents.open(providers[index].name) != nil
    }
    historyFigures = HistoryFigures(
      incidentTotals: history.incidents.totals, slos: history.sloStatuses(at: now))
  }

  /// Uptime per check and provider, incidents and SLOs.
  mutating func writeHistory() {
    writer.family(Catalogue.uptimeRatio)
    for row in rows {
      for (index, range) in Self.uptimeRangeValues.enumerated() {
        guard let v = row.uptime(index) else { continue }
        writer.sample(Catalogue.uptimeRatio, row.labels, range, value: v)
      }
    }
    writer.family(Catalogue.providerUptimeRatio)
    for p in providers {
      for (index, range) in UptimeRange.allCases.enumerated() where p.counted[index] > 0 {
        let v = Double(p.succeeded[index]) / Double(p.counted[index])
        writer.sample(Catalogue.providerUptimeRatio, p.name, range.rawValue, value: v)
      }
    }
    writer.family(Catalogue.incidentsTotal)
    for p in providers {
      for impact in [ProviderStatus.degraded, .down] {
        let n = historyFigures.incidentTotals[p.name]?[impact.rawValue] ?? 0
        writer.sample(Catalogue.incidentsTotal, p.name, impact.rawValue, value: Double(n))
      }
    }
    writer.family(Catalogue.incidentOpen)
    for p in providers {
      writer.sample(Catalogue.incidentOpen, p.name, value: p.incidentOpen ? 1 : 0)
    }
    writer.family(Catalogue.sloTargetRatio)
    for s in historyFigures.slos {
      writer.sample(Catalogue.sloTargetRatio, s.config.name, value: s.config.target)
    }
    writer.family(Catalogue.sloErrorBudgetRemainingRatio)
    for s in historyFigures.slos {
      guard let v = s.errorBudgetRemaining else { continue }
      writer.sample(Catalogue.sloErrorBudgetRemainingRatio, s.config.name, value: v)
    }
    writer.family(Catalogue.sloBurnRate)
    for s in historyFigures.slos {
      for w in SLOWindow.allCases {
        guard let v = s.burnRates[w] else { continue }
        writer.sample(Catalogue.sloBurnRate, s.config.name, w.rawValue, value: v)
      }
    }
  }
}

extension MetricsRenderer {
  /// Per route: each candidate's usability, the current choice and the usable count.
  mutating func writeRoutes(_ routes: [RouteView]) {
    writer.family(Catalogue.routeCandidateUsable)
    for r in routes {
      for c in r.candidates {
        writer.sample(
          Catalogue.routeCandidateUsable, r.route, c.provider, c.model, value: c.usable ? 1 : 0)
      }
    }
    writer.family(Catalogue.routeChoice)
    for r in routes {
      for c in r.candidates {
        let chosen = r.choice.map { $0.provider == c.provider && $0.model == c.model } ?? false
        writer.sample(Catalogue.routeChoice, r.route, c.provider, c.model, value: chosen ? 1 : 0)
      }
    }
    writer.family(Catalogue.routeUsableCandidates)
    for r in routes {
      writer.sample(Catalogue.routeUsableCandidates, r.route, value: Double(r.usableCount))
    }
  }
}
