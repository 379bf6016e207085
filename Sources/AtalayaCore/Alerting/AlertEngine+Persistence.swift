#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension AlertEngine {
  /// The `format` marker and `version` of `alerts.json` (files from before the marker
  /// have neither and are read the same way).
  public static let stateFormat = "atalaya-alerts"
  public static let stateVersion = 1

  /// The engine state as JSON (`format`, `version`, then the members in sorted order),
  /// for the state directory.
  public func encodedJSON() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let body = Array(try encoder.encode(self))
    let head = Array("{\"format\":\"\(Self.stateFormat)\",\"version\":\(Self.stateVersion),".utf8)
    // The engine always encodes members, so its object is never `{}`.
    return head + body.dropFirst()
  }

  /// What a restart needs of the engine, without what changes at every evaluation
  /// (values, counters, the evaluation time): `alerts.json` is written when this changes.
  public var durableState: AlertEngine {
    var copy = self
    copy.evaluationsTotal = 0
    copy.evaluationFailuresTotal = 0
    copy.lastEvaluationAt = nil
    for key in copy.instances.keys {
      copy.instances[key]?.value = 0
      copy.instances[key]?.annotations = [:]
    }
    return copy
  }

  /// Restores state written by ``encodedJSON()``. Throws on anything else; never traps.
  public static func decode(json bytes: [UInt8]) throws -> AlertEngine {
    try JSONDecoder().decode(AlertEngine.self, from: Data(bytes))
  }
}
