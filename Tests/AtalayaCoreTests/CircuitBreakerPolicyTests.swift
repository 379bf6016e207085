import AtalayaCore
import AtalayaTestSupport
import Testing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The breaker's trips and per-class policies, on a manual clock.
@Suite struct CircuitBreakerPolicyTests {
  @Test func errorRateTripOpensOnceEnoughProbesWereCounted() {
    let config = CircuitBreakerConfig(
      failureThreshold: 1000, errorRate: .init(threshold: 0.1, window: 100, minRequests: 10))
    var breaker = CircuitBreaker(config: config)
    let clock = ManualTimeSource(t0)
    // 2 failures in the first 9 probes: 22% but under min_requests, stays closed.
    for i in 0..<9 {
      breaker.record(i < 2 ? .serverError : .success, at: clock.now())
      clock.advance(by: .seconds(1))
    }
    #expect(breaker.state(at: clock.now()) == .closed)
    // The 10th probe makes 2/10 = 20% > 10%: open, for error_rate.
    let opened = breaker.record(.success, at: clock.now())
    #expect(opened?.to == .open)
    #expect(opened?.reason == .errorRate)
    #expect(breaker.reason == .errorRate)
  }

  @Test func errorRateAtTheThresholdStaysClosedAndOldResultsFallOut() {
    let config = CircuitBreakerConfig(
      failureThreshold: 1000, errorRate: .init(threshold: 0.1, window: 20, minRequests: 10))
    var breaker = CircuitBreaker(config: config)
    // 2 failures in 20 = exactly 10%: not above it.
    for i in 0..<20 { breaker.record(i % 10 == 9 ? .timeout : .success, at: t0) }
    #expect(breaker.state(at: t0) == .closed)
    #expect(breaker.recent.count == 20)
    #expect(breaker.recent.failures == 2)
    // 20 more successes push both failures out of the window.
    for _ in 0..<20 { breaker.record(.success, at: t0) }
    #expect(breaker.recent.failures == 0)
    #expect(breaker.recent.count == 20)
  }

  @Test func excludedClassesMoveNothing() {
    var breaker = CircuitBreaker(
      config: CircuitBreakerConfig(failureThreshold: 2, excludedClasses: [.rateLimited, .timeout]))
    for _ in 0..<10 {
      #expect(breaker.record(.rateLimited, at: t0) == nil)
      #expect(breaker.record(.timeout, at: t0) == nil)
    }
    #expect(breaker.state(at: t0) == .closed)
    #expect(breaker.consecutiveFailures == 0)
    #expect(breaker.record(.serverError, at: t0) == nil)
    #expect(breaker.record(.serverError, at: t0)?.reason == .consecutiveFailures)
  }

  @Test func latencyTripOnConsecutiveSlowProbes() {
    let config = CircuitBreakerConfig(
      latency: .init(threshold: .seconds(8), consecutive: 3))
    var breaker = CircuitBreaker(config: config)
    breaker.record(.success, latency: 9, at: t0)
    breaker.record(.success, latency: 9, at: t0)
    breaker.record(.success, latency: 1, at: t0)  // the streak restarts
    breaker.record(.success, latency: 9, at: t0)
    breaker.record(.success, latency: 9, at: t0)
    #expect(breaker.state(at: t0) == .closed)
    let opened = breaker.record(.success, latency: 8.5, at: t0)
    #expect(opened?.reason == .latency)
    #expect(opened?.retryAt == t0 + .seconds(60))
    // A slow trial success reopens; two fast ones close.
    let later = t0 + .seconds(61)
    #expect(breaker.state(at: later) == .halfOpen)
    #expect(breaker.record(.success, latency: 9, at: later)?.reason == .latency)
    let after = later + .seconds(61)
    breaker.record(.success, latency: 1, at: after)
    #expect(breaker.record(.success, latency: 1, at: after)?.to == .closed)
    #expect(breaker.reason == nil)
  }

  @Test func latencyTripOnTheWindowP95() {
    let config = CircuitBreakerConfig(latency: .init(threshold: .seconds(5), minRequests: 10))
    var breaker = CircuitBreaker(config: config)
    // A slow p95 over too few successes does not trip.
    #expect(breaker.record(.success, latency: 9, windowP95: (9, 5), at: t0) == nil)
    #expect(breaker.record(.success, latency: 4, windowP95: (4.9, 20), at: t0) == nil)
    #expect(breaker.record(.success, latency: 9, windowP95: (6, 20), at: t0)?.reason == .latency)
  }

  @Test func halfOpenProbesAllowAFailedTrial() {
    // 2 of 3 trials must succeed.
    let config = CircuitBreakerConfig(
      failureThreshold: 1, resetTimeout: .seconds(10), successThreshold: 2, halfOpenProbes: 3)
    var breaker = CircuitBreaker(config: config)
    breaker.record(.serverError, at: t0)
    let t = t0 + .seconds(10)
    #expect(breaker.state(at: t) == .halfOpen)
    #expect(breaker.record(.serverError, at: t) == nil)  // one failed trial: still half-open
    #expect(breaker.state(at: t) == .halfOpen)
    #expect(breaker.record(.success, at: t) == nil)
    #expect(breaker.record(.success, at: t)?.to == .closed)
    // Again, but two failed trials leave too few to reach 2 successes.
    breaker.record(.serverError, at: t)
    let u = t + .seconds(10)
    breaker.record(.success, at: u)
    #expect(breaker.record(.serverError, at: u) == nil)
    #expect(breaker.record(.serverError, at: u)?.to == .open)
  }

  @Test func aSpentQuotaKeepsTheCircuitOpenUntilTheNamedReset() {
    var breaker = CircuitBreaker(config: CircuitBreakerConfig(failureThreshold: 5))
    let reset = t0 + .seconds(16 * 86_400)  // "You will regain access on …"
    let opened = breaker.record(.quotaExhausted, resumeAt: reset, at: t0)
    #expect(opened?.to == .open)
    #expect(opened?.reason == .quotaExhausted)
    #expect(opened?.retryAt == reset)
    // No probe at any time before the reset, though reset_timeout (60 s) passed long ago.
    for day in 0..<16 {
      let t = t0 + .seconds(day * 86_400 + 3600)
      #expect(!breaker.allowsProbe(at: t), "day \(day)")
      #expect(breaker.nextProbeAt(now: t) == reset)
    }
    #expect(breaker.allowsProbe(at: reset))
    #expect(breaker.state(at: reset) == .halfOpen)
    // Still spent at the trial: open again, this time for quota_recheck (no date given).
    let again = breaker.record(.quotaExhausted, at: reset)
    #expect(again?.retryAt == reset + .seconds(900))
  }

  @Test func aSpentQuotaWithoutAResetIsRecheckedEveryQuotaRecheck() {
    var breaker = CircuitBreaker(config: CircuitBreakerConfig(quotaRecheck: .seconds(1800)))
    breaker.record(.quotaExhausted, at: t0)
    #expect(!breaker.allowsProbe(at: t0 + .seconds(1799)))
    #expect(breaker.allowsProbe(at: t0 + .seconds(1800)))
  }

  @Test func anAbsurdResetIsCapped() {
    var breaker = CircuitBreaker()
    breaker.record(.quotaExhausted, resumeAt: t0 + .seconds(10 * 365 * 86_400), at: t0)
    #expect(breaker.retryAt == t0 + CircuitBreakerConfig.maxQuotaHold)
  }

  @Test func aRefusedKeyIsRecheckedSlowly() {
    var breaker = CircuitBreaker(config: CircuitBreakerConfig(authRecheck: .seconds(300)))
    let opened = breaker.record(.auth, at: t0)
    #expect(opened?.reason == .auth)
    #expect(!breaker.allowsProbe(at: t0 + .seconds(299)))
    #expect(breaker.allowsProbe(at: t0 + .seconds(300)))
  }

  @Test func retryAfterHoldsProbesBackWithoutOpening() {
    var breaker = CircuitBreaker()
    #expect(breaker.record(.rateLimited, resumeAt: t0 + .seconds(45), at: t0) == nil)
    #expect(breaker.state(at: t0) == .closed)
    #expect(!breaker.allowsProbe(at: t0 + .seconds(44)))
    #expect(breaker.nextProbeAt(now: t0 + .seconds(10)) == t0 + .seconds(45))
    #expect(breaker.allowsProbe(at: t0 + .seconds(45)))
    // A Retry-After of a day holds at most an hour.
    breaker.record(.rateLimited, resumeAt: t0 + .seconds(86_400), at: t0)
    #expect(breaker.holdUntil == t0 + CircuitBreakerConfig.maxRetryHold)
    // A success clears the hold.
    breaker.record(.success, at: t0 + .seconds(1))
    #expect(breaker.allowsProbe(at: t0 + .seconds(2)))
  }

  @Test func theStateSurvivesEncodingAndOldFilesStillDecode() throws {
    var breaker = CircuitBreaker(
      config: CircuitBreakerConfig(
        failureThreshold: 100, errorRate: .init(threshold: 0.5, window: 8, minRequests: 8)))
    for i in 0..<7 { breaker.record(i % 2 == 0 ? .timeout : .success, at: t0) }
    breaker.record(.quotaExhausted, resumeAt: t0 + .seconds(1200), at: t0)
    let encoded = try JSONEncoder().encode(breaker)
    var decoded = try JSONDecoder().decode(CircuitBreaker.self, from: encoded)
    decoded.config = breaker.config
    #expect(decoded == breaker)
    #expect(decoded.retryAt == t0 + .seconds(1200))
    // A breaker saved before these fields existed (with its config inside).
    let old = #"""
      {"config":{"failureThreshold":5,"resetTimeout":[60,0],"successThreshold":2},
       "recordedState":"open","consecutiveFailures":5,"consecutiveSuccesses":0,"openedAt":1800000000}
      """#
    let restored = try JSONDecoder().decode(CircuitBreaker.self, from: Data(old.utf8))
    #expect(restored.state(at: t0 + .seconds(59)) == .open)
    #expect(restored.state(at: t0 + .seconds(60)) == .halfOpen)
    #expect(restored.reason == .consecutiveFailures)
  }

  @Test func aTrialIsJudgedByItsOwnLatencyNotTheWindow() {
    var breaker = CircuitBreaker(
      config: CircuitBreakerConfig(successThreshold: 1, latency: .init(threshold: .seconds(5))))
    #expect(breaker.record(.success, latency: 9, windowP95: (9, 20), at: t0)?.reason == .latency)
    // The window p95 is still 9 s, but the trial itself took 0.3 s: it closes.
    let later = t0 + .seconds(60)
    #expect(breaker.record(.success, latency: 0.3, windowP95: (9, 21), at: later)?.to == .closed)
  }

  @Test func aShortRetryAfterDoesNotShortenAQuotaHold() {
    var breaker = CircuitBreaker(config: CircuitBreakerConfig(quotaRecheck: .seconds(900)))
    breaker.record(.quotaExhausted, resumeAt: t0 + .seconds(20), at: t0)
    #expect(breaker.retryAt == t0 + .seconds(900))
  }

  @Test func tamperedCountersAreClampedAndOldOpenCircuitsSayWhen() throws {
    let hostile = #"""
      {"recordedState":"half_open","consecutiveFailures":0,"consecutiveSuccesses":9223372036854775807,
       "trialFailures":9223372036854775807,"openedAt":1800000000}
      """#
    var b = try JSONDecoder().decode(CircuitBreaker.self, from: Data(hostile.utf8))
    b.record(.serverError, at: t0 + .seconds(5))  // no trap
    #expect(b.state(at: t0 + .seconds(5)) == .open)
    let old =
      #"{"recordedState":"open","consecutiveFailures":5,"consecutiveSuccesses":0,"openedAt":1800000000}"#
    let restored = try JSONDecoder().decode(CircuitBreaker.self, from: Data(old.utf8))
    #expect(restored.nextProbeAt(now: t0 + .seconds(10)) == t0 + .seconds(60))
  }
}
