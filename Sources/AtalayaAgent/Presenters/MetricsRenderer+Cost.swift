import AtalayaCore
import Exposition

/// What the cost families render from: the ledger's view and the usage traffic.
struct CostMetrics: Sendable {
  var view: CostView
  var traffic: [(key: ModelKey, stats: WindowStats, events: ResultCounters)]
}

extension MetricsRenderer {
  /// The cost, budget and usage-traffic families, in catalogue order.
  mutating func writeCost(_ m: CostMetrics) {
    let v = m.view
    writer.family(Catalogue.costUSDTotal)
    for (k, usd) in v.totals {
      writer.sample(Catalogue.costUSDTotal, k.provider, k.model, k.source.rawValue, value: usd)
    }
    writer.family(Catalogue.costPerHourUSD)
    for p in v.providers {
      writer.sample(Catalogue.costPerHourUSD, p.provider, value: p.costPerHour)
    }
    writer.family(Catalogue.priceMissing)
    for (k, _) in v.unpriced {
      writer.sample(Catalogue.priceMissing, k.provider, k.model, value: 1)
    }
    writer.family(Catalogue.accountUsageUSD)
    for a in v.accounts {
      let values = [a.info.usage, a.info.usageDaily, a.info.usageWeekly, a.info.usageMonthly]
      for (period, value) in zip(Catalogue.accountPeriods, values) {
        guard let value else { continue }
        writer.sample(Catalogue.accountUsageUSD, a.provider, period, value: value)
      }
    }
    writer.family(Catalogue.accountLimitUSD)
    for a in v.accounts {
      guard let limit = a.info.limit else { continue }
      writer.sample(Catalogue.accountLimitUSD, a.provider, value: limit)
    }
    writer.family(Catalogue.accountLimitRemainingUSD)
    for a in v.accounts {
      guard let remaining = a.info.limitRemaining else { continue }
      writer.sample(Catalogue.accountLimitRemainingUSD, a.provider, value: remaining)
    }
    let budgets: [(MetricFamily, (CostView.Budget) -> Double?)] = [
      (Catalogue.budgetLimitUSD, { $0.config.limitUSD }),
      (Catalogue.budgetSpentUSD, { $0.spent }),
      (Catalogue.budgetRemainingUSD, { $0.remaining }),
      (Catalogue.budgetUsedRatio, { $0.usedRatio }),
      (Catalogue.budgetProjectedSpendUSD, { $0.projected }),
      (Catalogue.budgetExhaustionSeconds, { $0.exhaustionSeconds }),
    ]
    for (family, value) in budgets {
      writer.family(family)
      for b in v.budgets {
        guard let x = value(b) else { continue }
        writer.sample(family, b.config.name, value: x)
      }
    }
    writer.family(Catalogue.usageEventsTotal)
    for t in m.traffic {
      for result in ResultClass.allCases {
        let count = t.events[result]
        guard count > 0 else { continue }
        writer.sample(
          Catalogue.usageEventsTotal, t.key.provider, t.key.model, result.rawValue,
          value: Double(count))
      }
    }
    writer.family(Catalogue.usageWindowSuccessRatio)
    for t in m.traffic {
      guard let ratio = t.stats.successRatio else { continue }
      writer.sample(Catalogue.usageWindowSuccessRatio, t.key.provider, t.key.model, value: ratio)
    }
    writer.family(Catalogue.usageWindowLatencySeconds)
    for t in m.traffic {
      for (index, label) in Catalogue.windowQuantiles.enumerated() {
        guard let x = t.stats.latency.quantile(at: index) else { continue }
        writer.sample(
          Catalogue.usageWindowLatencySeconds, t.key.provider, t.key.model, label, value: x)
      }
    }
  }
}
