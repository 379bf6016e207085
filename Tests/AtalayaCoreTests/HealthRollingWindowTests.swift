import AtalayaCore
import AtalayaTestSupport
import Testing

@Suite struct HealthRollingWindowTests {
  /// 60 s window of 60 one-second buckets.
  func minuteWindow() -> RollingWindow { RollingWindow(length: .seconds(60), buckets: 60) }

  @Test func countsAndExpiryAsTimeAdvances() {
    let clock = ManualTimeSource(t0)
    var window = minuteWindow()
    for i in 0..<10 {
      window.record(result: i < 8 ? .success : .timeout, latency: 0.5, ttft: nil, at: clock.now())
      clock.advance(by: .seconds(5))
    }
    // Records at t0 … t0+45; now t0+50.
    var stats = window.stats(at: clock.now())
    #expect(stats.total == 10)
    #expect(stats.successes == 8)
    #expect(stats.countsByResult == [.success: 8, .timeout: 2])
    #expect(stats.successRatio == 0.8)
    #expect(abs(stats.errorRate! - 0.2) < 1e-12)

    // At t0+60 the bucket of t0 (start t0) is outside (now − 60, now].
    stats = window.stats(at: t0 + .seconds(60))
    #expect(stats.total == 9)
    // At t0+59.9 it is still inside.
    #expect(window.stats(at: t0 + .seconds(59.9)).total == 10)
    // Two minutes later everything expired.
    stats = window.stats(at: t0 + .seconds(106))
    #expect(stats.total == 0)
    #expect(stats.successRatio == nil)
    #expect(stats.errorRate == nil)
    #expect(stats.p95 == nil)
    #expect(stats.meanLatency == nil)
  }

  @Test func futureRecordsAreNotCountedYet() {
    var window = minuteWindow()
    window.record(result: .success, latency: 1, ttft: nil, at: t0 + .seconds(10))
    #expect(window.stats(at: t0).total == 0)
    #expect(window.stats(at: t0 + .seconds(10)).total == 1)
  }

  @Test func successRatioWithAndWithoutRateLimited() {
    var window = minuteWindow()
    for _ in 0..<6 { window.record(result: .success, latency: 1, ttft: nil, at: t0) }
    for _ in 0..<2 { window.record(result: .rateLimited, latency: 0.1, ttft: nil, at: t0) }
    for _ in 0..<2 { window.record(result: .serverError, latency: 0.1, ttft: nil, at: t0) }
    let excluded = window.stats(at: t0)
    #expect(excluded.total == 10)
    #expect(excluded.countedProbes == 8)
    #expect(excluded.successRatio == 0.75)
    let counted = window.stats(at: t0, countRateLimited: true)
    #expect(counted.countedProbes == 10)
    #expect(counted.successRatio == 0.6)

    var onlyLimited = minuteWindow()
    onlyLimited.record(result: .rateLimited, latency: nil, ttft: nil, at: t0)
    #expect(onlyLimited.stats(at: t0).successRatio == nil)
    #expect(onlyLimited.stats(at: t0, countRateLimited: true).successRatio == 0)
  }

  @Test func latencyQuantilesCoverSuccessfulProbesOnly() {
    var window = minuteWindow()
    for i in 1...100 {
      window.record(
        result: .success, latency: Double(i) / 100, ttft: Double(i) / 1000,
        at: t0 + .seconds(i % 30))
    }
    window.record(result: .timeout, latency: 15, ttft: nil, at: t0)
    window.record(result: .auth, latency: 0.01, ttft: 0.001, at: t0)
    let stats = window.stats(at: t0 + .seconds(30))
    let exact = (1...100).map { Double($0) / 100 }
    for (q, value) in [(0.5, stats.p50), (0.9, stats.p90), (0.95, stats.p95), (0.99, stats.p99)] {
      #expect(relativeError(value!, exactQuantile(exact, q)) <= sketchTolerance)
    }
    #expect(stats.p99! < 1.02)  // the 15 s timeout is not in the sketch
    #expect(abs(stats.latency.sum - 50.5) < 1e-9)
    #expect(abs(stats.meanLatency! - 0.505) / 0.505 <= sketchTolerance)
    #expect(
      relativeError(stats.ttftP95!, exactQuantile(exact.map { $0 / 10 }, 0.95)) <= sketchTolerance)
    #expect(stats.latency.count == 100)
    #expect(
      (0..<4).map { stats.latency.quantile(at: $0) } == [
        stats.p50, stats.p90, stats.p95, stats.p99,
      ])
    #expect(stats.latency.quantile(at: 4) == nil)
  }

  @Test func bucketsAreReusedAfterLongGaps() {
    var window = minuteWindow()
    for i in 0..<60 {
      window.record(result: .timeout, latency: nil, ttft: nil, at: t0 + .seconds(i))
    }
    #expect(window.stats(at: t0 + .seconds(59)).total == 60)
    // Exactly one lap later: every ring position maps to the same slot index again.
    let later = t0 + .seconds(3_600)
    window.record(result: .success, latency: 2, ttft: nil, at: later)
    let stats = window.stats(at: later)
    #expect(stats.countsByResult == [.success: 1])
    #expect(stats.p50.map { relativeError($0, 2) <= sketchTolerance } == true)
    // Half a lap after that, the new record is still there and no stale data came back.
    #expect(window.stats(at: later + .seconds(30)).countsByResult == [.success: 1])
  }

  @Test func recordsOlderThanTheWindowAreIgnored() {
    var window = minuteWindow()
    window.record(result: .success, latency: 1, ttft: nil, at: t0 + .seconds(100))
    // 60 s older than the newest record: ignored.
    window.record(result: .timeout, latency: nil, ttft: nil, at: t0 + .seconds(40))
    // Late but inside the window: kept.
    window.record(result: .dns, latency: nil, ttft: nil, at: t0 + .seconds(70))
    let stats = window.stats(at: t0 + .seconds(100))
    #expect(stats.countsByResult == [.success: 1, .dns: 1])
  }

  @Test func aClockSteppedFarBackStartsAfresh() {
    var window = minuteWindow()
    window.record(result: .success, latency: 1, ttft: nil, at: t0 + .seconds(3_600))
    window.record(result: .timeout, latency: nil, ttft: nil, at: t0)
    #expect(window.stats(at: t0).countsByResult == [.timeout: 1])
    #expect(window.stats(at: t0 + .seconds(3_600)).total == 0)
  }

  @Test func unrepresentableTimesAreIgnored() {
    var window = minuteWindow()
    window.record(result: .success, latency: 1, ttft: nil, at: Timestamp(seconds: .nan))
    window.record(result: .success, latency: 1, ttft: nil, at: Timestamp(seconds: .infinity))
    #expect(window.stats(at: t0).total == 0)
    #expect(window.stats(at: Timestamp(seconds: .nan)).total == 0)
  }

  @Test func coarseBucketsAlignToAbsoluteTime() {
    var window = RollingWindow(length: .seconds(600), buckets: 60)
    #expect(window.bucketWidth == 10)
    // t0 is a multiple of 10: t0+9.9 shares its bucket, t0+10 starts the next one.
    window.record(result: .success, latency: 1, ttft: nil, at: t0)
    window.record(result: .success, latency: 1, ttft: nil, at: t0 + .seconds(9.9))
    window.record(result: .success, latency: 1, ttft: nil, at: t0 + .seconds(10))
    #expect(window.stats(at: t0 + .seconds(599)).total == 3)
    #expect(window.stats(at: t0 + .seconds(600)).total == 1)
    #expect(window.stats(at: t0 + .seconds(610)).total == 0)
  }

  @Test func resizedKeepsOrResets() {
    var window = minuteWindow()
    window.record(result: .success, latency: 1, ttft: nil, at: t0)
    #expect(window.resized(length: .seconds(60)) == window)
    let other = window.resized(length: .seconds(120))
    #expect(other.length == .seconds(120))
    #expect(other.stats(at: t0).total == 0)
    #expect(window.resized(length: .seconds(60), buckets: 30).stats(at: t0).total == 0)
  }
}
