import AtalayaCore
import AtalayaTestSupport
import Testing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// FleetHealth.cacheStats: views reuse window stats until the check records again or the
/// window moves to its next bucket, and never show stale numbers.
@Suite struct FleetHealthStatsCacheTests {
  let time = ManualTimeSource()
  let id = CheckID(provider: "a", model: "m")

  func fleet(window: Duration = .seconds(60)) -> FleetHealth {
    FleetHealth(
      config: AtalayaConfig(
        window: window,
        providers: [
          ProviderConfig(
            name: "a", baseURL: "http://127.0.0.1:1/v1", checks: [CheckConfig(model: "m")])
        ]))
  }

  func outcome(_ result: ResultClass, latency: Double = 0.1) -> ProbeOutcome {
    ProbeOutcome(
      check: id, result: result, startedAt: time.now(),
      httpStatus: result == .success ? 200 : 500, timings: PhaseTimings(total: latency))
  }

  func stats(_ fleet: FleetHealth) -> WindowStats? {
    fleet.view(at: time.now()).checks.first?.stats
  }

  /// What the stats are computed afresh, straight from the window.
  func fresh(_ fleet: FleetHealth) -> WindowStats? {
    fleet.entry(id).map { $0.health.window.stats(at: time.now()) }
  }

  @Test func cachedStatsEqualFreshOnesAndFollowRecords() {
    var fleet = fleet()
    for i in 0..<5 { fleet.record(outcome(.success, latency: 0.1 * Double(i + 1))) }
    fleet.cacheStats(at: time.now())
    #expect(stats(fleet) == fresh(fleet))
    #expect(stats(fleet)?.successes == 5)

    // A record changes the window's revision: the next view is not the cached one.
    fleet.record(outcome(.serverError))
    #expect(stats(fleet)?.total == 6)
    #expect(stats(fleet) == fresh(fleet))
    fleet.cacheStats(at: time.now())
    #expect(stats(fleet)?.count(of: .serverError) == 1)
  }

  @Test func cachedStatsExpireWithTheBucket() {
    var fleet = fleet(window: .seconds(60))  // 60 buckets of 1 s
    fleet.record(outcome(.success))
    fleet.cacheStats(at: time.now())
    #expect(stats(fleet)?.total == 1)
    // Past the window, with no record in between: the old bucket has left the window.
    time.advance(by: .seconds(61))
    #expect(stats(fleet)?.total == 0)
    fleet.cacheStats(at: time.now())
    #expect(stats(fleet)?.total == 0)
  }

  @Test func revisionChangesOnRecord() {
    var window = RollingWindow(length: .seconds(60))
    let empty = window.revision
    window.record(result: .success, latency: 0.2, ttft: nil, at: time.now())
    #expect(window.revision != empty)
  }

  /// Revisions are per window (no process-wide counter): a restored window may carry the
  /// revision of the one it replaces, so a restore must drop the cache.
  @Test func restoreNeverServesTheReplacedWindowsStats() {
    var other = fleet()
    other.record(outcome(.serverError))
    let saved = other.snapshot(at: time.now())
    var fleet = fleet()
    fleet.record(outcome(.success))
    fleet.cacheStats(at: time.now())
    #expect(stats(fleet)?.successRatio == 1)
    fleet.restore(saved)
    #expect(stats(fleet)?.successRatio == 0)
  }
}
