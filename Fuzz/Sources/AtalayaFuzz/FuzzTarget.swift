import Alerting
import AtalayaCore
import HTTPClient
import Probing
import Storage

#if canImport(Glibc)
  import Glibc
#endif

/// The parsers of outside input, one libFuzzer target each; `ATALAYA_FUZZ_TARGET`
/// chooses which one this process runs.
enum FuzzTarget: String, CaseIterable {
  /// YAML → config, with `${VAR}` interpolation.
  case config
  /// The JSON parser and its encoder.
  case json
  /// Provider responses (status, headers, body; plain and SSE) through each dialect's
  /// classifier, rate-limit headers and Retry-After.
  case response
  /// POST /api/v1/usage bodies.
  case usage
  /// The four state-file loaders, and what reads their values afterwards.
  case state
  /// Alert rule expressions and annotation templates.
  case expression
  /// Durations, RFC 3339 and HTTP dates.
  case time
  /// POST /api/v1/silences bodies, and `silences.json`.
  case silence

  static let selected: FuzzTarget = {
    let name = getenv("ATALAYA_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      let names = allCases.map(\.rawValue).joined(separator: ", ")
      let message = Array("set ATALAYA_FUZZ_TARGET to one of: \(names)\n".utf8)
      _ = write(2, message, message.count)
      exit(2)
    }
    return target
  }()

  static let now = Timestamp(seconds: 1_800_000_000)

  func run(_ bytes: [UInt8]) {
    switch self {
    case .config: Self.config(bytes)
    case .json: Self.json(bytes)
    case .response: Self.response(bytes)
    case .usage: _ = UsageParser(maxAge: .seconds(600)).parse(bytes, now: Self.now)
    case .state: Self.state(bytes)
    case .expression: Self.expression(bytes)
    case .time: Self.time(bytes)
    case .silence: Self.silence(bytes)
    }
  }

  static func text(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
  }

  static func config(_ bytes: [UInt8]) {
    let environment = ["KEY": "sk-test-0123456789abcdef", "PORT": "9478", "EMPTY": ""]
    guard
      let config = try? ConfigLoader.parse(
        yaml: text(bytes), file: "fuzz.yml", environment: environment)
    else { return }
    // What `atalaya check` and the agent do next with a valid config.
    _ = ConfigSummary(config: config).render()
    _ = config.effectiveAlerting.summaryLines()
    var health = FleetHealth(config: config)
    health.cacheStats(at: now)
    _ = health.view(at: now)
  }

  /// What the silences API does with a body: parse, apply, list, save and read back.
  static func silence(_ bytes: [UInt8]) {
    guard let json = JSONValue.parse(bytes) else { return }
    var book = (try? SilenceBook.decodeState(json))?.book ?? SilenceBook()
    guard let request = try? SilenceRequest.parse(json, at: now) else { return }
    var n = 0
    _ = try? book.upsert(request, at: now) {
      n += 1
      return "id-\(n)"
    }
    _ = book.silences(at: now).map { $0.mutes(["provider": "p", "model": "m"], at: now) }
    _ = book.listJSON(at: now).encoded
    // What is saved reads back the same.
    guard let saved = JSONValue.parse(book.stateJSON()),
      let back = try? SilenceBook.decodeState(saved), back.book == book, back.skipped.isEmpty
    else { fatalError("silences.json did not read back as written") }
  }

  static func json(_ bytes: [UInt8]) {
    guard let value = JSONValue.parse(bytes) else { return }
    _ = JSONValue.parse(Array(value.encoded.utf8))
  }

  /// Byte 0: provider type and stream flag; bytes 1-2: status; then header lines up to a
  /// blank line; the rest is the body.
  static func response(_ bytes: [UInt8]) {
    guard bytes.count >= 3 else { return }
    let types = ProviderType.allCases
    let type = types[Int(bytes[0] >> 1) % types.count]
    let stream = bytes[0] & 1 == 1
    let status = (Int(bytes[1]) << 8 | Int(bytes[2])) % 600
    var rest = bytes[3...]
    var headers: [HTTPHeader] = []
    while let newline = rest.firstIndex(of: 0x0A) {
      let line = rest[rest.startIndex..<newline]
      rest = rest[(newline + 1)...]
      if line.isEmpty { break }
      if let colon = line.firstIndex(of: 0x3A) {
        headers.append(
          HTTPHeader(
            name: text(line[line.startIndex..<colon]), value: text(line[(colon + 1)...])))
      }
    }
    let provider = ProviderConfig(
      name: "p", type: type, baseURL: "http://127.0.0.1:1",
      apiKey: Secret("sk-test-0123456789abcdef"))
    for check in [
      CheckConfig(model: "m", stream: stream),
      CheckConfig(kind: .models, model: CheckID.modelsCheckModel),
    ] {
      let response = HTTPResponse(
        status: status, headers: headers, body: Array(rest),
        chunkArrivals: [(offset: 0, seconds: 0.1), (offset: rest.count / 2, seconds: 0.2)])
      _ = Prober.outcome(
        of: response, provider: provider, check: check, startedAt: now, receivedAt: now)
    }
    if let json = JSONValue.parse(Array(rest)) { _ = AccountInfo.parse(json) }
  }

  /// Byte 0 chooses the file; the rest is its content.
  static func state(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let body = Array(bytes.dropFirst())
    switch first % 4 {
    case 0:
      guard let snapshot = try? StateStore.decode(.health, body) else { return }
      var health = FleetHealth(config: stateConfig)
      _ = health.restore(snapshot)
      health.cacheStats(at: now)
      _ = health.view(at: now).statusLine()
    case 1:
      guard let ledger = try? StateStore.decode(.cost(config: stateConfig), body) else { return }
      _ = ledger.view(at: now)
      _ = ledger.snapshot(at: now).encoded
    case 2:
      guard let engine = try? StateStore.decode(.alerts, body) else { return }
      _ = engine.activeAlerts(at: now)
      _ = engine.alertCounts()
    default:
      _ = try? StateStore.decode(.outbox, body)
    }
  }

  static let stateConfig: AtalayaConfig = {
    var c = AtalayaConfig()
    c.providers = [
      ProviderConfig(
        name: "p", type: .openrouter, baseURL: "http://127.0.0.1:1",
        checks: [CheckConfig(model: "m")])
    ]
    c.cost = CostConfig(budgets: [BudgetConfig(name: "b", limitUSD: 10, period: .day)])
    return c
  }()

  static func expression(_ bytes: [UInt8]) {
    let source = text(bytes)
    if case .failure(let error) = AlertExpression.parse(source) { _ = error.description }
    _ = AlertTemplate.render(
      source, variables: ["provider": "p", "model": "m", "value": "1.5s", "alertname": "A"])
  }

  static func time(_ bytes: [UInt8]) {
    let source = text(bytes)
    if let d = parseDuration(source) { _ = formatDuration(d) }
    if let t = RFC3339.parse(source) { _ = RFC3339.format(t) }
    _ = HTTPDate.parse(source)
    if let d = Double(source) {
      _ = SignalUnit.seconds.format(d)
      _ = Int(saturating: d)
      _ = Timestamp(seconds: d) - now
    }
  }
}

/// libFuzzer's per-input callback (its driver is started from main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  fuzzOne(data, size)
}
