import CYAML

/// Composes YAML text into ``YAMLNode``s with LibYAML's event parser (`yaml_parser_parse`),
/// as Yams' `compose(yaml:)` did: one document, aliases resolved to the node their anchor
/// names (a later anchor of the same name shadows an earlier one; an anchor is usable once
/// its node is complete), a key repeated in a mapping is an error, and every error has the
/// line and column LibYAML reports.
///
/// Hostile input stays bounded: the nodes the document expands to (every alias counted as
/// the nodes it names, each time it is used) and the nesting (through aliases too) are
/// limited, and composing is iterative, so no input can exhaust the stack.
public enum YAML {
  /// The deepest nesting of collections, as Yams' LibYAML allowed.
  public static let defaultMaxDepth = 1000

  /// The single document in `text`; nil when there is none (empty text, only comments).
  /// Throws the first error met. Past `maxNodes` nodes the rest of the text is still
  /// parsed (a syntax error there is the error reported), and then
  /// ``YAMLError/tooManyNodes(limit:)`` is thrown.
  public static func compose(
    _ text: String, maxNodes: Int = .max, maxDepth: Int = defaultMaxDepth
  ) throws(YAMLError) -> YAMLNode? {
    var text = text
    let result = text.withUTF8 { bytes in
      Result { () throws(YAMLError) -> YAMLNode? in
        let composer = YAMLComposer(bytes: bytes, maxNodes: maxNodes, maxDepth: maxDepth)
        return try composer.composeSingleDocument()
      }
    }
    return try result.get()
  }
}

/// Why YAML text could not be composed. Lines and columns are 1-based.
public enum YAMLError: Error, Sendable, Equatable {
  /// What LibYAML was doing when it met the problem, and where that began.
  public struct Context: Sendable, Equatable {
    public let text: String
    public let mark: YAMLMark

    public init(text: String, mark: YAMLMark) {
      self.text = text
      self.mark = mark
    }
  }

  /// Text LibYAML cannot read (a control character, say), at a byte offset of the UTF-8 text.
  case reader(problem: String, byteOffset: Int, value: Int)
  case scanner(context: Context?, problem: String, mark: YAMLMark)
  case parser(context: Context?, problem: String, mark: YAMLMark)
  case composer(context: Context?, problem: String, mark: YAMLMark)
  /// Keys that appear more than once in one mapping (sorted), at the first one's first use.
  case duplicatedKeysInMapping(duplicates: [String], mark: YAMLMark)
  /// The document expands to more than `limit` nodes.
  case tooManyNodes(limit: Int)
  /// Collections nested more than `limit` deep (an alias counts as the node it names).
  case tooDeep(limit: Int, mark: YAMLMark)
  /// LibYAML ran out of memory.
  case memory
}

/// One use of the event parser; not reused.
private final class YAMLComposer {
  /// A finished node with what the limits need to know about it. `node` is nil once
  /// the node limit was passed (the rest of the text is only parsed, not kept).
  struct Built {
    var node: YAMLNode?
    /// Nodes it expands to, itself included (saturating).
    var size: Int
    /// Collections on its deepest path (0 for a scalar).
    var height: Int
    /// A scalar's text, for finding repeated keys.
    var keyText: String?
    var mark: YAMLMark
  }

  /// An open sequence or mapping.
  struct Frame {
    var isMapping: Bool
    var style: UInt32
    var mark: YAMLMark
    var anchor: String?
    /// Items; for a mapping keys and values alternate.
    var items: [YAMLNode] = []
    var itemCount = 0
    /// A mapping's scalar keys, for finding repeated ones.
    var keys: [(text: String, mark: YAMLMark)] = []
    var size = 1
    var height = 1
  }

  private let parser: UnsafeMutablePointer<yaml_parser_t>
  private let maxNodes: Int
  private let maxDepth: Int
  private var anchors: [String: Built] = [:]
  /// Nodes composed so far, aliases expanded (saturating).
  private var total = 0
  private var keeping = true

  init(bytes: UnsafeBufferPointer<UInt8>, maxNodes: Int, maxDepth: Int) {
    self.maxNodes = maxNodes
    self.maxDepth = maxDepth
    parser = .allocate(capacity: 1)
    // Fails only when out of memory; yaml_parser_parse then reports the memory error.
    _ = yaml_parser_initialize(parser)
    yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
  }

  deinit {
    yaml_parser_delete(parser)
    parser.deallocate()
  }

  func composeSingleDocument() throws(YAMLError) -> YAMLNode? {
    var event = yaml_event_t()
    try next(&event)  // STREAM-START
    yaml_event_delete(&event)
    try next(&event)
    defer { yaml_event_delete(&event) }
    if event.type == YAML_STREAM_END_EVENT { return nil }
    // DOCUMENT-START, then the root node.
    let root = try composeNode()
    yaml_event_delete(&event)
    try next(&event)  // DOCUMENT-END
    yaml_event_delete(&event)
    try next(&event)
    if event.type != YAML_STREAM_END_EVENT {
      throw .composer(
        context: .init(
          text: "expected a single document in the stream", mark: YAMLMark(line: 1, column: 1)),
        problem: "but found another document", mark: Self.mark(event.start_mark))
    }
    guard keeping else { throw .tooManyNodes(limit: maxNodes) }
    return root.node
  }

  // MARK: Events

  private func next(_ event: inout yaml_event_t) throws(YAMLError) {
    guard yaml_parser_parse(parser, &event) == 1 else { throw libyamlError() }
  }

  private func libyamlError() -> YAMLError {
    let p = parser.pointee
    let problem = p.problem.map { String(cString: $0) } ?? "unknown problem"
    let context = p.context.map {
      Context(text: String(cString: $0), mark: Self.mark(p.context_mark))
    }
    let mark = Self.mark(p.problem_mark)
    switch p.error {
    case YAML_READER_ERROR:
      return .reader(
        problem: problem, byteOffset: Int(p.problem_offset), value: Int(p.problem_value))
    case YAML_SCANNER_ERROR: return .scanner(context: context, problem: problem, mark: mark)
    case YAML_PARSER_ERROR: return .parser(context: context, problem: problem, mark: mark)
    case YAML_COMPOSER_ERROR: return .composer(context: context, problem: problem, mark: mark)
    default: return .memory
    }
  }

  private typealias Context = YAMLError.Context

  private static func mark(_ mark: yaml_mark_t) -> YAMLMark {
    YAMLMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  // MARK: Composing

  /// The next node (a whole collection for a collection's start), iteratively.
  private func composeNode() throws(YAMLError) -> Built {
    var frames: [Frame] = []
    var event = yaml_event_t()
    defer { yaml_event_delete(&event) }
    while true {
      yaml_event_delete(&event)
      try next(&event)
      let mark = Self.mark(event.start_mark)
      var built: Built
      switch event.type {
      case YAML_SCALAR_EVENT:
        let scalar = event.data.scalar
        let string = String(
          decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        count(1)
        let style = YAMLNode.Scalar.Style(rawValue: scalar.style.rawValue) ?? .any
        built = Built(
          node: keeping ? .scalar(.init(string, style, mark)) : nil, size: 1, height: 0,
          keyText: string, mark: mark)
        register(Self.text(scalar.anchor), built)

      case YAML_ALIAS_EVENT:
        guard let name = Self.text(event.data.alias.anchor), let named = anchors[name] else {
          throw .composer(context: nil, problem: "found undefined alias", mark: mark)
        }
        guard frames.count + named.height <= maxDepth else {
          throw .tooDeep(limit: maxDepth, mark: mark)
        }
        count(named.size)
        built = named
        if !keeping { built.node = nil }

      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        guard frames.count < maxDepth else { throw .tooDeep(limit: maxDepth, mark: mark) }
        count(1)
        let isMapping = event.type == YAML_MAPPING_START_EVENT
        frames.append(
          Frame(
            isMapping: isMapping,
            style: isMapping
              ? event.data.mapping_start.style.rawValue : event.data.sequence_start.style.rawValue,
            mark: mark,
            anchor: Self.text(
              isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)))
        continue

      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        guard let frame = frames.popLast() else {
          throw .composer(
            context: nil, problem: "found an unexpected end of a collection", mark: mark)
        }
        built = try finish(frame)
        register(frame.anchor, built)

      default:
        throw .composer(context: nil, problem: "found an unexpected event", mark: mark)
      }

      guard var parent = frames.popLast() else { return built }
      if parent.isMapping, parent.itemCount % 2 == 0, let key = built.keyText {
        parent.keys.append((key, built.mark))
      }
      parent.itemCount += 1
      if keeping, let node = built.node { parent.items.append(node) }
      parent.size = Self.add(parent.size, built.size)
      parent.height = max(parent.height, built.height + 1)
      frames.append(parent)
    }
  }

  /// The node of a closed collection, after checking a mapping's keys.
  private func finish(_ frame: Frame) throws(YAMLError) -> Built {
    var built = Built(
      node: nil, size: frame.size, height: frame.height, keyText: nil, mark: frame.mark)
    if frame.isMapping {
      try checkDuplicates(frame.keys)
      if keeping {
        var pairs: [YAMLNode.Mapping.Element] = []
        pairs.reserveCapacity(frame.items.count / 2)
        var i = 0
        while i + 1 < frame.items.count {
          pairs.append((frame.items[i], frame.items[i + 1]))
          i += 2
        }
        built.node = .mapping(
          .init(pairs, YAMLNode.Mapping.Style(rawValue: frame.style) ?? .any, frame.mark))
      }
    } else if keeping {
      built.node = .sequence(
        .init(frame.items, YAMLNode.Sequence.Style(rawValue: frame.style) ?? .any, frame.mark))
    }
    return built
  }

  /// As Yams: every repeated key, sorted, at the first use of the first of them.
  private func checkDuplicates(_ keys: [(text: String, mark: YAMLMark)]) throws(YAMLError) {
    guard keys.count > 1 else { return }
    var first: [String: YAMLMark] = [:]
    var repeated: Set<String> = []
    for key in keys {
      if first[key.text] == nil {
        first[key.text] = key.mark
      } else {
        repeated.insert(key.text)
      }
    }
    guard !repeated.isEmpty else { return }
    let sorted = repeated.sorted()
    throw .duplicatedKeysInMapping(
      duplicates: sorted, mark: first[sorted[0]] ?? YAMLMark(line: 0, column: 0))
  }

  private func register(_ anchor: String?, _ built: Built) {
    guard let anchor else { return }
    anchors[anchor] = built
  }

  /// Counts `nodes` more; past the limit nodes are no longer kept.
  private func count(_ nodes: Int) {
    total = Self.add(total, nodes)
    if total > maxNodes { keeping = false }
  }

  private static func add(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
  }
}
