import Testing

@testable import AtalayaCore

@Suite struct ResultOrdinalTests {
  /// The per-result arrays (counters, /metrics rows) are indexed by `ordinal`: it must be
  /// each class's position in `allCases`, which the exposition walks in order.
  @Test func ordinalIsThePositionInAllCases() {
    for (position, result) in ResultClass.allCases.enumerated() {
      #expect(result.ordinal == position, "\(result)")
    }
  }

  @Test func countersReadBackWhatWasCountedPerClass() {
    var counters = ResultCounters()
    for (n, result) in ResultClass.allCases.enumerated() {
      for _ in 0...n { counters.increment(result) }
    }
    for (n, result) in ResultClass.allCases.enumerated() {
      #expect(counters[result] == UInt64(n + 1), "\(result)")
    }
    #expect(counters.total == UInt64((1...ResultClass.allCases.count).reduce(0, +)))
  }
}
