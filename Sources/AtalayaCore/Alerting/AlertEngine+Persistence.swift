#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension AlertEngine {
  /// The engine state as JSON (sorted keys), for the state directory.
  public func encodedJSON() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(self))
  }

  /// Restores state written by ``encodedJSON()``. Throws on anything else; never traps.
  public static func decode(json bytes: [UInt8]) throws -> AlertEngine {
    try JSONDecoder().decode(AlertEngine.self, from: Data(bytes))
  }
}
