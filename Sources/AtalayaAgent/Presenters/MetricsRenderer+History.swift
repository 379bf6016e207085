import AtalayaCore
import Exposition

extension MetricsRenderer {
  /// Uptime per check and provider, incidents and SLOs.
  mutating func writeHistory(_ history: HistoryView, _ view: FleetView) {
    writer.family(Catalogue.uptimeRatio)
    for row in rows {
      guard let ranges = history.checkUptime[row.id] else { continue }
      for range in UptimeRange.allCases {
        guard let v = ranges[range] else { continue }
        writer.sample(Catalogue.uptimeRatio, row.labels, range.rawValue, value: v)
      }
    }
    writer.family(Catalogue.providerUptimeRatio)
    for p in view.providers {
      guard let ranges = history.providerUptime[p.name] else { continue }
      for range in UptimeRange.allCases {
        guard let v = ranges[range] else { continue }
        writer.sample(Catalogue.providerUptimeRatio, p.name, range.rawValue, value: v)
      }
    }
    writer.family(Catalogue.incidentsTotal)
    for p in view.providers {
      for impact in [ProviderStatus.degraded, .down] {
        let n = history.incidentTotals[p.name]?[impact.rawValue] ?? 0
        writer.sample(Catalogue.incidentsTotal, p.name, impact.rawValue, value: Double(n))
      }
    }
    writer.family(Catalogue.incidentOpen)
    for p in view.providers {
      writer.sample(
        Catalogue.incidentOpen, p.name, value: history.openIncidents[p.name] == nil ? 0 : 1)
    }
    writer.family(Catalogue.sloTargetRatio)
    for s in history.slos {
      writer.sample(Catalogue.sloTargetRatio, s.config.name, value: s.config.target)
    }
    writer.family(Catalogue.sloErrorBudgetRemainingRatio)
    for s in history.slos {
      guard let v = s.errorBudgetRemaining else { continue }
      writer.sample(Catalogue.sloErrorBudgetRemainingRatio, s.config.name, value: v)
    }
    writer.family(Catalogue.sloBurnRate)
    for s in history.slos {
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
