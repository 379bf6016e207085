import AtalayaCore
import Testing

@Suite struct HealthProviderStatusTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var checks: [CheckStatusInput]
    var expected: ProviderStatus
    var testDescription: String { name }
  }

  static func check(
    _ circuit: CircuitState = .closed, ratio: Double? = nil, p95: Double? = nil, slow: Double = 10
  ) -> CheckStatusInput {
    CheckStatusInput(circuit: circuit, successRatio: ratio, p95: p95, slow: .seconds(slow))
  }

  static let cases: [Case] = [
    Case(name: "no checks: healthy", checks: [], expected: .healthy),
    Case(name: "no data yet: healthy", checks: [check(), check()], expected: .healthy),
    Case(
      name: "all good", checks: [check(ratio: 1, p95: 1), check(ratio: 0.99, p95: 9.9)],
      expected: .healthy),
    Case(
      name: "ratio exactly 0.95 is healthy", checks: [check(ratio: 0.95, p95: 1)],
      expected: .healthy),
    Case(
      name: "ratio below 0.95", checks: [check(ratio: 1), check(ratio: 0.949)], expected: .degraded),
    Case(
      name: "p95 exactly slow is healthy", checks: [check(ratio: 1, p95: 10)], expected: .healthy),
    Case(name: "p95 above slow", checks: [check(ratio: 1, p95: 10.01)], expected: .degraded),
    Case(
      name: "slow is per check", checks: [check(p95: 3, slow: 5), check(p95: 3, slow: 2)],
      expected: .degraded),
    Case(name: "one circuit open", checks: [check(.open), check(ratio: 1)], expected: .degraded),
    Case(
      name: "half-open not yet recovered", checks: [check(.halfOpen), check()], expected: .degraded),
    Case(
      name: "every circuit open: down", checks: [check(.open), check(.open, ratio: 1)],
      expected: .down),
    Case(name: "single open check: down", checks: [check(.open)], expected: .down),
    Case(
      name: "open and half-open: still down until a circuit closes",
      checks: [check(.open), check(.halfOpen)], expected: .down),
  ]

  @Test(arguments: cases)
  func evaluate(_ testCase: Case) {
    #expect(ProviderStatus.evaluate(checks: testCase.checks) == testCase.expected)
  }

  @Test func perCheckRuleAndPolicy() {
    #expect(Self.check(ratio: 0.95).isHealthy())
    #expect(!Self.check(ratio: 0.95).isHealthy(policy: HealthPolicy(minSuccessRatio: 0.96)))
    #expect(!Self.check(.halfOpen).isHealthy())
    #expect(HealthPolicy().minSuccessRatio == 0.95)
    #expect(
      ProviderStatus.evaluate(
        checks: [Self.check(ratio: 0.9)], policy: HealthPolicy(minSuccessRatio: 0.8))
        == .healthy)
  }

  @Test func rawValues() {
    #expect(ProviderStatus.allCases.map(\.rawValue) == ["healthy", "degraded", "down"])
  }
}
