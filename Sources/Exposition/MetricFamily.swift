/// One metric family: its name, HELP text, type and fixed label order.
///
/// Counter names include the `_total` suffix: the text format 0.0.4 `# TYPE` line and the
/// sample lines both use the full name (what promtool accepts). The header and label
/// keys are rendered to bytes once, at creation, so writing a sample copies bytes only.
public struct MetricFamily: Sendable, Hashable, CustomStringConvertible {
  /// Everything, behind one reference: copying a family costs one retain.
  let encoded: EncodedFamily

  public var name: String { encoded.metricName }
  public var help: String { encoded.help }
  public var type: MetricType { encoded.type }
  /// Label names in the order every sample of this family writes them.
  public var labelNames: [String] { encoded.labelNames }
  /// Histogram bucket upper bounds (without `+Inf`); empty for other types.
  public var buckets: [Double] { encoded.buckets }

  public init(
    name: String, help: String, type: MetricType, labelNames: [String] = [], buckets: [Double] = []
  ) {
    precondition(Self.isValidMetricName(name), "invalid metric name \(name)")
    for label in labelNames {
      precondition(Self.isValidLabelName(label), "invalid label name \(label) in \(name)")
      precondition(
        !(type == .histogram && label == "le"), "histogram \(name) must not declare an le label")
    }
    precondition(type == .histogram || buckets.isEmpty, "only histograms have buckets (\(name))")
    precondition(
      zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets of \(name) must increase")
    var header: [UInt8] = []
    header.append(contentsOf: "# HELP ".utf8)
    header.append(contentsOf: name.utf8)
    header.append(UInt8(ascii: " "))
    for byte in help.utf8 {
      switch byte {
      case UInt8(ascii: "\\"): header.append(contentsOf: "\\\\".utf8)
      case UInt8(ascii: "\n"): header.append(contentsOf: "\\n".utf8)
      default: header.append(byte)
      }
    }
    header.append(contentsOf: "\n# TYPE ".utf8)
    header.append(contentsOf: name.utf8)
    header.append(UInt8(ascii: " "))
    header.append(contentsOf: type.rawValue.utf8)
    header.append(UInt8(ascii: "\n"))
    self.encoded = EncodedFamily(
      name: name, help: help, type: type, labelNames: labelNames, buckets: buckets,
      header: header,
      labelKeys: labelNames.map { Array($0.utf8) + Array("=\"".utf8) })
  }

  public var description: String { name }

  public static func == (lhs: MetricFamily, rhs: MetricFamily) -> Bool {
    lhs.name == rhs.name && lhs.help == rhs.help && lhs.type == rhs.type
      && lhs.labelNames == rhs.labelNames
      && lhs.buckets == rhs.buckets
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(name)
  }

  /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
  static func isValidMetricName(_ name: String) -> Bool {
    isValidIdentifier(name, allowColon: true)
  }

  /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with the reserved `__`.
  static func isValidLabelName(_ name: String) -> Bool {
    isValidIdentifier(name, allowColon: false) && !name.hasPrefix("__")
  }

  private static func isValidIdentifier(_ text: String, allowColon: Bool) -> Bool {
    guard let first = text.utf8.first else { return false }
    func isLetter(_ c: UInt8) -> Bool {
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
        || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || c == UInt8(ascii: "_") || (allowColon && c == UInt8(ascii: ":"))
    }
    guard isLetter(first) else { return false }
    return text.utf8.allSatisfy {
      isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
    }
  }
}
