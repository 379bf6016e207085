import AtalayaCore
import Testing

@Suite struct HealthCheckHealthTests {
  let breakerConfig = CircuitBreakerConfig(
    failureThreshold: 2, resetTimeout: .seconds(60), successThreshold: 1)

  @Test func rateLimitedMovesTheBreakerOnlyWhenCounted() {
    var health = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    for i in 0..<5 {
      health.record(
        outcome(.rateLimited, at: t0 + .seconds(i)), countRateLimited: false, breaker: breakerConfig
      )
    }
    #expect(health.breaker.state(at: t0 + .seconds(5)) == .closed)
    #expect(health.breaker.consecutiveFailures == 0)
    #expect(health.probes[.rateLimited] == 5)

    var counted = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    counted.record(outcome(.rateLimited, at: t0), countRateLimited: true, breaker: breakerConfig)
    let transition = counted.record(
      outcome(.rateLimited, at: t0 + .seconds(1)), countRateLimited: true, breaker: breakerConfig)
    #expect(transition?.to == .open)
  }

  @Test func everyOtherNonSuccessIsAFailure() {
    for result in ResultClass.allCases where result != .success && result != .rateLimited {
      var health = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
      health.record(outcome(result, at: t0), countRateLimited: false, breaker: breakerConfig)
      #expect(health.breaker.consecutiveFailures == 1, "\(result)")
    }
  }

  @Test func countersTokensAndLastOutcome() {
    var health = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    let usage = TokenUsage(inputTokens: 12, outputTokens: 3, costUSD: 0.0001)
    health.record(
      outcome(.success, at: t0 + .seconds(30), usage: usage), countRateLimited: false,
      breaker: breakerConfig)
    health.record(
      outcome(.success, at: t0 + .seconds(60), usage: usage), countRateLimited: false,
      breaker: breakerConfig)
    // A late outcome (started earlier) is counted but does not replace the last one.
    health.record(
      outcome(.timeout, at: t0 + .seconds(50), latency: 15), countRateLimited: false,
      breaker: breakerConfig)
    #expect(health.probes.byResult == [.success: 2, .timeout: 1])
    #expect(health.probes.total == 3)
    #expect(health.inputTokens == 24)
    #expect(health.outputTokens == 6)
    #expect(abs(health.costUSD - 0.0002) < 1e-12)
    #expect(health.lastProbeAt == t0 + .seconds(60))
    #expect(health.lastOutcome?.result == .success)
    #expect(health.lastSuccessAt == t0 + .seconds(60))
    #expect(health.stats(at: t0 + .seconds(60)).total == 3)
    // Only the two successes are in the duration histogram.
    #expect(health.durations.count == 2)
  }

  @Test func histogramBucketCounts() {
    var histogram = DurationHistogram()
    for v in [0.01, 0.05, 0.050001, 0.3, 1, 1, 7, 119.9, 120, 500, -1, .nan] {
      histogram.observe(v)
    }
    #expect(
      DurationHistogram.upperBounds == [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120])
    // le: 0.05 0.1 0.25 0.5 1 2.5 5 10 20 30 60 120
    #expect(histogram.cumulativeCounts == [2, 3, 3, 4, 6, 6, 6, 7, 7, 7, 7, 9])
    #expect(histogram.count == 10)
    #expect(abs(histogram.sum - 749.310001) < 1e-9)
  }

  @Test func isHealthyFollowsTheStatusRule() {
    var health = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    #expect(health.isHealthy(at: t0, slow: .seconds(2)))  // no data yet
    for i in 0..<19 {
      health.record(
        outcome(.success, at: t0 + .seconds(i), latency: 1), countRateLimited: false,
        breaker: breakerConfig)
    }
    health.record(
      outcome(.serverError, at: t0 + .seconds(19)), countRateLimited: false, breaker: breakerConfig)
    let now = t0 + .seconds(20)
    #expect(health.stats(at: now).successRatio == 0.95)
    #expect(health.isHealthy(at: now, slow: .seconds(2)))
    #expect(!health.isHealthy(at: now, slow: .seconds(0.5)))  // p95 ≈ 1 s > 0.5 s
    #expect(
      !health.isHealthy(at: now, slow: .seconds(2), policy: HealthPolicy(minSuccessRatio: 0.99)))
    health.record(outcome(.serverError, at: now), countRateLimited: false, breaker: breakerConfig)
    #expect(health.breaker.state(at: now) == .open)
    #expect(!health.isHealthy(at: now, slow: .seconds(2)))
    #expect(health.statusInput(at: now, slow: .seconds(2)).circuit == .open)
  }

  @Test func reconfigureKeepsBreakerAndCounters() {
    var health = CheckHealth(windowLength: .seconds(600), breaker: breakerConfig)
    health.record(outcome(.success, at: t0), countRateLimited: false, breaker: breakerConfig)
    health.record(outcome(.timeout, at: t0), countRateLimited: false, breaker: breakerConfig)
    let newBreaker = CircuitBreakerConfig(failureThreshold: 9)
    var same = health
    same.reconfigure(windowLength: .seconds(600), breaker: newBreaker)
    #expect(same.stats(at: t0).total == 2)
    #expect(same.breaker.config == newBreaker)
    health.reconfigure(windowLength: .seconds(300), breaker: newBreaker)
    #expect(health.window.length == .seconds(300))
    #expect(health.stats(at: t0).total == 0)
    #expect(health.probes.total == 2)
    #expect(health.breaker.consecutiveFailures == 1)
  }
}
