import AtalayaCore
import AtalayaTestSupport
import Testing

/// FleetHealth: outcomes in, provider status and the systemd status line out,
/// on a fake clock; reload keeps the history of unchanged checks.
@Suite struct FleetHealthTests {
  let time = ManualTimeSource()

  func config(_ providers: [(String, [String])], window: Duration = .seconds(600)) -> AtalayaConfig
  {
    AtalayaConfig(
      window: window,
      providers: providers.map { name, models in
        ProviderConfig(
          name: name, baseURL: "http://127.0.0.1:1/v1",
          checks: models.map { CheckConfig(model: $0, slow: .seconds(2)) })
      },
      circuitBreaker: CircuitBreakerConfig(
        failureThreshold: 2, resetTimeout: .seconds(30), successThreshold: 1))
  }

  func outcome(_ provider: String, _ model: String, _ result: ResultClass, latency: Double = 0.1)
    -> ProbeOutcome
  {
    ProbeOutcome(
      check: CheckID(provider: provider, model: model), result: result, startedAt: time.now(),
      httpStatus: result == .success ? 200 : 500, timings: PhaseTimings(total: latency))
  }

  @Test func statusFollowsOutcomes() {
    var fleet = FleetHealth(config: config([("a", ["m1", "m2"]), ("b", ["m"])]))
    #expect(fleet.view(at: time.now()).overall == .healthy)  // no data yet
    for _ in 0..<5 {
      fleet.record(outcome("a", "m1", .success))
      fleet.record(outcome("a", "m2", .success, latency: 3))  // slower than `slow`
      fleet.record(outcome("b", "m", .success))
      time.advance(by: .seconds(10))
    }
    var view = fleet.view(at: time.now())
    #expect(view.providers.map(\.status) == [.degraded, .healthy])
    #expect(view.statusLine() == "2/3 checks healthy, 1 provider degraded")
    #expect(fleet.statusLine(at: time.now()) == view.statusLine())  // read in place, the same

    // b fails twice: its only circuit opens, b is down, no probe is allowed until the reset timeout.
    fleet.record(outcome("b", "m", .serverError))
    let transition = fleet.record(outcome("b", "m", .serverError))
    #expect(transition?.to == .open)
    view = fleet.view(at: time.now())
    #expect(view.providers[1].status == .down)
    #expect(view.overall == .down)
    #expect(view.statusLine().contains("1 provider down"))
    #expect(fleet.statusLine(at: time.now()) == view.statusLine())
    #expect(!fleet.allowsProbe(CheckID(provider: "b", model: "m"), at: time.now()))
    time.advance(by: .seconds(31))
    #expect(fleet.allowsProbe(CheckID(provider: "b", model: "m"), at: time.now()))
    #expect(fleet.view(at: time.now()).providers[1].checks[0].circuit == .halfOpen)
    #expect(fleet.entry(CheckID(provider: "b", model: "m"))?.lastError?.result == .serverError)
  }

  @Test func rateLimitedDoesNotCountByDefault() {
    var fleet = FleetHealth(config: config([("a", ["m"])]))
    for _ in 0..<10 { fleet.record(outcome("a", "m", .rateLimited)) }
    fleet.record(outcome("a", "m", .success))
    let check = fleet.view(at: time.now()).providers[0].checks[0]
    #expect(check.circuit == .closed)
    #expect(check.stats.successRatio == 1)
    #expect(fleet.view(at: time.now()).providers[0].status == .healthy)
  }

  @Test func applyKeepsUnchangedChecksAndDropsRemovedOnes() {
    var fleet = FleetHealth(config: config([("a", ["m1", "m2"])]))
    for _ in 0..<3 {
      fleet.record(outcome("a", "m1", .success))
      fleet.record(outcome("a", "m2", .success))
    }
    fleet.apply(config([("a", ["m1", "m3"])]))
    let view = fleet.view(at: time.now())
    #expect(view.providers[0].checks.map(\.id.model) == ["m1", "m3"])
    #expect(view.providers[0].checks[0].stats.total == 3)
    #expect(view.providers[0].checks[1].stats.total == 0)
    #expect(fleet.entry(CheckID(provider: "a", model: "m2")) == nil)
    // Records for a check that no longer exists are ignored.
    #expect(fleet.record(outcome("a", "m2", .serverError)) == nil)
  }

  @Test func snapshotRestoresOnlyKnownChecks() throws {
    var fleet = FleetHealth(config: config([("a", ["m1", "m2"])]))
    fleet.record(outcome("a", "m1", .success))
    fleet.record(outcome("a", "m2", .serverError))
    let bytes = try fleet.snapshot(at: time.now()).encode()

    var restored = FleetHealth(config: config([("a", ["m1"]), ("b", ["x"])]))
    #expect(restored.restore(try HealthSnapshot.decode(bytes)) == 1)
    #expect(restored.view(at: time.now()).providers[0].checks[0].stats.total == 1)
  }

  @Test func rateLimitReadingsAreKeptPerResource() {
    var fleet = FleetHealth(config: config([("a", ["m"])]))
    var o = outcome("a", "m", .success)
    o.rateLimits = [
      RateLimitReading(resource: .requests, limit: 100, remaining: 40, resetSeconds: 2),
      RateLimitReading(resource: .tokens, limit: 1000, remaining: 10),
    ]
    fleet.record(o)
    var next = outcome("a", "m", .success)
    next.rateLimits = [RateLimitReading(resource: .requests, limit: 100, remaining: 39)]
    fleet.record(next)
    let readings = fleet.view(at: time.now()).providers[0].checks[0].rateLimits
    #expect(readings.map(\.resource) == [.requests, .tokens])
    #expect(readings[0].remaining == 39)
    #expect(readings[1].remaining == 10)
  }
}
