import AtalayaCore
import Exposition

extension MetricsRenderer {
  /// What the per-check families read of one check, taken out of its ``CheckView`` once per
  /// scrape. The families walk the checks a dozen times; walking the views themselves copied
  /// each one every time, retaining and releasing the dozens of references a view holds. A
  /// row is kept per check between scrapes (with its label set) and updated in place, so a
  /// steady-state scrape allocates none.
  ///
  /// `@unchecked Sendable`: rows are only touched by the renderer that owns them, and a
  /// renderer is used by one scrape at a time (``AgentPresenter`` takes it out of its lock).
  final class CheckRow: @unchecked Sendable {
    /// `provider="…",model="…"`, rendered once per check.
    let labels: LabelSet
    let id: CheckID
    /// The last probe's result, HTTP status (0: no response), phase timings and TTFT.
    var last: (success: Bool, httpStatus: Int, timings: PhaseTimings?, ttft: Double?)?
    /// The duration histogram's per-bucket counts, sum and count (copied into the row's own
    /// array: holding the histogram's would make the next probe copy it).
    var bucketCounts: [UInt64]
    var durationSum: Double = 0
    var durationCount: UInt64 = 0
    /// Probes by result, in `ResultClass.allCases` order (the row's own array, likewise).
    var probes: [UInt64]
    var successRatio: Double?
    /// The window's latency at ``LatencySummary/quantiles``.
    var quantiles: (Double?, Double?, Double?, Double?)
    var circuit: CircuitState
    var openReason: CircuitOpenReason?
    var nextProbeAt: Timestamp?
    var listedModels: [(model: String, listed: Bool)]
    var rateLimits: [RateLimitReading]
    /// Tokens used by a chat check's probes (nil for other kinds).
    var tokens: (input: UInt64, output: UInt64)?

    init(_ c: CheckView, at now: Timestamp) {
      id = c.id
      labels = LabelSet(
        names: MetricsRenderer.checkLabelNames, values: [c.id.provider, c.id.model])
      last = nil
      bucketCounts = []
      probes = Array(repeating: 0, count: ResultClass.allCases.count)
      circuit = .closed
      listedModels = []
      rateLimits = []
      update(c, at: now)
    }

    /// Takes this scrape's values from `c` (the same check).
    func update(_ c: CheckView, at now: Timestamp) {
      let health = c.health
      last = health.lastOutcome.map {
        ($0.result.isSuccess, $0.httpStatus ?? 0, $0.timings, $0.ttft)
      }
      let durations = health.durations
      if bucketCounts.count == durations.bucketCounts.count {
        for (index, n) in durations.bucketCounts.enumerated() { bucketCounts[index] = n }
      } else {
        bucketCounts = durations.bucketCounts.map { $0 }  // a buffer of its own
      }
      durationSum = durations.sum
      durationCount = durations.count
      for (index, result) in ResultClass.allCases.enumerated() {
        probes[index] = health.probes[result]
      }
      let stats = c.stats
      successRatio = stats.successRatio
      quantiles = (stats.p50, stats.p90, stats.p95, stats.p99)
      circuit = c.circuit
      openReason = health.breaker.reason
      nextProbeAt = health.breaker.nextProbeAt(now: now)
      listedModels = c.listedModels
      rateLimits = c.rateLimits
      tokens = c.check.kind == .chat ? (health.inputTokens, health.outputTokens) : nil
    }

    /// Drops what the row holds of the view's arrays once the scrape is written.
    func clearViewData() {
      listedModels = []
      rateLimits = []
    }

    /// The window's latency at the `index`th of ``LatencySummary/quantiles``.
    func quantile(_ index: Int) -> Double? {
      switch index {
      case 0: quantiles.0
      case 1: quantiles.1
      case 2: quantiles.2
      default: quantiles.3
      }
    }
  }

  /// Fills ``rows`` from `view`, one per check in view order: the check's kept row updated,
  /// or a new one the first time a check is seen. Rows of checks a reload removed are dropped.
  mutating func fillRows(_ view: FleetView) {
    // The last scrape's order is normally this one's: a check's row is found at its
    // position, and the dictionary is looked up (two strings hashed) only when it is not.
    swap(&rows, &previousRows)
    rows.removeAll(keepingCapacity: true)
    defer { previousRows.removeAll(keepingCapacity: true) }
    for c in view.checks {
      let position = rows.count
      if position < previousRows.count && previousRows[position].id == c.id {
        let row = previousRows[position]
        row.update(c, at: view.at)
        rows.append(row)
      } else if let row = checkRows[c.id] {
        row.update(c, at: view.at)
        rows.append(row)
      } else {
        let row = CheckRow(c, at: view.at)
        checkRows[c.id] = row
        rows.append(row)
      }
    }
    if checkRows.count > rows.count {
      checkRows = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
  }

  static let checkLabelNames = ["provider", "model"]
}
