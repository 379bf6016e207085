import Alerting
import AtalayaCore
import HTTPClient
import Testing

@Suite struct RetryPolicyTests {
  let policy = RetryPolicy()

  @Test func backoffDoublesFromOneSecondAndCapsAtFiveMinutes() {
    let waits = (1...12).map { policy.backoff(afterAttempts: $0, random: 0.5).seconds }
    #expect(waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
    #expect(policy.backoff(afterAttempts: 10_000, random: 0.5) == .seconds(300))
    // A tampered outbox: the loop must not spin 9e18 times.
    #expect(policy.backoff(afterAttempts: .max, random: 0.5) == .seconds(300))
  }

  @Test func jitterStaysWithinTwentyPercentAndNeverPassesTheCap() {
    for attempt in 1...9 {
      let base = policy.backoff(afterAttempts: attempt, random: 0.5).seconds
      let low = base * 0.8
      let high = min(base * 1.2, 300)
      #expect(abs(policy.backoff(afterAttempts: attempt, random: 0).seconds - low) < 0.001)
      #expect(abs(policy.backoff(afterAttempts: attempt, random: 0.999_999).seconds - high) < 0.001)
      for r in stride(from: 0.0, to: 1.0, by: 0.05) {
        let wait = policy.backoff(afterAttempts: attempt, random: r).seconds
        #expect(wait >= low - 0.001 && wait <= high + 0.001)
      }
    }
    #expect(policy.backoff(afterAttempts: 20, random: 0.999).seconds <= 300)
    #expect(policy.backoff(afterAttempts: 20, random: 0).seconds == 240)
    // A broken random source cannot break the schedule.
    #expect(policy.backoff(afterAttempts: 1, random: .nan) == .seconds(1))
    #expect(policy.backoff(afterAttempts: 1, random: 7) == .milliseconds(1200))
  }

  @Test func retryAfterIsAFloorCappedAtOneHour() {
    #expect(policy.delay(afterAttempts: 1, retryAfter: 30, random: 0.5) == .seconds(30))
    #expect(policy.delay(afterAttempts: 4, retryAfter: 1, random: 0.5) == .seconds(8))
    #expect(policy.delay(afterAttempts: 1, retryAfter: 86_400, random: 0.5) == .seconds(3600))
    #expect(policy.delay(afterAttempts: 1, retryAfter: nil, random: 0.5) == .seconds(1))
    #expect(policy.delay(afterAttempts: 1, retryAfter: -5, random: 0.5) == .seconds(1))
  }
}

@Suite struct AttemptResultTests {
  func classify(_ status: Int, _ headers: [HTTPHeader] = []) -> AttemptResult {
    AttemptResult.classify(HTTPResponse(status: status, headers: headers), now: t0)
  }

  @Test func statusesMapToDeliveredRetryableOrPermanent() {
    #expect(classify(200) == .delivered)
    #expect(classify(204) == .delivered)
    #expect(classify(500) == .retryable(reason: "HTTP 500", retryAfter: nil))
    #expect(classify(502) == .retryable(reason: "HTTP 502", retryAfter: nil))
    #expect(classify(408) == .retryable(reason: "HTTP 408", retryAfter: nil))
    #expect(classify(429) == .retryable(reason: "HTTP 429", retryAfter: nil))
    for status in [400, 401, 403, 404, 410, 422, 301] {
      #expect(classify(status) == .permanent(reason: "HTTP \(status)"))
    }
    let failed = HTTPResponse(
      error: TransportError(kind: .connect, code: 7, message: "Failed to connect"))
    #expect(
      AttemptResult.classify(failed, now: t0)
        == .retryable(reason: "connect: Failed to connect", retryAfter: nil))
  }

  @Test func retryAfterIsReadOn429And503AsSecondsOrHTTPDate() {
    #expect(
      classify(429, [HTTPHeader(name: "retry-after", value: "7")])
        == .retryable(reason: "HTTP 429", retryAfter: 7))
    // 2027-01-15T08:02:00Z is 120 s after t0.
    #expect(
      classify(503, [HTTPHeader(name: "retry-after", value: "Fri, 15 Jan 2027 08:02:00 GMT")])
        == .retryable(reason: "HTTP 503", retryAfter: 120))
    #expect(
      classify(500, [HTTPHeader(name: "retry-after", value: "7")])
        == .retryable(reason: "HTTP 500", retryAfter: nil))
    #expect(
      classify(429, [HTTPHeader(name: "retry-after", value: "soon")])
        == .retryable(reason: "HTTP 429", retryAfter: nil))
  }
}

@Suite struct DeliveryStateMachineTests {
  let policy = RetryPolicy()
  let maxAge = Duration.seconds(3600)

  func entry(queuedAt: Timestamp = t0) -> OutboxEntry {
    OutboxEntry(notification: notification("e"), nextAttemptAt: queuedAt, firstQueuedAt: queuedAt)
  }

  /// Fails every attempt at the moment it is due; returns the attempt times.
  func attemptTimes(until end: Timestamp, retryAfter: Double? = nil, random: Double = 0.5) -> (
    times: [Double], dropped: DropReason?
  ) {
    var e = entry()
    var now = t0
    var times: [Double] = []
    while now <= end {
      switch DeliveryStateMachine.step(e, now: now, maxAge: maxAge) {
      case .send:
        times.append(now.seconds - t0.seconds)
        let result = AttemptResult.retryable(reason: "HTTP 503", retryAfter: retryAfter)
        guard
          case .retry(let next) = DeliveryStateMachine.after(
            e, result: result, now: now, policy: policy, random: random)
        else {
          Issue.record("expected a retry")
          return (times, nil)
        }
        e = next
      case .wait(let until):
        #expect(until > now)
        now = until
      case .drop(let reason):
        return (times, reason)
      }
    }
    return (times, nil)
  }

  @Test func backoffSequenceOnAFakeClockUntilMaxAge() {
    let (times, dropped) = attemptTimes(until: t0 + .seconds(7200))
    #expect(
      times == [
        0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 811, 1111, 1411, 1711, 2011, 2311, 2611, 2911, 3211,
        3511,
      ])
    #expect(dropped == .expired(age: .seconds(3600)))
  }

  @Test func retryAfterStretchesTheSchedule() {
    let (times, _) = attemptTimes(until: t0 + .seconds(700), retryAfter: 120)
    #expect(times == [0, 120, 240, 360, 480, 600])
  }

  @Test func dueEntrySendsAndWaitingEntryWaitsUntilDueOrExpiry() {
    var e = entry()
    #expect(DeliveryStateMachine.step(e, now: t0, maxAge: maxAge) == .send)
    e.nextAttemptAt = t0 + .seconds(10)
    #expect(
      DeliveryStateMachine.step(e, now: t0 + .seconds(2), maxAge: maxAge)
        == .wait(until: t0 + .seconds(10)))
    e.nextAttemptAt = t0 + .seconds(5000)
    #expect(
      DeliveryStateMachine.step(e, now: t0 + .seconds(2), maxAge: maxAge)
        == .wait(until: t0 + .seconds(3600)))
    #expect(
      DeliveryStateMachine.step(e, now: t0 + .seconds(3600), maxAge: maxAge)
        == .drop(.expired(age: .seconds(3600))))
  }

  @Test func successReportsLatencyFromFirstQueueing() {
    var e = entry()
    e.attempts = 3
    #expect(
      DeliveryStateMachine.after(
        e, result: .delivered, now: t0 + .seconds(42), policy: policy, random: 0.5)
        == .delivered(latency: .seconds(42)))
  }

  @Test func permanentFailureDropsAtOnce() {
    #expect(
      DeliveryStateMachine.after(
        entry(), result: .permanent(reason: "HTTP 404"), now: t0, policy: policy, random: 0.5)
        == .dropped(.permanent(reason: "HTTP 404")))
  }

  @Test func failedAttemptRecordsAttemptsErrorAndJitteredNextTime() {
    guard
      case .retry(let next) = DeliveryStateMachine.after(
        entry(), result: .retryable(reason: "HTTP 503", retryAfter: nil), now: t0 + .seconds(1),
        policy: policy, random: 0)
    else {
      Issue.record("expected a retry")
      return
    }
    #expect(next.attempts == 1)
    #expect(next.lastError == "HTTP 503")
    #expect(next.nextAttemptAt == t0 + .milliseconds(1800))
    #expect(next.firstQueuedAt == t0)
  }
}

@Suite struct AttemptResultRedactionTests {
  @Test func reasonsLoseTheReceiversSecrets() {
    let receiver = ReceiverConfig(
      name: "s", kind: .slack, url: Secret("https://hooks.slack.com/services/T0/B0/SECRETSECRET"),
      bearerToken: Secret("bearer-token-0123456789"))
    let result = AttemptResult.retryable(
      reason:
        "other: POST https://hooks.slack.com/services/T0/B0/SECRETSECRET with bearer-token-0123456789",
      retryAfter: 3)
    guard case .retryable(let reason, let retryAfter) = result.redacted(by: receiver.redactor)
    else {
      Issue.record("kind changed")
      return
    }
    #expect(!reason.contains("SECRETSECRET"))
    #expect(!reason.contains("bearer-token-0123456789"))
    #expect(retryAfter == 3)
  }
}
