import Testing

@testable import AtalayaCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The window's sketches in one store read back exactly as per-bucket sketches would.
@Suite struct SketchRingTests {
  /// Loopback-like latencies: 0.3 ms to about 1.5 ms, spread over many bins.
  func latency(_ generator: inout SplitMix64) -> Double {
    0.0003 * (1 + Double(generator.next() % 4000) / 1000)
  }

  @Test func positionsReadAsTheSketchesTheirValuesBuild() {
    var generator = SplitMix64(seed: 7)
    var ring = SketchRing(count: 6)
    var expected = Array(repeating: LatencySketch(), count: 6)
    // Several laps: each position is cleared and refilled, in time order, with values that
    // go to the other positions in between.
    for lap in 0..<5 {
      for p in 0..<6 {
        ring.clear(p)
        expected[p] = LatencySketch()
        for _ in 0..<(3 + lap * 7) {
          let value = latency(&generator)
          ring.add(value, at: p)
          expected[p].add(value)
        }
        #expect(ring.sketch(at: p) == expected[p])
      }
    }
    for p in 0..<6 { #expect(ring.sketch(at: p) == expected[p]) }
    var merged = LatencySketch()
    for p in [1, 3, 4] { merged.merge(expected[p]) }
    let together = ring.sketch(of: [1, 3, 4])
    #expect(together.count == merged.count)
    #expect(together.quantile(0.5) == merged.quantile(0.5))
    #expect(together.quantile(0.99) == merged.quantile(0.99))
    #expect(abs(together.sum - merged.sum) < 1e-12)
    // Only live bins are stored: one entry per distinct bin per position.
    let distinct = (0..<6).reduce(0) { $0 + expected[$1].binCount }
    #expect(ring.entries.count == distinct)
  }

  @Test func aRecordForAnOlderBucketMovesItsRunAndKeepsTheOthers() {
    var ring = SketchRing(count: 4)
    var expected = Array(repeating: LatencySketch(), count: 4)
    for (p, value) in [(0, 0.1), (1, 0.2), (2, 0.3), (0, 0.4), (1, 0.1), (3, 2.0), (0, 0.1)] {
      ring.add(value, at: p)
      expected[p].add(value)
    }
    ring.clear(1)
    expected[1] = LatencySketch()
    ring.add(5, at: 2)
    expected[2].add(5)
    for p in 0..<4 { #expect(ring.sketch(at: p) == expected[p]) }
    #expect(ring.entries.count == (0..<4).reduce(0) { $0 + expected[$1].binCount })
  }

  @Test func countsBeyondTheEntryLimitAreKept() {
    var ring = SketchRing(count: 2)
    let n = Int(UInt16.max) + 10
    for _ in 0..<n { ring.add(0.25, at: 1) }
    let sketch = ring.sketch(at: 1)
    #expect(sketch.count == n)
    #expect(sketch.binCount == 1)
    #expect(ring.entries.count == 2)
    #expect(ring.sketch(at: 0).isEmpty)
  }

  /// Issue 14 review: a state file claiming billions of values in a bin made a restored
  /// position split them into 65,535-value entries (65,537 per bin, 4 bytes each).
  @Test func anImplausibleSavedSketchIsScaledDownWhenRestored() throws {
    let json = #"{"idx":[0,5,40],"cnt":[4294967295,4294967295,2147483647],"sum":1e10}"#
    let claimed = try JSONDecoder().decode(LatencySketch.self, from: Data(json.utf8))
    var ring = SketchRing(count: 2)
    ring.set(claimed, at: 0)
    let restored = ring.sketch(at: 0)
    #expect(restored.count <= Int(SketchRing.maxRestoredCount))
    #expect(restored.binCount == 3)
    #expect(ring.entries.count <= 3 + 16)
    for q in [0.1, 0.5, 0.9] { #expect(restored.quantile(q) == claimed.quantile(q)) }
    let mean = try #require(restored.mean)
    #expect(abs(mean - 1e10 / Double(claimed.count)) / mean < 1e-6)
    // A day of a check probed every 100 ms, all in one bin, is kept as it is.
    var day = LatencySketch()
    for _ in 0..<864_000 { day.add(0.25) }
    ring.set(day, at: 1)
    #expect(ring.sketch(at: 1) == day)
  }

  @Test func aSavedSketchIsRestoredExactly() {
    var source = LatencySketch()
    for i in 0..<200 { source.add(0.01 * Double(i % 17 + 1)) }
    for _ in 0..<70_000 { source.add(1.5) }
    var ring = SketchRing(count: 3)
    ring.add(9, at: 2)
    ring.set(source, at: 0)
    #expect(ring.sketch(at: 0) == source)
    ring.set(LatencySketch(), at: 0)
    #expect(ring.sketch(at: 0).isEmpty)
    #expect(ring.sketch(at: 2).count == 1)
  }

  @Test func nothingIsAllocatedBeforeTheFirstValue() {
    var ring = SketchRing(count: 60)
    ring.clear(3)
    ring.add(.nan, at: 3)
    #expect(!ring.isAllocated)
    #expect(ring.sketch(of: 0..<60).isEmpty)
    #expect(ring == SketchRing(count: 60))
  }

  /// Every other bin (the history's hour and day sketches): half the distinct bins, and
  /// quantiles within −1% … +3% of the exact ones, for values below and above 1 s.
  @Test func coarseBinsKeepEveryOtherIndexWithinThreePercent() {
    for scale in [0.0003, 0.002, 0.4, 3.0] {
      var generator = SplitMix64(seed: 11)
      var fine = SketchRing(count: 1)
      var coarse = SketchRing(count: 1, binStep: 2)
      var values: [Double] = []
      for _ in 0..<2000 {
        let v = scale * (1 + Double(generator.next() % 4000) / 1000)
        values.append(v)
        fine.add(v, at: 0)
        coarse.add(v, at: 0)
      }
      values.sort()
      let sketch = coarse.sketch(at: 0)
      #expect(sketch.count == 2000)
      #expect(sketch.bins.allSatisfy { $0.index % 2 == 0 })
      #expect(sketch.binCount * 2 <= fine.sketch(at: 0).binCount + 2)
      for q in [0.5, 0.9, 0.95, 0.99] {
        let exact = values[Int(q * Double(values.count - 1))]
        let got = sketch.quantile(q)!
        #expect(got >= exact * 0.99 - 1e-12 && got <= exact * 1.03 + 1e-12, "q \(q) scale \(scale)")
      }
    }
  }

  /// A ring told how many entries to expect allocates its store once, at that size: filling
  /// every position with as many distinct bins does not grow it.
  @Test func aReserveHintSizesTheStoreOnce() {
    var ring = SketchRing(count: 60)
    ring.reserveHint = 600
    #expect(!ring.isAllocated)
    ring.add(0.001, at: 0)
    let capacity = ring.entries.capacity
    #expect(capacity >= 600)
    var generator = SplitMix64(seed: 3)
    for p in 0..<60 {
      for _ in 0..<10 { ring.add(latency(&generator), at: p) }
    }
    #expect(ring.entries.count <= 600)
    #expect(ring.entries.capacity == capacity)
  }

  /// A check's window is sized from its interval: a full 10-minute window of a check probed
  /// every second fits the store allocated at its first value; one probed every minute gets a
  /// store a sixth of that.
  @Test func aWindowExpectsLatenciesFromTheCheckInterval() {
    var window = RollingWindow(length: .seconds(600))
    window.expectLatencies(every: .seconds(1))
    #expect(window.latencies.reserveHint == 600)
    let start = Timestamp(seconds: 1_000_000)
    window.record(result: .success, latency: 0.001, ttft: nil, at: start)
    let capacity = window.latencies.entries.capacity
    var generator = SplitMix64(seed: 5)
    for i in 1..<600 {
      window.record(
        result: .success, latency: latency(&generator), ttft: nil, at: start + .seconds(i))
    }
    #expect(window.latencies.entries.capacity == capacity)
    var slow = RollingWindow(length: .seconds(600))
    slow.expectLatencies(every: .seconds(60))
    #expect(slow.latencies.reserveHint == 60)
  }
}
