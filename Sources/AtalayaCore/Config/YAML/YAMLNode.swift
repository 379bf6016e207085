/// A composed YAML node: the tree ``YAML/compose(_:maxNodes:maxDepth:)`` builds from
/// LibYAML's events. The shape and the members the config decoder uses are those of
/// Yams' `Node`, which this replaces: scalars keep their text, style and position;
/// mappings keep their pairs in document order; an `*alias` is the node its anchor
/// names (so `.alias` is never composed: it exists for exhaustive switches).
public enum YAMLNode: Sendable {
  case scalar(Scalar)
  case mapping(Mapping)
  case sequence(Sequence)
  case alias(Alias)

  /// A scalar: its text (after YAML's escapes, folding and chomping) and how it was written.
  public struct Scalar: Sendable {
    public var string: String
    public var style: Style
    public var mark: YAMLMark?

    /// LibYAML's `yaml_scalar_style_t`, in its order.
    public enum Style: UInt32, Sendable {
      case any = 0
      case plain
      case singleQuoted
      case doubleQuoted
      case literal
      case folded
    }

    public init(_ string: String, _ style: Style = .any, _ mark: YAMLMark? = nil) {
      self.string = string
      self.style = style
      self.mark = mark
    }
  }

  /// A mapping's pairs in document order (keys are unique: a repeated key is a compose error).
  public struct Mapping: Sendable, RandomAccessCollection {
    public typealias Element = (key: YAMLNode, value: YAMLNode)
    public typealias Index = Int

    var pairs: [Element]
    public var style: Style
    public var mark: YAMLMark?

    /// LibYAML's `yaml_mapping_style_t`, in its order.
    public enum Style: UInt32, Sendable {
      case any = 0
      case block
      case flow
    }

    public init(_ pairs: [Element], _ style: Style = .any, _ mark: YAMLMark? = nil) {
      self.pairs = pairs
      self.style = style
      self.mark = mark
    }

    public var startIndex: Int { pairs.startIndex }
    public var endIndex: Int { pairs.endIndex }
    public subscript(position: Int) -> Element { pairs[position] }
  }

  /// A sequence's items in document order.
  public struct Sequence: Sendable, RandomAccessCollection {
    public typealias Index = Int

    var nodes: [YAMLNode]
    public var style: Style
    public var mark: YAMLMark?

    /// LibYAML's `yaml_sequence_style_t`, in its order.
    public enum Style: UInt32, Sendable {
      case any = 0
      case block
      case flow
    }

    public init(_ nodes: [YAMLNode], _ style: Style = .any, _ mark: YAMLMark? = nil) {
      self.nodes = nodes
      self.style = style
      self.mark = mark
    }

    public var startIndex: Int { nodes.startIndex }
    public var endIndex: Int { nodes.endIndex }
    public subscript(position: Int) -> YAMLNode { nodes[position] }
  }

  /// An alias by name. Never composed (aliases are resolved to the node they name).
  public struct Alias: Sendable {
    public var name: String
    public var mark: YAMLMark?

    public init(_ name: String, _ mark: YAMLMark? = nil) {
      self.name = name
      self.mark = mark
    }
  }
}

/// A position in YAML text: 1-based line and column. Columns count characters
/// (Unicode scalars), as LibYAML does.
public struct YAMLMark: Sendable, Equatable, CustomStringConvertible {
  public let line: Int
  public let column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column)" }
}

extension YAMLNode {
  /// Where the node starts (for an alias, where the node it names starts).
  public var mark: YAMLMark? {
    switch self {
    case .scalar(let scalar): scalar.mark
    case .mapping(let mapping): mapping.mark
    case .sequence(let sequence): sequence.mark
    case .alias(let alias): alias.mark
    }
  }

  public var scalar: Scalar? {
    if case .scalar(let scalar) = self { return scalar }
    return nil
  }

  public var mapping: Mapping? {
    if case .mapping(let mapping) = self { return mapping }
    return nil
  }

  public var sequence: Sequence? {
    if case .sequence(let sequence) = self { return sequence }
    return nil
  }

  /// A scalar's text; nil for a collection.
  public var string: String? { scalar?.string }

  /// A sequence's items; empty for anything else.
  public func array() -> [YAMLNode] { sequence.map { Array($0) } ?? [] }

  /// The value of the scalar key `key` of a mapping; nil when absent or not a mapping.
  public subscript(key: String) -> YAMLNode? {
    guard case .mapping(let mapping) = self else { return nil }
    return mapping.first { $0.key.string == key }?.value
  }
}

// Equality as Yams' for untagged nodes: scalars by text (not style or position),
// collections by their items in order. (Yams also compared resolved tags, so it told
// plain `1` from `'1'`; this composer keeps no tags.)
extension YAMLNode: Hashable {}

extension YAMLNode.Scalar: Hashable {
  public static func == (a: Self, b: Self) -> Bool { a.string == b.string }
  public func hash(into hasher: inout Hasher) { hasher.combine(string) }
}

extension YAMLNode.Mapping: Hashable {
  public static func == (a: Self, b: Self) -> Bool {
    a.pairs.count == b.pairs.count
      && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(pairs.count)
    for pair in pairs {
      hasher.combine(pair.key)
      hasher.combine(pair.value)
    }
  }
}

extension YAMLNode.Sequence: Hashable {
  public static func == (a: Self, b: Self) -> Bool { a.nodes == b.nodes }
  public func hash(into hasher: inout Hasher) { hasher.combine(nodes) }
}

extension YAMLNode.Alias: Hashable {
  public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
  public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

// The names the config decoder has always used (they were Yams' own).
typealias Node = YAMLNode
typealias Mark = YAMLMark
