// /metrics rendering with 10,000 series (issue 6, target 3):
// - ExpositionWriter_10k: the writer alone, 10,000 `atalaya_probes_total` lines, label values
//   escaped at every render.
// - ExpositionWriter_LabelSets_10k: the same lines with each check's provider/model label set
//   rendered once (as the agent does), the result label written per line.
// - AgentRenderMetrics_10k: the agent's real /metrics path (FleetView + MetricsRenderer +
//   process metrics, streamed in pieces as the route sends them) with as many checks as make
//   about 10,000 series (each with 30 days of history).
// - SwiftPrometheus_10k: swift-prometheus 2.4.1 emitting the same 10,000 series as the first.
// Each iteration is one full render; package-benchmark reports time and mallocs per render.
import AtalayaAgent
import AtalayaCore
import Benchmark
import Exposition
import HTTPClient
import Logging
import Probing
import Prometheus
import Systemd

#if canImport(Glibc)
  import Glibc
#endif

/// The 10,000 label sets shared by the writer and swift-prometheus benchmarks.
struct SeriesFixture {
  var labels: [(provider: String, model: String, result: String)] = []

  init(count: Int = 10_000) {
    let results = ResultClass.allCases.map(\.rawValue)
    var i = 0
    while labels.count < count {
      let check = i / results.count
      labels.append(
        (
          "provider-\(check / 10)", "vendor/model-\(check % 10)-2025-instruct",
          results[i % results.count]
        ))
      i += 1
    }
  }
}

/// Never called: the renderer benchmark feeds outcomes directly.
struct NoTransport: HTTPTransport {
  func send(_ request: HTTPRequest) async -> HTTPResponse {
    fatalError("the benchmark sends no requests")
  }
}

/// An agent with `checks` chat checks, each with three recorded outcomes in its window and
/// 30 days of history behind it (a probe a minute over the last day, one an hour before), as
/// an agent that has run a month: /metrics reads every check's uptime over 1h, 24h, 7d, 30d.
func makeAgent(checks: Int) async throws -> Agent<ContinuousClock> {
  var yaml = "listen: 127.0.0.1:0\nproviders:\n"
  let perProvider = 10
  for p in 0..<(checks + perProvider - 1) / perProvider {
    yaml += "  - name: provider-\(p)\n    base_url: http://127.0.0.1:9/v1\n    api_key: sk-bench\n"
    yaml += "    checks:\n"
    for c in 0..<min(perProvider, checks - p * perProvider) {
      yaml += "      - model: vendor/model-\(c)-2025-instruct\n"
    }
  }
  let config = try ConfigLoader.parse(yaml: yaml, file: "bench.yml", environment: [:])
  let prober = Prober(
    transport: NoTransport(), timeSource: SystemTimeSource(), userAgent: "atalaya-bench")
  let settings = Agent<ContinuousClock>.Settings(
    configSource: { () throws(ConfigErrors) in config }, environment: [:],
    clock: ContinuousClock(), time: SystemTimeSource(), prober: prober, notifier: .silent,
    logger: Logger(label: "bench"))
  let agent = await Agent.make(config: config, settings: settings)
  let now = SystemTimeSource().now()
  for (provider, check) in config.allChecks {
    for n in 0..<3 {
      agent.health.record(
        ProbeOutcome(
          check: check.id(provider: provider.name), result: n == 2 ? .serverError : .success,
          startedAt: now, httpStatus: n == 2 ? 500 : 200,
          timings: PhaseTimings(
            dns: 0.001, connect: 0.002, firstByte: 0.2 + Double(n) * 0.01, total: 0.25),
          usage: TokenUsage(inputTokens: 12, outputTokens: 1)), at: now)
    }
  }
  let day = 86_400.0
  for (provider, check) in config.allChecks {
    let id = check.id(provider: provider.name)
    var t = now.seconds - 30 * day
    while t < now.seconds {
      agent.history.record(
        ProbeOutcome(
          check: id, result: Int(t / 60) % 97 == 0 ? .serverError : .success,
          startedAt: Timestamp(seconds: t), httpStatus: 200,
          timings: PhaseTimings(firstByte: 0.2, total: 0.25)))
      t += t < now.seconds - day ? 3600 : 60
    }
  }
  return agent
}

/// The agent the render benchmark scrapes: made at the benchmark's first run and kept, as
/// the swift-prometheus registry beside it is made once. Every sample then renders an agent
/// scraped before (its renderer's rows and buffer kept), as every scrape but an agent's
/// first. `@unchecked Sendable`: benchmarks run one at a time.
final class AgentFixture: @unchecked Sendable {
  private var made: Agent<ContinuousClock>?

  func agent() async -> Agent<ContinuousClock> {
    if let made { return made }
    let checks = await checksForTenThousandSeries()
    let agent = try! await makeAgent(checks: checks)
    let first = await agent.presenter.renderMetrics()
    let line = "AgentRenderMetrics_10k: \(seriesCount(first)) series of \(checks) checks\n"
    print(line, terminator: "")
    // bench.py reads it here: the benchmark plugin does not pass this process's output on.
    if let path = getenv("BENCH_SERIES_FILE"), let file = fopen(path, "w") {
      fputs(line, file)
      fclose(file)
    }
    made = agent
    return agent
  }
}

/// How many checks make about 10,000 series, the size swift-prometheus renders beside it:
/// the series one more provider of ten checks adds, read from agents of 10 and 20 checks (a
/// family added to /metrics changes the count, not the comparison).
func checksForTenThousandSeries() async -> Int {
  let ten = seriesCount(await (try! await makeAgent(checks: 10)).presenter.renderMetrics())
  let twenty = seriesCount(await (try! await makeAgent(checks: 20)).presenter.renderMetrics())
  let perTen = max(twenty - ten, 1)
  let fixed = ten - perTen
  return max(10, (10 * (10_000 - fixed) + perTen / 2) / perTen)
}

func seriesCount(_ bytes: [UInt8]) -> Int {
  String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.count
}

let benchmarks: @Sendable () -> Void = {
  let quick = getenv("BENCH_MICRO_QUICK") != nil
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, .throughput],
    timeUnits: .microseconds,
    warmupIterations: 3,
    maxDuration: .seconds(quick ? 2 : 5),
    maxIterations: 10_000)

  let fixture = SeriesFixture()

  Benchmark("ExpositionWriter_10k") { benchmark in
    var writer = ExpositionWriter(capacity: 1 << 20)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      writer.reset()
      for (i, l) in fixture.labels.enumerated() {
        writer.sample(Catalogue.probesTotal, l.provider, l.model, l.result, value: Double(i))
      }
      blackHole(writer.count)
    }
  }

  let labelSets = fixture.labels.map {
    LabelSet(names: ["provider", "model"], values: [$0.provider, $0.model])
  }
  Benchmark("ExpositionWriter_LabelSets_10k") { benchmark in
    var writer = ExpositionWriter(capacity: 1 << 20)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      writer.reset()
      for (i, l) in fixture.labels.enumerated() {
        writer.sample(Catalogue.probesTotal, labelSets[i], l.result, value: Double(i))
      }
      blackHole(writer.count)
    }
  }

  // As many checks as make about 10,000 series (``checksForTenThousandSeries``).
  let agentFixture = AgentFixture()
  Benchmark("AgentRenderMetrics_10k") { benchmark async in
    let agent = await agentFixture.agent()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      // The path /metrics serves: the exposition handed out piece by piece as rendered (the
      // route copies each piece into the response); not collected into one array.
      var bytes = 0
      await agent.presenter.streamMetrics { bytes += $0.count }
      blackHole(bytes)
    }
  }

  let registry = PrometheusCollectorRegistry()
  let probesTotal = MetricNameDescriptor(
    namespace: "atalaya", metricName: "probes", unitName: "total",
    helpText: "Probes run, by result class.")
  for (i, l) in fixture.labels.enumerated() {
    registry.makeCounter(
      descriptor: probesTotal,
      labels: [("provider", l.provider), ("model", l.model), ("result", l.result)]
    ).increment(by: Int64(i))
  }
  Benchmark("SwiftPrometheus_10k") { benchmark in
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      buffer.removeAll(keepingCapacity: true)
      registry.emit(into: &buffer)
      blackHole(buffer.count)
    }
  }
}
