import AtalayaCore

extension StatusReport {
  /// The `cost` section: per provider the cost per hour and its source (with the
  /// account's own numbers when polled), per budget its numbers in the current
  /// period, and the models whose price is missing.
  static func cost(_ v: CostView) -> JSONValue {
    func usd(_ x: Double?) -> JSONValue { .number(x.map { ($0 * 1e6).rounded() / 1e6 }) }
    let accounts = Dictionary(v.accounts.map { ($0.provider, $0) }, uniquingKeysWith: { a, _ in a })
    return .members([
      ("cost_per_hour_usd", usd(v.totalPerHour)),
      (
        "providers",
        .array(
          v.providers.map { p in
            var members: [(String, JSONValue)] = [
              ("name", .string(p.provider)), ("source", .string(p.source)),
              ("cost_per_hour_usd", usd(p.costPerHour)),
            ]
            if let a = accounts[p.provider] {
              members.append(
                (
                  "account",
                  .members([
                    ("usage_usd", usd(a.info.usage)), ("usage_daily_usd", usd(a.info.usageDaily)),
                    ("usage_weekly_usd", usd(a.info.usageWeekly)),
                    ("usage_monthly_usd", usd(a.info.usageMonthly)),
                    ("limit_usd", usd(a.info.limit)),
                    ("limit_remaining_usd", usd(a.info.limitRemaining)),
                    ("limit_reset", .string(a.info.limitReset)),
                    ("is_free_tier", a.info.isFreeTier.map { .bool($0) } ?? .null),
                    ("checked_at", time(a.at)),
                  ])
                ))
            }
            return .members(members)
          })
      ),
      (
        "budgets",
        .array(
          v.budgets.map { b in
            .members([
              ("name", .string(b.config.name)), ("period", .string(b.config.period.label)),
              ("providers", .array(b.config.providers.map { .string($0) })),
              ("limit_usd", usd(b.config.limitUSD)), ("spent_usd", usd(b.spent)),
              ("remaining_usd", usd(b.remaining)), ("used_ratio", .number(b.usedRatio)),
              ("burn_per_hour_usd", usd(b.burnPerHour)),
              ("projected_spend_usd", usd(b.projected)),
              ("exhaustion_seconds", .number(b.exhaustionSeconds)),
              ("period_end", time(b.periodEnd)),
              ("warn_at", .array(b.config.warnAt.map { .number($0) })),
              ("warnings", .array(b.crossedWarnAt.map { .number($0) })),
            ])
          })
      ),
      (
        "price_missing",
        .array(
          v.unpriced.map { k, t in
            .members([
              ("provider", .string(k.provider)), ("model", .string(k.model)),
              ("input_tokens", .number(Double(t.input))),
              ("output_tokens", .number(Double(t.output))),
            ])
          })
      ),
    ])
  }
}
