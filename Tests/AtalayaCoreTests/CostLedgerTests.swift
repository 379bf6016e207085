import AtalayaCore
import Testing

/// The ledger's decisions on a fake clock: sources, prices, budgets, periods, restore.
@Suite("Cost ledger")
struct CostLedgerTests {
  /// 2026-01-31T23:30:00Z, a Saturday.
  static let lateJanuary = Timestamp(
    seconds: Double(UTCCalendar.days(year: 2026, month: 1, day: 31)) * 86_400 + 23.5 * 3600)

  static func config(
    budgets: [BudgetConfig] = [], pricing: [String: ModelPrice] = [:]
  ) -> AtalayaConfig {
    var c = AtalayaConfig()
    c.providers = [
      ProviderConfig(name: "or", type: .openrouter, baseURL: "http://x", account: AccountPolling()),
      ProviderConfig(name: "oa", type: .openai, baseURL: "http://y"),
      ProviderConfig(name: "local", type: .ollama, baseURL: "http://z"),
    ]
    c.cost = CostConfig(pricing: pricing, budgets: budgets)
    return c
  }

  static func usage(
    _ provider: String, _ model: String = "m", cost: Double? = nil, input: Int = 1000,
    output: Int = 1000, at: Timestamp
  ) -> UsageEvent {
    UsageEvent(
      provider: provider, model: model, inputTokens: input, outputTokens: output, costUSD: cost,
      at: at)
  }

  @Test func civilDatesRoundTripAndMonthLengthsFollowLeapYears() {
    #expect(UTCCalendar.days(year: 1970, month: 1, day: 1) == 0)
    #expect(UTCCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
    for day in stride(from: -800_000, through: 800_000, by: 997) {
      let c = UTCCalendar.civil(days: day)
      #expect(UTCCalendar.days(year: c.year, month: c.month, day: c.day) == day)
    }
    #expect(UTCCalendar.daysInMonth(year: 2024, month: 2) == 29)
    #expect(UTCCalendar.daysInMonth(year: 1900, month: 2) == 28)
    #expect(UTCCalendar.daysInMonth(year: 2000, month: 2) == 29)
    #expect(UTCCalendar.daysInMonth(year: 2027, month: 4) == 30)
    #expect(UTCCalendar.daysInMonth(year: 2027, month: 12) == 31)
  }

  @Test func calendarPeriodsStartAndEndInUTC() {
    let t = Self.lateJanuary
    let jan1 = Double(UTCCalendar.days(year: 2026, month: 1, day: 1)) * 86_400
    let feb1 = Double(UTCCalendar.days(year: 2026, month: 2, day: 1)) * 86_400
    let monday = Double(UTCCalendar.days(year: 2026, month: 1, day: 26)) * 86_400
    #expect(BudgetConfig.Period.month.start(containing: t).seconds == jan1)
    #expect(BudgetConfig.Period.month.end(containing: t).seconds == feb1)
    #expect(BudgetConfig.Period.week.start(containing: t).seconds == monday)
    #expect(BudgetConfig.Period.week.end(containing: t).seconds == monday + 7 * 86_400)
    #expect(BudgetConfig.Period.day.start(containing: t).seconds == feb1 - 86_400)
    #expect(BudgetConfig.Period.hour.start(containing: t).seconds == feb1 - 3600)
    // December rolls into January of the next year.
    let dec = Timestamp(seconds: Double(UTCCalendar.days(year: 2025, month: 12, day: 15)) * 86_400)
    #expect(BudgetConfig.Period.month.end(containing: dec).seconds == jan1)
    #expect(
      UTCCalendar.civil(days: UTCCalendar.days(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
  }

  @Test func monthlyAndWeeklyBudgetsResetAtTheirBoundaries() {
    let budgets = [
      BudgetConfig(name: "monthly", limitUSD: 10, period: .month, warnAt: [0.5, 0.8]),
      BudgetConfig(name: "weekly", limitUSD: 10, period: .week),
      BudgetConfig(name: "daily", limitUSD: 10, period: .day),
    ]
    var ledger = CostLedger(config: Self.config(budgets: budgets))
    let t = Self.lateJanuary
    ledger.recordUsage(Self.usage("oa", cost: 6, at: t))
    var v = ledger.view(at: t)
    #expect(v.budgets.map(\.spent) == [6, 6, 6])
    #expect(v.budgets[0].crossedWarnAt == [0.5])
    // 1 h later it is February 1st (a Sunday): month and day reset, the week does not.
    let feb = t + .seconds(3600)
    v = ledger.view(at: feb)
    #expect(v.budgets.map(\.spent) == [0, 6, 0])
    #expect(v.budgets[0].crossedWarnAt == [])  // the warning resolves with the new period
    ledger.recordUsage(Self.usage("oa", cost: 1, at: feb))
    #expect(ledger.view(at: feb).budgets.map(\.spent) == [1, 7, 1])
    // Monday: the week resets too.
    let monday = feb + .seconds(86_400)
    #expect(ledger.view(at: monday).budgets.map(\.spent) == [1, 0, 0])
    // A late event from January does not count in February's month.
    ledger.recordUsage(Self.usage("oa", cost: 5, at: t))
    #expect(ledger.view(at: monday).budgets[0].spent == 1)
  }

  @Test func rollingBudgetForgetsSpendOlderThanItsLength() {
    let budget = BudgetConfig(name: "r", limitUSD: 2, period: .rolling(.seconds(24 * 3600)))
    var ledger = CostLedger(config: Self.config(budgets: [budget]))
    let t = Self.lateJanuary
    ledger.recordUsage(Self.usage("oa", cost: 1, at: t))
    ledger.recordUsage(Self.usage("oa", cost: 0.5, at: t + .seconds(12 * 3600)))
    #expect(ledger.view(at: t + .seconds(13 * 3600)).budgets[0].spent == 1.5)
    #expect(ledger.view(at: t + .seconds(25 * 3600)).budgets[0].spent == 0.5)
    #expect(ledger.view(at: t + .seconds(37 * 3600)).budgets[0].spent == 0)
  }

  @Test func accountCounterGoingBackwardsIsAResetAndInventsNoSpend() {
    var ledger = CostLedger(config: Self.config())
    let t = Self.lateJanuary
    let key = SpendKey(provider: "or", model: SpendKey.accountModel, source: .account)
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 10), at: t)
    #expect(ledger.totals[key] == nil)  // the first reading is only the baseline
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 10.5), at: t + .seconds(60))
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 10.5), at: t + .seconds(120))
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 0.25), at: t + .seconds(180))
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 0.5), at: t + .seconds(240))
    #expect(ledger.totals[key] == 1.0)  // 0.5 + 0.25 (since the reset) + 0.25
    #expect(ledger.costPerHour("or", at: t + .seconds(240)) == 1.0)
    #expect(ledger.costPerHour("or", at: t + .seconds(3900)) == 0)
  }

  @Test func accountProvidersCountOnlyTheirAccountTowardBudgets() {
    let budget = BudgetConfig(name: "all", limitUSD: 100, period: .day)
    var ledger = CostLedger(config: Self.config(budgets: [budget]))
    let t = Self.lateJanuary
    ledger.recordUsage(Self.usage("or", cost: 3, at: t))
    ledger.recordProbe(
      ProbeOutcome(
        check: CheckID(provider: "or", model: "m"), result: .success, startedAt: t,
        usage: TokenUsage(inputTokens: 1, outputTokens: 1, costUSD: 0.01)))
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 1), at: t)
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 4.01), at: t + .seconds(1))
    let v = ledger.view(at: t + .seconds(1))
    #expect(abs(v.budgets[0].spent - 3.01) < 1e-9)
    #expect(ledger.totals[SpendKey(provider: "or", model: "m", source: .usage)] == 3)
    #expect(ledger.totals[SpendKey(provider: "or", model: "m", source: .probe)] == 0.01)
    #expect(v.providers.first { $0.provider == "or" }?.source == "account")
  }

  @Test func missingPricesAreFlaggedNeverPricedAtZero() {
    let price = ModelPrice(inputPerMTok: 1, outputPerMTok: 2)
    var ledger = CostLedger(config: Self.config(pricing: ["oa/priced": price]))
    let t = Self.lateJanuary
    ledger.recordUsage(Self.usage("oa", "priced", at: t))
    ledger.recordUsage(Self.usage("oa", "unknown", at: t))
    ledger.recordUsage(Self.usage("local", "llama3", at: t))
    #expect(ledger.totals[SpendKey(provider: "oa", model: "priced", source: .usage)] == 0.003)
    #expect(ledger.totals[SpendKey(provider: "oa", model: "unknown", source: .usage)] == nil)
    #expect(
      ledger.unpriced[ModelKey(provider: "oa", model: "unknown")]
        == TokenCount(input: 1000, output: 1000))
    #expect(ledger.totals[SpendKey(provider: "local", model: "llama3", source: .usage)] == 0)
    // OpenRouter prices fetched from /models fill the gap.
    ledger.setFetchedPrices(provider: "or", ["vendor/model": price])
    ledger.recordUsage(Self.usage("or", "vendor/model", at: t))
    #expect(ledger.totals[SpendKey(provider: "or", model: "vendor/model", source: .usage)] == 0.003)
  }

  @Test func burnRateGivesProjectionAndExhaustion() {
    let budget = BudgetConfig(name: "d", limitUSD: 10, period: .day)
    var ledger = CostLedger(config: Self.config(budgets: [budget]))
    let start = Timestamp(seconds: Double(UTCCalendar.days(year: 2026, month: 3, day: 2)) * 86_400)
    var v = ledger.view(at: start + .seconds(3600))
    #expect(v.budgets[0].exhaustionSeconds == nil)  // nothing spent: no exhaustion time
    ledger.recordUsage(Self.usage("oa", cost: 2, at: start + .seconds(3000)))
    let now = start + .seconds(3600)
    v = ledger.view(at: now)
    #expect(v.budgets[0].burnPerHour == 2)
    #expect(abs(v.budgets[0].projected - (2 + 2 * 23)) < 1e-9)
    #expect(abs(v.budgets[0].exhaustionSeconds! - 4 * 3600) < 1e-6)
    #expect(
      v.signals.contains(CostSignal(name: "cost_per_hour", labels: ["provider": "total"], value: 2))
    )
    ledger.recordUsage(Self.usage("oa", cost: 9, at: now))
    #expect(ledger.view(at: now).budgets[0].exhaustionSeconds == 0)
  }

  @Test func restoringTheSameSnapshotTwiceCountsNothingTwice() throws {
    let budgets = [
      BudgetConfig(name: "d", limitUSD: 10, period: .day),
      BudgetConfig(name: "r", limitUSD: 10, period: .rolling(.seconds(7200))),
    ]
    let config = Self.config(budgets: budgets)
    var ledger = CostLedger(config: config)
    let t = Self.lateJanuary
    ledger.recordUsage(Self.usage("oa", cost: 1.5, at: t))
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 5), at: t)
    ledger.recordAccount(provider: "or", info: AccountInfo(usage: 6), at: t + .seconds(10))
    let saved = JSONValue.parse(ledger.snapshot(at: t).encoded)!

    var restarted = CostLedger(config: config)
    try restarted.restore(saved)
    try restarted.restore(saved)
    let later = t + .seconds(20)
    #expect(restarted.view(at: later).budgets.map(\.spent) == [2.5, 2.5])
    #expect(restarted.totals == ledger.totals)
    #expect(restarted.costPerHour("oa", at: later) == 1.5)
    // The account baseline survived: the same reading again is no new spend.
    restarted.recordAccount(provider: "or", info: AccountInfo(usage: 6), at: later)
    #expect(restarted.view(at: later).budgets[0].spent == 2.5)
    restarted.recordAccount(provider: "or", info: AccountInfo(usage: 6.5), at: later)
    #expect(restarted.view(at: later).budgets[0].spent == 3.0)
    // Not a ledger: refused.
    var refused = false
    do { try restarted.restore(.members([])) } catch { refused = true }
    #expect(refused)
  }

  @Test func seriesAreCapped() {
    var ledger = CostLedger(config: Self.config())
    let t = Self.lateJanuary
    for i in 0..<CostLedger.maxSeries {
      let taken = ledger.recordUsage(Self.usage("app", "m\(i)", cost: 0, at: t))
      #expect(taken)
    }
    let extra = ledger.recordUsage(Self.usage("app", "one-more", cost: 0, at: t))
    #expect(!extra)
    let known = ledger.recordUsage(Self.usage("app", "m0", cost: 0, at: t))
    #expect(known)
  }

  /// Issue 15, finding 8: the cap never expired (and was persisted), so one junk batch
  /// locked every new provider/model out for ever.
  @Test func idleSeriesGiveUpTheirSlotsAtTheCap() throws {
    var ledger = CostLedger(config: Self.config())
    let t = Self.lateJanuary
    for i in 0..<CostLedger.maxSeries {
      ledger.recordUsage(Self.usage("junk", "m\(i)", cost: 1, at: t))
    }
    // Still busy: the newest junk is less than the TTL old.
    let soon = t + .seconds(60)
    let early = ledger.recordUsage(Self.usage("app", "real", cost: 1, at: soon), now: soon)
    #expect(!early)
    // m5 keeps being used; the rest go idle.
    let later = t + CostLedger.idleSeriesTTL
    ledger.recordUsage(Self.usage("junk", "m5", cost: 1, at: later - .seconds(1)))
    let taken = ledger.recordUsage(Self.usage("app", "real", cost: 2, at: later), now: later)
    #expect(taken)
    #expect(ledger.totals[SpendKey(provider: "app", model: "real", source: .usage)] == 2)
    #expect(ledger.totals[SpendKey(provider: "junk", model: "m5", source: .usage)] == 2)
    #expect(ledger.totals.count == CostLedger.maxSeries)
    // The same after a restart: restored series give up their slots first.
    var restarted = CostLedger(config: Self.config())
    try restarted.restore(ledger.snapshot(at: later))
    let afterRestart = restarted.recordUsage(
      Self.usage("app", "new", cost: 1, at: later), now: later)
    #expect(afterRestart)
  }
}

/// Issue 15, finding 5: `usage.cost: 1e308` made the cost counter +Inf, cost.json stored
/// `null`, and the next start set the whole ledger aside.
@Suite struct CostBoundsTests {
  @Test func absurdProviderNumbersAreBoundedNotSummedToInfinity() throws {
    var ledger = CostLedger(config: CostLedgerTests.config())
    let t = CostLedgerTests.lateJanuary
    for cost in [1e308, -5, .infinity, .nan, 1e308] {
      ledger.recordProbe(
        ProbeOutcome(
          check: CheckID(provider: "oa", model: "m"), result: .success, startedAt: t,
          usage: TokenUsage(inputTokens: Int.max, outputTokens: -7, costUSD: cost)))
    }
    #expect(ledger.totals.values.allSatisfy { $0.isFinite })
    let unpriced = try #require(ledger.unpriced[ModelKey(provider: "oa", model: "m")])
    #expect(unpriced.input == 5 * TokenUsage.maxTokens && unpriced.output == 0)
    // What is saved is read back whole.
    var restarted = CostLedger(config: CostLedgerTests.config())
    try restarted.restore(ledger.snapshot(at: t))
    #expect(restarted.unpriced == ledger.unpriced)
  }

  @Test func aBadEntryIsDroppedNotTheLedger() throws {
    var ledger = CostLedger(config: CostLedgerTests.config())
    let t = CostLedgerTests.lateJanuary
    ledger.recordUsage(CostLedgerTests.usage("oa", "good", cost: 2, at: t))
    guard case .object(let members) = ledger.snapshot(at: t) else {
      Issue.record("snapshot is not an object")
      return
    }
    let bad: [JSONValue] = [
      .members([
        ("provider", "oa"), ("model", "bad"), ("source", "usage"), ("usd", .null),
      ]),
      .members([
        ("provider", "oa"), ("model", "huge"), ("source", "usage"), ("usd", .number(1e300)),
      ]),
    ]
    let patched = JSONValue.object(
      members.map { m in
        m.key == "totals" ? JSONMember("totals", .array((m.value.arrayValue ?? []) + bad)) : m
      })
    var restarted = CostLedger(config: CostLedgerTests.config())
    try restarted.restore(patched)
    #expect(restarted.totals == [SpendKey(provider: "oa", model: "good", source: .usage): 2])
  }
}

@Suite struct UsageTrafficTests {
  @Test func seriesWithNothingInTheWindowGiveUpTheirSlotsAtTheCap() {
    var traffic = UsageTraffic(window: .seconds(600))
    let t = Timestamp(seconds: 1_800_000_000)
    func event(_ model: String, at: Timestamp) -> UsageEvent {
      UsageEvent(
        provider: "p", model: model, inputTokens: 1, outputTokens: 1, costUSD: nil, latency: 0.1,
        result: .success, at: at)
    }
    for i in 0..<CostLedger.maxSeries { traffic.record(event("m\(i)", at: t)) }
    let early = traffic.record(event("new", at: t + .seconds(599)), now: t + .seconds(599))
    #expect(!early)
    let taken = traffic.record(event("new", at: t + .seconds(601)), now: t + .seconds(601))
    #expect(taken)
    #expect(traffic.series.count == CostLedger.maxSeries)
  }
}
