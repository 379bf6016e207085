/// One line of `/proc/PID/maps`: an address range, its permissions and what backs it.
public struct MemoryMapping: Sendable, Equatable {
  /// The first address.
  public var start: UInt
  /// The address after the last.
  public var end: UInt
  /// The permissions (`r`, `w`, `x`).
  public var readable: Bool
  public var writable: Bool
  public var executable: Bool
  /// The backing file's path (`" (deleted)"` removed), or nil for anonymous memory and
  /// the kernel's pseudo-mappings (`[heap]`, `[stack]`, `[vdso]`).
  public var path: String?
  /// The file was replaced or removed after it was mapped.
  public var deleted: Bool

  public init(
    start: UInt, end: UInt, readable: Bool, writable: Bool, executable: Bool, path: String?,
    deleted: Bool
  ) {
    self.start = start
    self.end = end
    self.readable = readable
    self.writable = writable
    self.executable = executable
    self.path = path
    self.deleted = deleted
  }

  /// The mapping's size in bytes.
  public var length: Int { Int(end - start) }

  /// Parses the lines of a maps file; lines that do not parse are skipped.
  public static func parse(maps text: String) -> [MemoryMapping] {
    text.split(separator: "\n").compactMap { parse(line: $0) }
  }

  /// `start-end perms offset dev inode [path]`; the path may contain spaces.
  static func parse(line: Substring) -> MemoryMapping? {
    var fields: [Substring] = []
    var rest = line[...]
    for _ in 0..<5 {
      rest = rest.drop(while: { $0 == " " })
      guard let space = rest.firstIndex(of: " ") else {
        if rest.isEmpty { return nil }
        fields.append(rest)
        rest = rest[rest.endIndex...]
        break
      }
      fields.append(rest[..<space])
      rest = rest[space...]
    }
    guard fields.count == 5 else { return nil }
    let bounds = fields[0].split(separator: "-")
    let perms = Array(fields[1].utf8)
    guard bounds.count == 2, let start = UInt(bounds[0], radix: 16),
      let end = UInt(bounds[1], radix: 16), start < end, perms.count >= 3
    else { return nil }
    var name = String(rest.drop(while: { $0 == " " }))
    var deleted = false
    if name.hasSuffix(" (deleted)") {
      name.removeLast(" (deleted)".count)
      deleted = true
    }
    return MemoryMapping(
      start: start, end: end, readable: perms[0] == UInt8(ascii: "r"),
      writable: perms[1] == UInt8(ascii: "w"), executable: perms[2] == UInt8(ascii: "x"),
      path: name.hasPrefix("/") ? name : nil, deleted: deleted)
  }

  /// Whether the path names a shared object (`libc.so.6`, `ld-linux-x86-64.so.2`).
  public var isSharedObject: Bool {
    guard let path else { return false }
    let name = path.split(separator: "/").last ?? ""
    return name.hasSuffix(".so") || name.contains(".so.")
  }
}
