import AtalayaCore
import AtalayaTestSupport
import Testing

/// Defect: `FleetHealth.policy` decided provider status while the status line and
/// `CheckView.isHealthy` used the default policy, so they could disagree.
@Suite struct FleetHealthPolicyTests {
  let time = ManualTimeSource()

  @Test func statusLineAndCheckHealthUseTheFleetPolicy() {
    let config = AtalayaConfig(
      providers: [
        ProviderConfig(
          name: "a", baseURL: "http://127.0.0.1:1/v1",
          checks: [CheckConfig(model: "m", slow: .seconds(2))])
      ],
      circuitBreaker: CircuitBreakerConfig(
        failureThreshold: 100, resetTimeout: .seconds(30), successThreshold: 1))
    // 0.97 passes the default policy (0.95) but not this one (0.99).
    var fleet = FleetHealth(config: config, policy: HealthPolicy(minSuccessRatio: 0.99))
    let id = CheckID(provider: "a", model: "m")
    for i in 0..<100 {
      fleet.record(
        ProbeOutcome(
          check: id, result: i < 3 ? .serverError : .success, startedAt: time.now(),
          httpStatus: i < 3 ? 500 : 200, timings: PhaseTimings(total: 0.1)))
      time.advance(by: .seconds(1))
    }
    let view = fleet.view(at: time.now())
    #expect(view.providers[0].status == .degraded)
    #expect(view.checks.first?.isHealthy == false)
    #expect(view.statusLine() == "0/1 checks healthy, 1 provider degraded")
    #expect(fleet.statusLine(at: time.now()) == view.statusLine())
  }
}
