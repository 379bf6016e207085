import AtalayaTestSupport
import Testing

@testable import AtalayaCore

/// Tiered uptime buckets on a manual clock: 30 days of probes simulated in milliseconds.
@Suite struct UptimeHistoryTests {
  /// 2027-01-15T00:00:00Z, a UTC midnight (so hour and day tiers start clean).
  let start = Timestamp(seconds: 1_800_000_000 - 8 * 3600)

  /// One probe every 30 s for `days` days; `fails(t)` says which fail.
  func simulate(days: Int, fails: (Timestamp) -> Bool = { _ in false }) -> UptimeHistory {
    var h = UptimeHistory()
    let probes = days * 86_400 / 30
    for i in 0..<probes {
      let t = start + .seconds(i * 30)
      let failed = fails(t)
      h.record(success: !failed, latency: failed ? nil : 0.2 + Double(i % 10) / 100, at: t)
    }
    return h
  }

  @Test func thirtyDaysOfHistoryGiveEveryRange() {
    // Failures: the whole of day 3 (2880 probes), and the last 30 minutes.
    let end = start + .seconds(30 * 86_400)
    let h = simulate(days: 30) { t in
      (t >= start + .seconds(3 * 86_400) && t < start + .seconds(4 * 86_400))
        || t >= end - .seconds(1800)
    }
    let now = end - .seconds(1)
    // 1h: 60 of 120 probes failed.
    #expect(h.uptime(.hour, at: now) == 0.5)
    // 24h: 60 of 2880 failed.
    #expect(h.uptime(.day, at: now) == 1 - 60.0 / 2880)
    // 7d: 60 of 20160 failed.
    #expect(h.uptime(.week, at: now) == 1 - 60.0 / 20160)
    // 30d: 2940 of 86400 failed.
    #expect(h.uptime(.month, at: now) == 1 - 2940.0 / 86400)
    #expect(h.totals(over: .seconds(30 * 86_400), at: now).counted == 86_400)
  }

  @Test func memoryStaysUnder24KiBPerCheck() {
    let h = simulate(days: 30)
    #expect(h.storageBytes <= 24 * 1024, "\(h.storageBytes) bytes")
    #expect(h.storageBytes > 10 * 1024)
  }

  @Test func timeTheAgentWasNotRunningIsNoData() {
    var h = UptimeHistory()
    for i in 0..<120 { h.record(success: true, latency: 0.1, at: start + .seconds(i * 30)) }
    // Down for two days, then back for an hour of failures.
    let back = start + .seconds(2 * 86_400 + 3600)
    for i in 0..<120 { h.record(success: false, latency: nil, at: back + .seconds(i * 30)) }
    let now = back + .seconds(3600)
    #expect(h.uptime(.hour, at: now) == 0)
    // 7d counts only the two hours with probes: 50%, not diluted or failed by the gap.
    #expect(h.uptime(.week, at: now) == 0.5)
    let buckets = h.buckets(.week, at: now)
    #expect(buckets.count == 168)
    #expect(buckets.filter { $0.counted > 0 }.count == 2)
    // An hour without probes reads as no data, not 0%.
    #expect(h.uptime(.hour, at: now + .seconds(7200)) == nil)
  }

  @Test func hourBucketsKeepTheirP95() {
    let h = simulate(days: 2)
    let buckets = h.buckets(.week, at: start + .seconds(2 * 86_400 - 1))
    let full = buckets.filter { $0.counted == 120 }
    #expect(full.count == 48)
    for b in full {
      let p95 = b.p95 ?? 0
      #expect(p95 > 0.27 && p95 < 0.3, "\(p95)")
    }
    let days = h.buckets(.quarter, at: start + .seconds(2 * 86_400 - 1))
    #expect(days.count == 90)
    #expect(days.suffix(2).allSatisfy { $0.counted == 2880 })
  }

  @Test func ninetyDaysAreReadFromTheDayTier() {
    var h = UptimeHistory()
    for day in 0..<100 {
      for k in 0..<10 {
        h.record(
          success: day >= 50 || k < 5, latency: 0.1,
          at: start + .seconds(day * 86_400 + k * 60))
      }
    }
    let now = start + .seconds(100 * 86_400 - 1)
    // Days 10...99 are held: 40 half-failed days and 50 good ones.
    let t = h.totals(over: .seconds(90 * 86_400), at: now)
    #expect(t.counted == 900)
    #expect(t.succeeded == 40 * 5 + 50 * 10)
    // The hour tier holds 30 days.
    #expect(h.totals(over: .seconds(30 * 86_400), at: now).counted == 300)
  }

  @Test func lateAndAbsurdRecordsDoNotBreakTheRing() {
    var h = UptimeHistory()
    h.record(success: true, latency: 0.1, at: start)
    h.record(success: true, latency: 0.1, at: start - .seconds(10 * 86_400))  // older than minutes
    h.record(success: false, latency: nil, at: Timestamp(seconds: .infinity))
    h.record(success: false, latency: nil, at: Timestamp(seconds: -1e300))
    h.record(success: true, latency: .nan, at: Timestamp(seconds: .nan))
    #expect(h.storageBytes < 24 * 1024)
  }

  /// The buckets grow with the time covered: an hour of probes holds about an hour of
  /// buckets (not 90 days of empty ones, nor 64 hours or days), and the ring that forms when it fills reads the
  /// same, compares equal and saves the same as one restored from a file.
  @Test func storageGrowsWithTheTimeCoveredThenIsARing() throws {
    let hour = simulate(days: 0) { _ in false }
    #expect(hour.storageBytes == 0)
    var h = UptimeHistory()
    for i in 0..<120 { h.record(success: i % 7 != 0, latency: 0.3, at: start + .seconds(i * 30)) }
    #expect(h.storageBytes < 1024, "\(h.storageBytes) bytes after an hour")
    let now = start + .seconds(3599)
    #expect(h.uptime(.hour, at: now) == Double(120 - 18) / 120)
    // Two days: the minute tier has wrapped into a ring of exactly 1,440.
    let two = simulate(days: 2) { t in Int(t.seconds) % 900 == 0 }
    #expect(
      (1440 * 2 * 2)...(1440 * 2 * 2 + 64) ~= two.minutes.storageBytes, "a ring of exactly 1,440")
    let later = start + .seconds(2 * 86_400 - 1)
    let restored = try HistorySnapshot.decode(
      HistorySnapshot(
        savedAt: later, checks: [CheckID(provider: "p", model: "m"): two], incidents: IncidentLog()
      )
      .encode())
    let back = try #require(restored.checks.first?.value)
    #expect(back == two)
    #expect(back.uptime(.day, at: later) == two.uptime(.day, at: later))
    #expect(back.buckets(.week, at: later) == two.buckets(.week, at: later))
    // A filling ring saved and restored (as a full ring) equals the original.
    let partial = try HistorySnapshot.decode(
      HistorySnapshot(
        savedAt: now, checks: [CheckID(provider: "p", model: "m"): h], incidents: IncidentLog()
      )
      .encode())
    #expect(partial.checks.first?.value == h)
  }

  /// `totals` sums runs of the arrays or takes the ring's kept sums (all of it, or its
  /// tracked span) less what a span leaves out; it must read what the buckets say, slot by
  /// slot, while a ring fills, once it wraps, after gaps, late records, a clock stepped back
  /// (by more and by less than the ring), a restore, and for spans reaching before or after
  /// the data — on a small ring and on the shapes of the history's minutes and hours.
  @Test(arguments: [(60, 50, 12), (60, 1440, 60), (3600, 720, 168)])
  func totalsAreTheSumOfTheBuckets(bucketSeconds: Int, count: Int, tracked: Int) throws {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    func makeRing() -> BucketRing<UInt16> {
      BucketRing(
        bucketSeconds: Int64(bucketSeconds), count: count, keepsLatency: false,
        trackedSlots: tracked)
    }
    let slot = bucketSeconds
    var ring = makeRing()
    var t = start
    for step in 0..<2_000 {
      // Mostly the next slot or so, sometimes a gap longer than the ring.
      t = t + .seconds(next(20) == 0 ? slot * (1 + next(count * 2)) : 1 + next(slot + slot / 2))
      if next(400) == 0 { t = t - .seconds(slot * (count + 10)) }  // stepped back past the ring
      if next(300) == 0 { t = t - .seconds(slot * next(count)) }  // stepped back within it
      ring.add(success: next(5) != 0, slot: ring.slot(of: t))
      if next(8) == 0 {  // a late record, into an older bucket
        ring.add(success: next(2) == 0, slot: ring.slot(of: t) - Int64(next(count)))
      }
      if next(100) == 0 {
        var restored = makeRing()
        try restored.restore(ring.saved)
        ring = restored
      }
      for _ in 0..<3 {
        let shift = next(4) == 0 ? slot * next(count + 30) : next(6) == 0 ? -slot * next(20) : 0
        let now = t + .seconds(shift)
        let slots = next(2) == 0 ? tracked : 1 + next(count + 20)  // the tracked span, or any
        let buckets = ring.buckets(slots: slots, at: now)
        let expected = (
          buckets.reduce(0) { $0 + $1.counted }, buckets.reduce(0) { $0 + $1.succeeded }
        )
        let got = ring.totals(slots: slots, at: now)
        #expect(got == expected, "step \(step), \(slots) slots at \(now.seconds)")
        if got != expected { return }
      }
    }
  }

  /// A bucket full at 65,535 stops counting; the kept sums stop with it.
  @Test func aSaturatedBucketKeepsTheSumsExact() {
    var ring = BucketRing<UInt16>(
      bucketSeconds: 60, count: 1440, keepsLatency: false, trackedSlots: 60)
    let slot = ring.slot(of: start)
    for _ in 0..<70_000 { ring.add(success: true, slot: slot) }
    ring.add(success: false, slot: slot + 1)
    let now = start + .seconds(60)
    #expect(ring.totals(slots: 60, at: now) == (65_536, 65_535))
    #expect(ring.totals(slots: 1440, at: now) == (65_536, 65_535))
    #expect(ring.totals(slots: 1, at: now) == (1, 0))
  }

  @Test func theHistorySurvivesEncoding() throws {
    let h = simulate(days: 3) { t in Int(t.seconds) % 600 == 0 }
    var log = IncidentLog()
    log.observe(provider: "p", status: .down, unhealthy: ["m"], at: start)
    let snapshot = HistorySnapshot(
      savedAt: start, checks: [CheckID(provider: "p", model: "m"): h], incidents: log)
    let bytes = try snapshot.encode()
    #expect(bytes.count < 40_000, "\(bytes.count) bytes for 3 days of one check")
    let decoded = try HistorySnapshot.decode(bytes)
    #expect(decoded == snapshot)
    let now = start + .seconds(3 * 86_400 - 1)
    #expect(decoded.checks.first?.value.uptime(.day, at: now) == h.uptime(.day, at: now))
  }

  @Test(arguments: [
    #"{"format":"atalaya-health","version":1}"#,
    #"{"format":"atalaya-history","version":2,"savedAt":0,"checks":[],"incidents":{"incidents":[]}}"#,
    #"{"format":"atalaya-history","version":1,"savedAt":0,"checks":[{"check":{"provider":"p","model":"m"},"history":{"minutes":{"counted":"AAAA","succeeded":"AAAA"},"hours":{"counted":"","succeeded":""},"days":{"counted":"","succeeded":""}}}],"incidents":{"incidents":[]}}"#,
  ])
  func foreignOrCorruptFilesAreRefused(_ text: String) {
    #expect(throws: (any Error).self) { try HistorySnapshot.decode(Array(text.utf8)) }
  }
}
