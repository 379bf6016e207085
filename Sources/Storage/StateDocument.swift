import AtalayaCore

/// One kind of state file under `state_dir`: its name, its format marker and version,
/// and how its value is decoded.
///
/// Every state file is a JSON object with `"format"` and `"version"` members.
/// ``StateStore`` checks both for every kind (one code path); `decode` sees only files
/// that passed. Files written by older builds are read through `legacyFormats` (a
/// marker that carried the version, e.g. `atalaya-cost-ledger/1`) or `acceptsUnmarked`
/// (a file from before the marker existed); the next save writes the current format.
public struct StateDocument<Value: Sendable>: Sendable {
  /// The file's name in the state directory, e.g. `state.json`.
  public var fileName: String
  /// What the file holds, for log lines ("health state").
  public var what: String
  /// The `format` marker.
  public var format: String
  /// The `version` this build reads and writes.
  public var version: Int
  /// Older markers still read (migrated on the next write).
  public var legacyFormats: [String]
  /// Whether a file with no `format` member is read (written before markers existed).
  public var acceptsUnmarked: Bool
  /// Decodes a file whose marker passed; throws (never traps) on anything else.
  public var decode: @Sendable (_ bytes: [UInt8], _ json: JSONValue) throws -> Value

  public init(
    fileName: String, what: String, format: String, version: Int,
    legacyFormats: [String] = [], acceptsUnmarked: Bool = false,
    decode: @escaping @Sendable (_ bytes: [UInt8], _ json: JSONValue) throws -> Value
  ) {
    self.fileName = fileName
    self.what = what
    self.format = format
    self.version = version
    self.legacyFormats = legacyFormats
    self.acceptsUnmarked = acceptsUnmarked
    self.decode = decode
  }

  /// Why a file is not this document: nil when its marker and version pass.
  public func markerProblem(_ json: JSONValue) -> String? {
    guard case .object = json else { return "not a JSON object" }
    guard let marker = json["format"] else {
      return acceptsUnmarked ? nil : "no \"format\": \"\(format)\" marker"
    }
    guard let text = marker.stringValue else { return "\"format\" is not a string" }
    if legacyFormats.contains(text) { return nil }
    guard text == format else { return "format is \"\(text)\", expected \"\(format)\"" }
    guard let found = json["version"]?.intValue else { return "no \"version\"" }
    guard found == version else {
      return "unsupported version \(found) (this build reads \(version))"
    }
    return nil
  }
}

/// Why a state file could not be used.
public struct StateFileError: Error, Sendable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) { self.description = description }
}
