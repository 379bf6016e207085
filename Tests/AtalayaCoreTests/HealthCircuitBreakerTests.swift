import AtalayaCore
import AtalayaTestSupport
import Testing

@Suite struct HealthCircuitBreakerTests {
  let config = CircuitBreakerConfig(
    failureThreshold: 3, resetTimeout: .seconds(60), successThreshold: 2)

  @Test func fullLifecycle() {
    let clock = ManualTimeSource(t0)
    var breaker = CircuitBreaker(config: config)
    #expect(breaker.state(at: clock.now()) == .closed)
    #expect(breaker.allowsProbe(at: clock.now()))

    // Two failures stay closed, the third opens.
    #expect(breaker.record(success: false, at: clock.now()) == nil)
    #expect(breaker.record(success: false, at: clock.now()) == nil)
    #expect(breaker.consecutiveFailures == 2)
    clock.advance(by: .seconds(1))
    let opened = breaker.record(success: false, at: clock.now())
    #expect(
      opened
        == CircuitBreaker.Transition(
          from: .closed, to: .open, at: t0 + .seconds(1), reason: .consecutiveFailures,
          retryAt: t0 + .seconds(61)))
    #expect(opened?.description == "closed -> open")
    #expect(breaker.openedAt == t0 + .seconds(1))
    #expect(breaker.state(at: clock.now()) == .open)
    #expect(!breaker.allowsProbe(at: clock.now()))
    #expect(breaker.reopensAt(now: clock.now()) == t0 + .seconds(61))

    // Just before the timeout it is still open; at the timeout it is half-open (lazily).
    #expect(breaker.state(at: t0 + .seconds(60.999)) == .open)
    clock.set(t0 + .seconds(61))
    #expect(breaker.state(at: clock.now()) == .halfOpen)
    #expect(breaker.allowsProbe(at: clock.now()))
    #expect(breaker.reopensAt(now: clock.now()) == nil)

    // One success is not enough, the second closes.
    #expect(breaker.record(success: true, at: clock.now()) == nil)
    #expect(breaker.state(at: clock.now()) == .halfOpen)
    clock.advance(by: .seconds(30))
    #expect(
      breaker.record(success: true, at: clock.now())
        == CircuitBreaker.Transition(from: .halfOpen, to: .closed, at: t0 + .seconds(91)))
    #expect(breaker.state(at: clock.now()) == .closed)
    #expect(breaker.openedAt == nil)
    #expect(breaker.consecutiveFailures == 0)
  }

  @Test func failureInHalfOpenReopensAndRestartsTheTimer() {
    var breaker = CircuitBreaker(config: config)
    for _ in 0..<3 { breaker.record(success: false, at: t0) }
    let probeTime = t0 + .seconds(70)
    #expect(breaker.state(at: probeTime) == .halfOpen)
    breaker.record(success: true, at: probeTime)  // one trial success…
    let reopened = breaker.record(success: false, at: probeTime + .seconds(5))  // …then a failure
    #expect(
      reopened
        == CircuitBreaker.Transition(
          from: .halfOpen, to: .open, at: t0 + .seconds(75), reason: .consecutiveFailures,
          retryAt: t0 + .seconds(135)))
    #expect(breaker.openedAt == t0 + .seconds(75))
    #expect(breaker.state(at: t0 + .seconds(134)) == .open)
    #expect(breaker.state(at: t0 + .seconds(135)) == .halfOpen)
    // The successes before the failure do not count towards closing.
    #expect(breaker.record(success: true, at: t0 + .seconds(135)) == nil)
    #expect(breaker.record(success: true, at: t0 + .seconds(136))?.to == .closed)
  }

  @Test func aSuccessResetsTheFailureStreak() {
    var breaker = CircuitBreaker(config: config)
    breaker.record(success: false, at: t0)
    breaker.record(success: false, at: t0)
    breaker.record(success: true, at: t0)
    #expect(breaker.consecutiveFailures == 0)
    breaker.record(success: false, at: t0)
    breaker.record(success: false, at: t0)
    #expect(breaker.state(at: t0) == .closed)
    #expect(breaker.record(success: false, at: t0)?.to == .open)
  }

  @Test func resultsWhileOpenDoNotMoveTheTimer() {
    var breaker = CircuitBreaker(config: config)
    for _ in 0..<3 { breaker.record(success: false, at: t0) }
    #expect(breaker.record(success: false, at: t0 + .seconds(10)) == nil)
    #expect(breaker.consecutiveFailures == 4)
    #expect(breaker.openedAt == t0)
    #expect(breaker.record(success: true, at: t0 + .seconds(20)) == nil)
    #expect(breaker.consecutiveFailures == 0)
    #expect(breaker.state(at: t0 + .seconds(59)) == .open)
    #expect(breaker.state(at: t0 + .seconds(60)) == .halfOpen)
  }

  @Test func thresholdsOfOneAndBelow() {
    var breaker = CircuitBreaker(
      config: CircuitBreakerConfig(failureThreshold: 0, resetTimeout: .zero, successThreshold: -1))
    #expect(breaker.record(success: false, at: t0)?.to == .open)
    // A zero timeout is half-open at once; one success closes.
    #expect(breaker.state(at: t0) == .halfOpen)
    #expect(
      breaker.record(success: true, at: t0)
        == CircuitBreaker.Transition(from: .halfOpen, to: .closed, at: t0))
  }

  @Test func aClockSteppedBackBeforeOpenedAtLetsProbesThrough() {
    var breaker = CircuitBreaker(config: config)
    for _ in 0..<3 { breaker.record(success: false, at: t0) }
    #expect(breaker.state(at: t0 - .seconds(3_600)) == .halfOpen)
  }

  @Test func stateRawValues() {
    #expect(CircuitState.allCases.map(\.rawValue) == ["closed", "open", "half_open"])
  }
}
