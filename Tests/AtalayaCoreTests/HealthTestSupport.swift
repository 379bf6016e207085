import AtalayaCore

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
