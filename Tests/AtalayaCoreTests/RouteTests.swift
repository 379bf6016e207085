import AtalayaCore
import AtalayaTestSupport
import Testing

/// Route evaluation on a manual clock: every skip reason, both orders, pooled health,
/// declared request limits and `disable_for`.
@Suite struct RouteTests {
  let clock = ManualTimeSource()

  func config(_ routes: [RouteConfig], rateLimit: RequestRateLimit? = nil) -> AtalayaConfig {
    var b = ProviderConfig(
      name: "b", baseURL: "http://127.0.0.1:1", checks: [CheckConfig(model: "m")])
    b.rateLimit = rateLimit
    return AtalayaConfig(
      providers: [
        ProviderConfig(name: "a", baseURL: "http://127.0.0.1:1", checks: [CheckConfig(model: "m")]),
        b,
      ],
      circuitBreaker: CircuitBreakerConfig(failureThreshold: 3, resetTimeout: .seconds(60)),
      routes: routes)
  }

  static let route = RouteConfig(
    name: "chat",
    candidates: [
      RouteCandidate(provider: "a", model: "m"), RouteCandidate(provider: "b", model: "m"),
    ])

  func outcome(
    _ provider: String, _ result: ResultClass, latency: Double = 0.2, resumeAt: Timestamp? = nil
  )
    -> ProbeOutcome
  {
    ProbeOutcome(
      check: CheckID(provider: provider, model: "m"), result: result, startedAt: clock.now(),
      timings: PhaseTimings(total: latency), resumeAt: resumeAt)
  }

  func evaluate(
    _ book: inout RouteBook, _ fleet: FleetHealth, traffic: [ModelKey: WindowStats] = [:],
    budgets: [CostView.Budget] = [], silences: [Silence] = []
  ) -> RouteView {
    book.evaluateAll(
      fleet: fleet.view(at: clock.now()), traffic: traffic, budgets: budgets, silences: silences,
      at: clock.now()
    ).views[0]
  }

  @Test func noDataIsUsableAndPriorityPicksTheFirst() {
    let c = config([Self.route])
    var book = RouteBook(config: c)
    let view = evaluate(&book, FleetHealth(config: c))
    #expect(view.candidates.map(\.usable) == [true, true])
    #expect(view.choice?.provider == "a")
  }

  @Test func anOpenCircuitFallsBackAndRetryAfterSaysWhen() {
    let c = config([Self.route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    for _ in 0..<3 { fleet.record(outcome("a", .serverError)) }
    let view = evaluate(&book, fleet)
    #expect(view.candidates[0].reason == .circuitOpen)
    #expect(view.candidates[0].retryAfterSeconds == 60)
    #expect(view.choice?.provider == "b")
    // Both down: no choice.
    for _ in 0..<3 { fleet.record(outcome("b", .timeout)) }
    let none = evaluate(&book, fleet)
    #expect(none.choice == nil)
    #expect(none.usableCount == 0)
    #expect(none.candidates[1].reason == .circuitOpen)
  }

  @Test(arguments: [
    (ResultClass.quotaExhausted, SkipReason.quotaExhausted),
    (.modelUnavailable, .modelUnavailable),
  ])
  func classesNameTheirReason(_ result: ResultClass, _ reason: SkipReason) {
    let c = config([Self.route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    fleet.record(outcome("a", result))
    #expect(evaluate(&book, fleet).candidates[0].reason == reason)
  }

  @Test func aRetryAfterHoldIsRateLimited() {
    let c = config([Self.route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    fleet.record(outcome("a", .rateLimited, resumeAt: clock.now() + .seconds(20)))
    let view = evaluate(&book, fleet)
    #expect(view.candidates[0].reason == .rateLimited)
    #expect(view.candidates[0].retryAfterSeconds == 20)
    clock.advance(by: .seconds(21))
    #expect(evaluate(&book, fleet).candidates[0].usable)
  }

  @Test func applicationTrafficCountsBesideProbes() {
    let c = config([Self.route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    // Probes of a all succeed (5), but the application saw 20 failures of 21 calls.
    for _ in 0..<5 { fleet.record(outcome("a", .success)) }
    var traffic = UsageTraffic(window: .seconds(600))
    for i in 0..<21 {
      traffic.record(
        UsageEvent(
          provider: "a", model: "m", inputTokens: 1, outputTokens: 1, latency: 0.5,
          result: i == 0 ? .success : .serverError, at: clock.now()))
    }
    let stats = Dictionary(
      uniqueKeysWithValues: traffic.stats(at: clock.now()).map { ($0.key, $0.stats) })
    let view = evaluate(&book, fleet, traffic: stats)
    // (5 + 1) / (5 + 21) = 23%, under the default 30%.
    #expect(abs((view.candidates[0].successRatio ?? 0) - 6.0 / 26) < 1e-9)
    #expect(view.candidates[0].reason == .lowSuccess)
    #expect(view.choice?.provider == "b")
  }

  @Test func slowHealthOrderAndSilences() {
    var route = Self.route
    route.maxLatencyP95 = .seconds(2)
    let c = config([route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    for _ in 0..<5 { fleet.record(outcome("a", .success, latency: 3)) }
    #expect(evaluate(&book, fleet).candidates[0].reason == .slow)
    let silence = Silence(
      matchers: ["provider": "b", "model": "m"], starts: clock.now(),
      ends: clock.now() + .seconds(60))
    #expect(evaluate(&book, fleet, silences: [silence]).candidates[1].reason == .silenced)
    // A maintenance window for every alert mutes alerts, it does not take routes down.
    let everything = MaintenanceWindow(name: "all", start: 0, length: .seconds(86_400))
    let muting = try! #require(everything.silence(at: clock.now()))
    #expect(evaluate(&book, fleet, silences: [muting]).candidates[1].reason == nil)
    let onB = MaintenanceWindow(
      name: "b", start: 0, length: .seconds(86_400),
      matchers: [try! LabelMatcher.parse(#"provider="b""#)])
    let bMuting = try! #require(onB.silence(at: clock.now()))
    #expect(evaluate(&book, fleet, silences: [bMuting]).candidates[1].reason == .silenced)
    // Health order: b (all successes) over a (one failure).
    var healthRoute = Self.route
    healthRoute.order = .health
    let hc = config([healthRoute])
    var hf = FleetHealth(config: hc)
    var hb = RouteBook(config: hc)
    hf.record(outcome("a", .serverError))
    for _ in 0..<9 { hf.record(outcome("a", .success)) }
    for _ in 0..<10 { hf.record(outcome("b", .success)) }
    #expect(evaluate(&hb, hf).choice?.provider == "b")
  }

  @Test func aSpentBudgetSkipsItsProviders() {
    let c = config([Self.route])
    var book = RouteBook(config: c)
    var ledger = CostLedger(
      config: AtalayaConfig(
        cost: CostConfig(budgets: [
          BudgetConfig(name: "x", limitUSD: 0.0001, period: .day, providers: ["a"])
        ])))
    ledger.recordUsage(
      UsageEvent(
        provider: "a", model: "m", inputTokens: 1, outputTokens: 1, costUSD: 1, result: .success,
        at: clock.now()),
      now: clock.now())
    let budgets = ledger.view(at: clock.now()).budgets
    #expect(budgets.first?.remaining ?? 1 <= 0)
    let view = evaluate(&book, FleetHealth(config: c), budgets: budgets)
    #expect(view.candidates.map(\.reason) == [.budgetExhausted, nil])
  }

  @Test func aDeclaredLimitIsASlidingWindow() {
    let c = config([Self.route], rateLimit: RequestRateLimit(requests: 3, window: .seconds(60)))
    var book = RouteBook(config: c)
    let fleet = FleetHealth(config: c)
    for s in [0, 10, 20] {
      book.record(provider: "b", model: "m", at: clock.now() + .seconds(s))
    }
    clock.advance(by: .seconds(30))
    let full = evaluate(&book, fleet)
    #expect(full.candidates[1].reason == .rateLimited)
    // The request at t=0 leaves the window at t=60: 30 s from now.
    #expect(full.candidates[1].retryAfterSeconds == 30)
    clock.advance(by: .seconds(30))
    #expect(evaluate(&book, fleet).candidates[1].usable)
  }

  @Test func disableForKeepsAFailedCandidateSkipped() {
    var route = Self.route
    route.disableFor = .seconds(300)
    let c = config([route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    fleet.record(outcome("a", .modelUnavailable))
    #expect(evaluate(&book, fleet).candidates[0].reason == .modelUnavailable)
    fleet.record(outcome("a", .success))
    clock.advance(by: .seconds(100))
    let held = evaluate(&book, fleet)
    #expect(held.candidates[0].usable == false)
    #expect(held.candidates[0].reason == .modelUnavailable)
    #expect(held.candidates[0].retryAfterSeconds == 200)
    clock.advance(by: .seconds(200))
    #expect(evaluate(&book, fleet).candidates[0].usable)
  }

  @Test func choiceChangesAreReported() {
    let c = config([Self.route])
    var fleet = FleetHealth(config: c)
    var book = RouteBook(config: c)
    let now = clock.now()
    #expect(
      book.evaluateAll(fleet: fleet.view(at: now), traffic: [:], budgets: [], silences: [], at: now)
        .changes.isEmpty)
    for _ in 0..<3 { fleet.record(outcome("a", .serverError)) }
    let changes = book.evaluateAll(
      fleet: fleet.view(at: now), traffic: [:], budgets: [], silences: [], at: now
    ).changes
    #expect(changes.count == 1)
    #expect(changes.first?.from?.provider == "a")
    #expect(changes.first?.to?.provider == "b")
  }
}
