import AtalayaCore
import AtalayaTestSupport
import Exposition
import Testing

@testable import AtalayaAgent

/// /metrics goes out in pieces: a large fleet's exposition is never held whole, and the
/// pieces put together are the exposition.
@Suite struct MetricsStreamingTests {
  let time = ManualTimeSource()

  func fleet(providers: Int, models: Int) -> FleetHealth {
    let config = AtalayaConfig(
      window: .seconds(600),
      providers: (0..<providers).map { p in
        ProviderConfig(
          name: "provider\(p)", baseURL: "http://127.0.0.1:1/v1",
          checks: (0..<models).map { CheckConfig(model: "model-\($0)", slow: .seconds(2)) })
      })
    var fleet = FleetHealth(config: config)
    for (provider, check) in config.allChecks {
      for latency in [0.05, 0.2, 1.5] {
        fleet.record(
          ProbeOutcome(
            check: check.id(provider: provider.name), result: .success,
            startedAt: time.now(), httpStatus: 200, timings: PhaseTimings(total: latency)))
      }
    }
    return fleet
  }

  func render(_ fleet: FleetHealth, into renderer: inout MetricsRenderer) async -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    renderer.fillRows(fleet, at: time.now())
    await renderer.render(
      reload: ReloadState(successful: true, lastSuccess: time.now()),
      emit: { pieces.append(Array($0)) })
    await renderer.finish(process: nil, emit: { pieces.append(Array($0)) })
    return pieces
  }

  @Test func aLargeFleetGoesOutInBoundedPieces() async {
    let view = fleet(providers: 20, models: 10)
    var renderer = MetricsRenderer()
    let pieces = await render(view, into: &renderer)
    let whole = pieces.flatMap { $0 }
    #expect(whole.count > 8 * MetricsRenderer.pieceSize)
    #expect(pieces.count > 8)
    // A piece is cut between families: at most one piece plus the largest family.
    #expect(pieces.allSatisfy { $0.count < 3 * MetricsRenderer.pieceSize })
    // The buffer kept between scrapes stays at about one piece.
    #expect(renderer.writer.capacity < 4 * MetricsRenderer.pieceSize)
    // Put together, the pieces are one well-formed exposition: every family once, in order.
    let text = String(decoding: whole, as: UTF8.self)
    let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
    #expect(Set(types).count == types.count)
    #expect(text.hasSuffix("\n"))
    #expect(text.contains("atalaya_probe_success{provider=\"provider19\",model=\"model-9\"} 1\n"))
    // A second scrape renders the same bytes from the kept renderer.
    #expect((await render(view, into: &renderer)).flatMap { $0 } == whole)
  }

  /// The kept renderer finds each check's row by its position in the last scrape: after a
  /// reload that reorders, removes and adds checks, it renders what a new renderer renders.
  @Test func aKeptRendererFollowsAReloadThatReordersChecks() async {
    var fleet = fleet(providers: 3, models: 3)
    var kept = MetricsRenderer()
    _ = await render(fleet, into: &kept)
    var config = fleet.config
    config.providers.reverse()
    config.providers[0].checks.reverse()
    config.providers[1].checks.removeFirst()
    config.providers[2].checks.append(CheckConfig(model: "model-new", slow: .seconds(2)))
    fleet.apply(config)
    // Each check gets a status of its own, so a row read for the wrong check shows.
    for (n, (provider, check)) in config.allChecks.enumerated() {
      fleet.record(
        ProbeOutcome(
          check: check.id(provider: provider.name), result: .serverError,
          startedAt: time.now(), httpStatus: 500 + n, timings: PhaseTimings(total: 0.1)))
    }
    var fresh = MetricsRenderer()
    let expected = await render(fleet, into: &fresh).flatMap { $0 }
    #expect(await render(fleet, into: &kept).flatMap { $0 } == expected)
    let text = String(decoding: expected, as: UTF8.self)
    // The rows put each check's own values under its labels.
    for (n, (provider, check)) in config.allChecks.enumerated() {
      let line =
        "atalaya_probe_http_status{provider=\"\(provider.name)\",model=\"\(check.model)\"} \(500 + n)\n"
      #expect(text.contains(line), "\(line)")
    }
    #expect(!text.contains(#"provider="provider1",model="model-0""#))
    #expect(text.contains(#"provider="provider0",model="model-new""#))
  }

  /// The uptime families, written from rows read in place, say what the history's view
  /// says: every check and provider, every range, to the last digit.
  @Test func uptimeFamiliesMatchTheHistoryView() async {
    let fleet = fleet(providers: 2, models: 3)
    var history = FleetHistory(config: fleet.config)
    let now = time.now()
    for (n, (provider, check)) in fleet.config.allChecks.enumerated() {
      // A probe an hour over 30 days, then one a minute over the last day; each check fails
      // at its own rate.
      var t = now.seconds - 30 * 86_400
      var k = 0
      while t <= now.seconds {
        history.record(
          ProbeOutcome(
            check: check.id(provider: provider.name),
            result: k % (n + 3) == 0 ? .serverError : .success, startedAt: Timestamp(seconds: t),
            httpStatus: 200, timings: PhaseTimings(total: 0.2)))
        t += t < now.seconds - 86_400 ? 3600 : 60
        k += 1
      }
    }
    var renderer = MetricsRenderer()
    renderer.fillRows(fleet, at: now)
    renderer.fillHistory(history, at: now)
    var bytes: [UInt8] = []
    await renderer.render(
      reload: ReloadState(successful: true, lastSuccess: now), emit: { bytes += $0 })
    await renderer.finish(process: nil, emit: { bytes += $0 })
    var values: [String: Double] = [:]
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    where !line.hasPrefix("#") {
      guard let space = line.lastIndex(of: " ") else { continue }
      values[String(line[..<space])] = Double(line[line.index(after: space)...])
    }
    let view = history.view(at: now)
    var expected = 0
    for (id, ranges) in view.checkUptime {
      for (range, v) in ranges {
        expected += 1
        let key =
          #"atalaya_uptime_ratio{provider="\#(id.provider)",model="\#(id.model)",range="\#(range.rawValue)"}"#
        #expect(values[key] == v, "\(key)")
      }
    }
    for (provider, ranges) in view.providerUptime {
      for (range, v) in ranges {
        expected += 1
        let key =
          #"atalaya_provider_uptime_ratio{provider="\#(provider)",range="\#(range.rawValue)"}"#
        #expect(values[key] == v, "\(key)")
      }
    }
    #expect(expected == 6 * 4 + 2 * 4)
    #expect(values.keys.filter { $0.contains("uptime_ratio{") }.count == expected)
  }

  @Test func aSmallFleetIsOnePiece() async {
    var renderer = MetricsRenderer()
    let pieces = await render(fleet(providers: 1, models: 2), into: &renderer)
    #expect(pieces.count == 1)
  }
}
