import AtalayaCore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

@Suite struct HealthLatencySketchTests {
  static let quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

  /// Adds `values` and checks every quantile against the exact (clamped) sample quantile.
  func expectAccurate(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    var sketch = LatencySketch()
    for v in values { sketch.add(v) }
    let sorted = values.map { min(max($0, LatencySketch.minValue), LatencySketch.maxValue) }
      .sorted()
    #expect(sketch.count == values.count, sourceLocation: sourceLocation)
    for q in Self.quantiles {
      let exact = exactQuantile(sorted, q)
      let estimate = sketch.quantile(q)!
      #expect(
        relativeError(estimate, exact) <= sketchTolerance,
        "q=\(q) exact=\(exact) estimate=\(estimate)", sourceLocation: sourceLocation)
    }
  }

  @Test func emptySketchHasNoQuantiles() {
    let sketch = LatencySketch()
    #expect(sketch.quantile(0.5) == nil)
    #expect(sketch.mean == nil)
    #expect(sketch.isEmpty)
  }

  @Test func logUniformRandomData() {
    var rng = SplitMix64(seed: 1)
    let values = (0..<20_000).map { _ in pow(10, Double.random(in: -4...3, using: &rng)) }
    expectAccurate(values)
  }

  @Test func typicalLatenciesSmallSamples() {
    var rng = SplitMix64(seed: 2)
    for n in [1, 2, 3, 7, 20, 61] {
      expectAccurate((0..<n).map { _ in Double.random(in: 0.2...3, using: &rng) })
    }
  }

  @Test func binBoundariesAndNeighbours() {
    // Powers of gamma are exactly where bins split: the worst case for rounding.
    let values = (-460...345).flatMap { i -> [Double] in
      let b = pow(LatencySketch.gamma, Double(i))
      return [b.nextDown, b, b.nextUp]
    }
    expectAccurate(values)
  }

  @Test func bimodalAndHeavyTailed() {
    var rng = SplitMix64(seed: 3)
    let bimodal = (0..<5_000).map { i in
      i % 10 == 0 ? 100 + Double.random(in: 0...1, using: &rng) : 0.001
    }
    expectAccurate(bimodal)
    let pareto = (0..<5_000).map { _ in 0.05 / pow(Double.random(in: 0.0001...1, using: &rng), 1.5)
    }
    expectAccurate(pareto)
  }

  @Test func identicalValues() {
    expectAccurate(Array(repeating: 1.2345, count: 1_000))
    var sketch = LatencySketch()
    for _ in 0..<1_000 { sketch.add(1.2345) }
    #expect(sketch.binCount == 1)
    #expect(abs(sketch.mean! - 1.2345) < 1e-9)
  }

  @Test func valuesOutsideTheRangeAreClamped() {
    var sketch = LatencySketch()
    sketch.add(0)
    sketch.add(-3)
    sketch.add(1e-9)
    sketch.add(.infinity)
    sketch.add(5_000)
    sketch.add(.nan)  // ignored
    #expect(sketch.count == 5)
    #expect(relativeError(sketch.quantile(0)!, LatencySketch.minValue) <= sketchTolerance)
    #expect(relativeError(sketch.quantile(1)!, LatencySketch.maxValue) <= sketchTolerance)
    #expect(sketch.sum.isFinite)
    expectAccurate([0, 1e-7, 2e-4, 0.5, 999, 1_000, 1e6])
  }

  @Test func memoryIsProportionalToDistinctBins() {
    var rng = SplitMix64(seed: 4)
    var sketch = LatencySketch()
    for _ in 0..<10_000 { sketch.add(Double.random(in: 0.5...0.6, using: &rng)) }
    // 0.5…0.6 spans log(1.2)/log(γ) ≈ 9.1 bins.
    #expect(sketch.binCount <= 11)
    var wide = LatencySketch()
    for i in 0..<100_000 { wide.add(pow(10, -4 + 7 * Double(i) / 100_000)) }
    #expect(wide.binCount <= 807)
  }

  @Test func mergeEqualsAddingEverything() {
    var rng = SplitMix64(seed: 5)
    let a = (0..<3_000).map { _ in Double.random(in: 0.01...2, using: &rng) }
    let b = (0..<2_000).map { _ in Double.random(in: 1...60, using: &rng) }
    var left = LatencySketch()
    var right = LatencySketch()
    var all = LatencySketch()
    for v in a {
      left.add(v)
      all.add(v)
    }
    for v in b {
      right.add(v)
      all.add(v)
    }
    var merged = left
    merged.merge(right)
    #expect(merged.count == all.count)
    #expect(abs(merged.sum - all.sum) < 1e-6)
    let sorted = (a + b).sorted()
    for q in Self.quantiles {
      #expect(merged.quantile(q) == all.quantile(q))
      #expect(relativeError(merged.quantile(q)!, exactQuantile(sorted, q)) <= sketchTolerance)
    }
    var empty = LatencySketch()
    empty.merge(left)
    #expect(empty == left)
    left.merge(LatencySketch())
    #expect(left.count == a.count)
  }

  @Test func codableRoundTrip() throws {
    var sketch = LatencySketch()
    for v in [0.1, 0.2, 0.2, 7.5, 123.0] { sketch.add(v) }
    let data = try JSONEncoder().encode(sketch)
    #expect(try JSONDecoder().decode(LatencySketch.self, from: data) == sketch)
  }

  @Test(arguments: [
    #"{"idx":[1,2],"cnt":[1],"sum":1}"#,  // length mismatch
    #"{"idx":[2,1],"cnt":[1,1],"sum":1}"#,  // not sorted
    #"{"idx":[1,1],"cnt":[1,1],"sum":1}"#,  // duplicate
    #"{"idx":[30000],"cnt":[1],"sum":1}"#,  // out of range
    #"{"idx":[1],"cnt":[0],"sum":1}"#,  // empty bin
    #"{"idx":[1],"cnt":[1],"sum":-1}"#,  // negative sum
    #"{"idx":[1],"cnt":[-1],"sum":1}"#,  // negative count
  ])
  func corruptSketchesAreRejected(json: String) {
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(LatencySketch.self, from: Data(json.utf8))
    }
  }
}
