#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The persisted history (`history.json`): every check's uptime buckets and the incident
/// log. JSON: `{"format": "atalaya-history", "version": 1, "savedAt": t, "checks":
/// [{"check": {"provider", "model"}, "history": …}], "incidents": {…}}`; bucket arrays
/// are base64 of little-endian integers (a check's 30 days are ~20 KB of text).
public struct HistorySnapshot: Sendable, Equatable {
  public static let format = "atalaya-history"
  public static let currentVersion = 1

  public var savedAt: Timestamp
  public var checks: [CheckID: UptimeHistory]
  public var incidents: IncidentLog

  public init(savedAt: Timestamp, checks: [CheckID: UptimeHistory], incidents: IncidentLog) {
    self.savedAt = savedAt
    self.checks = checks
    self.incidents = incidents
  }

  public func encode() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
    return Array(try encoder.encode(self))
  }

  /// Parses snapshot bytes; throws for anything that is not a version-1 history file.
  public static func decode(_ bytes: [UInt8]) throws -> HistorySnapshot {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
    return try decoder.decode(HistorySnapshot.self, from: Data(bytes))
  }
}

/// The file's problems, for the log line that sets it aside.
public enum HistorySnapshotError: Error, CustomStringConvertible {
  case foreign
  case unsupportedVersion(Int)
  case corrupt(String)

  public var description: String {
    switch self {
    case .foreign: "not an atalaya history file"
    case .unsupportedVersion(let v): "unsupported version \(v)"
    case .corrupt(let why): "corrupt: \(why)"
    }
  }
}

extension HistorySnapshot: Codable {
  private enum CodingKeys: String, CodingKey { case format, version, savedAt, checks, incidents }
  private struct Entry: Codable {
    var check: CheckID
    var history: UptimeHistory
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    guard try c.decodeIfPresent(String.self, forKey: .format) == Self.format else {
      throw HistorySnapshotError.foreign
    }
    let version = try c.decode(Int.self, forKey: .version)
    guard version == Self.currentVersion else {
      throw HistorySnapshotError.unsupportedVersion(version)
    }
    savedAt = try c.decode(Timestamp.self, forKey: .savedAt)
    var checks: [CheckID: UptimeHistory] = [:]
    for e in try c.decode([Entry].self, forKey: .checks) { checks[e.check] = e.history }
    self.checks = checks
    incidents = try c.decode(IncidentLog.self, forKey: .incidents)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(Self.format, forKey: .format)
    try c.encode(Self.currentVersion, forKey: .version)
    try c.encode(savedAt, forKey: .savedAt)
    try c.encode(
      checks.sorted { $0.key < $1.key }.map { Entry(check: $0.key, history: $0.value) },
      forKey: .checks)
    try c.encode(incidents, forKey: .incidents)
  }
}

extension UptimeHistory: Codable {
  private enum CodingKeys: String, CodingKey { case minutes, hours, days, hourSketch, daySketch }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init()
    try minutes.restore(c.decode(BucketRing<UInt16>.Saved.self, forKey: .minutes))
    try hours.restore(c.decode(BucketRing<UInt32>.Saved.self, forKey: .hours))
    try days.restore(c.decode(BucketRing<UInt32>.Saved.self, forKey: .days))
    if let hour = try c.decodeIfPresent(LatencySketch.self, forKey: .hourSketch) {
      hourSketch.set(hour, at: 0)
    }
    if let day = try c.decodeIfPresent(LatencySketch.self, forKey: .daySketch) {
      daySketch.set(day, at: 0)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(minutes.saved, forKey: .minutes)
    try c.encode(hours.saved, forKey: .hours)
    try c.encode(days.saved, forKey: .days)
    try c.encode(hourSketch.sketch(at: 0), forKey: .hourSketch)
    try c.encode(daySketch.sketch(at: 0), forKey: .daySketch)
  }
}

extension BucketRing {
  /// The ring as saved: the latest slot and base64 of the little-endian arrays.
  struct Saved: Codable {
    var latest: Int64?
    var counted: String
    var succeeded: String
    var p95: String?
  }

  var saved: Saved {
    let ring = ringArrays
    return Saved(
      latest: latest, counted: Self.base64(ring.counted), succeeded: Self.base64(ring.succeeded),
      p95: keepsLatency ? Self.base64(ring.p95.map(\.bitPattern)) : nil)
  }

  /// Takes saved arrays of this ring's shape; throws for any other shape.
  mutating func restore(_ s: Saved) throws {
    guard let c = Self.integers(s.counted, Count.self, count: count),
      let ok = Self.integers(s.succeeded, Count.self, count: count)
    else { throw HistorySnapshotError.corrupt("bucket arrays of the wrong size") }
    if let latest = s.latest, !(0...(Int64(1e11) / bucketSeconds)).contains(latest) {
      throw HistorySnapshotError.corrupt("bucket slot out of range")
    }
    guard let latest = s.latest else {
      reset()
      return
    }
    counted = c
    succeeded = zip(ok, c).map { Swift.min($0, $1) }
    p95 = []
    if keepsLatency {
      p95 = Array(repeating: .nan, count: count)
      if let text = s.p95, let bits = Self.integers(text, UInt32.self, count: count) {
        p95 = bits.map { Float(bitPattern: $0) }.map { $0.isFinite && $0 >= 0 ? $0 : .nan }
      }
    }
    origin = nil
    self.latest = latest
    recountHeld()
  }

  static func base64<T: FixedWidthInteger>(_ values: [T]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
    for v in values {
      var le = v.littleEndian
      withUnsafeBytes(of: &le) { bytes.append(contentsOf: $0) }
    }
    return Data(bytes).base64EncodedString()
  }

  static func integers<T: FixedWidthInteger>(_ text: String, _: T.Type, count: Int) -> [T]? {
    guard let data = Data(base64Encoded: text), data.count == count * MemoryLayout<T>.size
    else { return nil }
    let bytes = [UInt8](data)
    var out: [T] = []
    out.reserveCapacity(count)
    for i in 0..<count {
      var v: T = 0
      for b in 0..<MemoryLayout<T>.size {
        v |= T(bytes[i * MemoryLayout<T>.size + b]) << (8 * b)
      }
      out.append(v)
    }
    return out
  }
}
