#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The persisted health state of every check, saved to the state directory and restored
/// on start. JSON: `{"format": "atalaya-health", "version": 1, "savedAt": t,
/// "checks": [{"check": {"provider", "model"}, "health": CheckHealth}]}`.
///
/// Windows are stored with absolute bucket numbers, so a restored window lines up with
/// new records; call ``CheckHealth/reconfigure(windowLength:buckets:breaker:)`` after
/// restoring to apply the current config.
public struct HealthSnapshot: Sendable, Equatable {
  /// The format marker that tells our files from foreign JSON.
  public static let format = "atalaya-health"
  /// The only version this build reads and writes.
  public static let currentVersion = 1

  public var version: Int
  /// When the snapshot was taken.
  public var savedAt: Timestamp
  public var checks: [CheckID: CheckHealth]

  public init(savedAt: Timestamp, checks: [CheckID: CheckHealth]) {
    version = Self.currentVersion
    self.savedAt = savedAt
    self.checks = checks
  }

  /// The same state with every counter at zero: after an unclean stop the snapshot is
  /// older than what Prometheus last scraped, and restored counters would go backwards
  /// (read as a reset, so `increase()` would count their whole value again).
  public func withCountersReset() -> HealthSnapshot {
    var copy = self
    for id in copy.checks.keys { copy.checks[id]!.resetCounters() }
    return copy
  }

  /// The JSON bytes of this snapshot (checks sorted by ID).
  public func encode() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
    return Array(try encoder.encode(self))
  }

  /// Parses snapshot bytes. Throws ``HealthSnapshotError`` for anything that is not a
  /// valid version-1 atalaya health snapshot; never traps.
  public static func decode(_ bytes: [UInt8]) throws -> HealthSnapshot {
    guard !bytes.isEmpty else { throw HealthSnapshotError.corrupt("empty file") }
    let data = Data(bytes)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
    let header: Header
    do {
      header = try decoder.decode(Header.self, from: data)
    } catch let error as DecodingError {
      if case .typeMismatch = error {
        throw HealthSnapshotError.foreign("unexpected JSON structure")
      }
      throw HealthSnapshotError.corrupt("not valid JSON: \(error.reason)")
    } catch {
      throw HealthSnapshotError.corrupt("not valid JSON: \(error)")
    }
    guard header.format == format else {
      throw HealthSnapshotError.foreign("no \"format\": \"\(format)\" marker")
    }
    guard header.version == currentVersion else {
      throw HealthSnapshotError.unsupportedVersion(header.version)
    }
    do {
      return try decoder.decode(HealthSnapshot.self, from: data)
    } catch let error as HealthSnapshotError {
      throw error
    } catch let error as DecodingError {
      throw HealthSnapshotError.corrupt(error.reason)
    } catch {
      throw HealthSnapshotError.corrupt("\(error)")
    }
  }

  private struct Header: Decodable {
    var format: String?
    var version: Int?
  }
}

/// Why a snapshot file could not be read.
public enum HealthSnapshotError: Error, Equatable, CustomStringConvertible {
  /// Valid JSON, but not an atalaya health snapshot.
  case foreign(String)
  /// An atalaya health snapshot of a version this build does not read (nil: no version).
  case unsupportedVersion(Int?)
  /// Truncated, malformed or inconsistent content.
  case corrupt(String)

  public var description: String {
    switch self {
    case .foreign(let reason): "not an atalaya health snapshot: \(reason)"
    case .unsupportedVersion(let v?):
      "unsupported health snapshot version \(v) (expected \(HealthSnapshot.currentVersion))"
    case .unsupportedVersion(nil): "health snapshot has no version"
    case .corrupt(let reason): "corrupt health snapshot: \(reason)"
    }
  }
}

extension HealthSnapshot: Codable {
  private enum CodingKeys: String, CodingKey {
    case format, version, savedAt, checks
  }

  private struct Entry: Codable {
    var check: CheckID
    var health: CheckHealth
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let format = try container.decode(String.self, forKey: .format)
    guard format == Self.format else {
      throw HealthSnapshotError.foreign("format is \"\(format)\"")
    }
    version = try container.decode(Int.self, forKey: .version)
    guard version == Self.currentVersion else {
      throw HealthSnapshotError.unsupportedVersion(version)
    }
    savedAt = try container.decode(Timestamp.self, forKey: .savedAt)
    var checks: [CheckID: CheckHealth] = [:]
    for entry in try container.decode([Entry].self, forKey: .checks) {
      guard checks.updateValue(entry.health, forKey: entry.check) == nil else {
        throw HealthSnapshotError.corrupt("check \(entry.check) appears twice")
      }
    }
    self.checks = checks
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Self.format, forKey: .format)
    try container.encode(version, forKey: .version)
    try container.encode(savedAt, forKey: .savedAt)
    let entries = checks.sorted { $0.key < $1.key }.map { Entry(check: $0.key, health: $0.value) }
    try container.encode(entries, forKey: .checks)
  }
}

extension DecodingError {
  /// A one-line reason with the coding path, for ``HealthSnapshotError/corrupt(_:)``.
  fileprivate var reason: String {
    let (context, what): (DecodingError.Context?, String?) =
      switch self {
      case .dataCorrupted(let c): (c, nil)
      case .keyNotFound(let key, let c): (c, "missing key \"\(key.stringValue)\"")
      case .typeMismatch(_, let c): (c, nil)
      case .valueNotFound(_, let c): (c, nil)
      @unknown default: (nil, "\(self)")
      }
    guard let context else { return what ?? "undecodable" }
    let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(
      separator: ".")
    return (what ?? context.debugDescription) + (path.isEmpty ? "" : " (at \(path))")
  }
}
