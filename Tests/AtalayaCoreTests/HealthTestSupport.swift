import AtalayaCore

/// A tiny seeded generator (SplitMix64) so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The exact sample quantile the sketch promises to approximate: rank ⌊q·(n−1)⌋.
func exactQuantile(_ sorted: [Double], _ q: Double) -> Double {
  sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
}

/// Relative error bound of the sketch, with room for floating-point rounding only.
let sketchTolerance = LatencySketch.relativeAccuracy * (1 + 1e-9)

func relativeError(_ estimate: Double, _ exact: Double) -> Double {
  abs(estimate - exact) / exact
}

let t0 = Timestamp(seconds: 1_800_000_000)

func outcome(
  _ result: ResultClass, at time: Timestamp, latency: Double? = 0.5, ttft: Double? = nil,
  usage: TokenUsage? = nil, check: CheckID = CheckID(provider: "p", model: "m")
) -> ProbeOutcome {
  ProbeOutcome(
    check: check, result: result, startedAt: time, httpStatus: result == .success ? 200 : nil,
    timings: latency.map { PhaseTimings(total: $0) }, ttft: ttft, usage: usage)
}
