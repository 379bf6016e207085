import AtalayaCore
import Testing

/// The alert lifecycle, tested the way `promtool test rules` tests Prometheus rules:
/// samples in at given times on a fake clock, alert states and notifications out.
@Suite("Alert engine lifecycle")
struct AlertEngineLifecycleTests {
  let a = "HighErrors openai/gpt-4o-mini"

  @Test func pendingWaitsForThenFiresAndNotifiesOnce() {
    var engine = AlertEngine(generatorURL: alertsURL)
    runRuleSteps(
      [
        RuleStep(0, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(60, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(105, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(
          120, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(135, [sample(.errorRate, 0.1)], states: ["\(a) firing"]),
      ], config: alerting([rule(for: 120)]), engine: &engine)
  }

  @Test func pendingThatClearsIsDroppedSilentlyAndStartsOver() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(0, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(15, [sample(.errorRate, 0.01)]),
        RuleStep(30, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(135, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(
          150, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
      ], config: alerting([rule(for: 120)]), engine: &engine)
  }

  @Test func pendingWhoseSeriesDisappearsIsDropped() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(0, [sample(.errorRate, 0.1)], states: ["\(a) pending"]),
        RuleStep(15, []),
      ], config: alerting([rule(for: 60)]), engine: &engine)
  }

  @Test func firingRemindsEveryRepeatIntervalThenResolves() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(1800, [sample(.errorRate, 0.1)], states: ["\(a) firing"]),
        RuleStep(3599, [sample(.errorRate, 0.1)], states: ["\(a) firing"]),
        RuleStep(
          3600, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(
          3700, [sample(.errorRate, 0.0)], sent: ["slack HighErrors resolved:openai/gpt-4o-mini"]),
        RuleStep(3715, [sample(.errorRate, 0.0)]),
      ], config: alerting([rule()], repeat: 3600), engine: &engine)
  }

  @Test func sendResolvedFalseSkipsResolvesExceptForAlertmanager() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: [
            "slack HighErrors firing:openai/gpt-4o-mini", "am HighErrors firing:openai/gpt-4o-mini",
          ]),
        RuleStep(
          30, [sample(.errorRate, 0.0)], sent: ["am HighErrors resolved:openai/gpt-4o-mini"]),
      ],
      config: alerting(
        [rule()], receivers: ["slack:slack", "am:alertmanager"], sendResolved: false),
      engine: &engine)
  }

  @Test func keepFiringForHoldsThroughFalseValuesAndGaps() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(15, [sample(.errorRate, 0.0)], states: ["\(a) firing"]),
        RuleStep(30, [sample(.errorRate, 0.1)], states: ["\(a) firing"]),
        // Counting restarts at the first false evaluation after a true one.
        RuleStep(45, [sample(.errorRate, 0.0)], states: ["\(a) firing"]),
        RuleStep(60, [], states: ["\(a) firing"]),
        RuleStep(90, [sample(.errorRate, 0.0)], states: ["\(a) firing"]),
        RuleStep(
          105, [sample(.errorRate, 0.0)], sent: ["slack HighErrors resolved:openai/gpt-4o-mini"]),
      ], config: alerting([rule(keep: 60)]), engine: &engine)
  }

  @Test func aSeriesThatDisappearsResolves() {
    var engine = AlertEngine()
    let b = sample(.errorRate, 0.2, model: "gpt-4o")
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1), b],
          states: ["HighErrors openai/gpt-4o firing", "\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o firing:openai/gpt-4o-mini"]),
        RuleStep(
          15, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini resolved:openai/gpt-4o"]),
        RuleStep(30, [], sent: ["slack HighErrors resolved:openai/gpt-4o-mini"]),
      ], config: alerting([rule()]), engine: &engine)
  }

  @Test func aNonFiniteSampleKeepsTheStateAndCountsAsAFailedEvaluation() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(
          0, [sample(.errorRate, 0.1)], states: ["\(a) firing"],
          sent: ["slack HighErrors firing:openai/gpt-4o-mini"]),
        RuleStep(15, [sample(.errorRate, .nan)], states: ["\(a) firing"]),
        RuleStep(30, [sample(.errorRate, .infinity)], states: ["\(a) firing"]),
        RuleStep(45, [], sent: ["slack HighErrors resolved:openai/gpt-4o-mini"]),
      ], config: alerting([rule(), rule("SlowP95", "latency_p95 > 5s")]), engine: &engine)
    #expect(engine.evaluationsTotal == 8)
    #expect(engine.evaluationFailuresTotal == 2)
  }

  @Test func instancesOfARemovedRuleResolve() {
    var engine = AlertEngine()
    let start = Timestamp(seconds: 1_800_000_000)
    let first = engine.evaluate(
      samples: [sample(.errorRate, 0.1)], config: alerting([rule()]), at: start)
    #expect(first.map(line) == ["slack HighErrors firing:openai/gpt-4o-mini"])
    let second = engine.evaluate(
      samples: [sample(.errorRate, 0.1)], config: alerting([]), at: start + .seconds(15))
    #expect(second.map(line) == ["slack HighErrors resolved:openai/gpt-4o-mini"])
    #expect(engine.activeAlerts(at: start + .seconds(15)).isEmpty)
    #expect(engine.alertCounts().isEmpty)
  }

  @Test func theDefaultRulesFireOnTheirSignals() {
    var engine = AlertEngine()
    runRuleSteps(
      [
        RuleStep(
          0,
          [
            sample(.providerDown, 1, model: nil), sample(.latencyP95, 6),
            SignalSample(signal: .budgetRemainingUSD, labels: ["budget": "monthly"], value: 4),
            SignalSample(signal: .budgetUsedRatio, labels: ["budget": "monthly"], value: 0.8),
          ],
          states: [
            "LLMBudgetLow monthly firing", "LLMBudgetUsedHigh monthly firing",
            "LLMHighLatency openai/gpt-4o-mini pending", "LLMProviderDown openai pending",
          ],
          sent: ["slack LLMBudgetLow firing:monthly", "slack LLMBudgetUsedHigh firing:monthly"]),
        RuleStep(
          60, [sample(.providerDown, 1, model: nil), sample(.latencyP95, 6)],
          states: ["LLMHighLatency openai/gpt-4o-mini pending", "LLMProviderDown openai firing"],
          sent: [
            "slack LLMProviderDown firing:openai", "slack LLMBudgetLow resolved:monthly",
            "slack LLMBudgetUsedHigh resolved:monthly",
          ]),
      ], config: alerting(AlertRule.defaults), engine: &engine)
  }
}
