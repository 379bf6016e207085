import Exposition

#if canImport(Glibc)
  import Glibc
#endif

/// Gives back the code pages that only start-up needed, once the agent is up.
///
/// A page fault on a file mapping maps the whole 64 KiB around it that the page cache
/// holds, and start-up (argument parsing, the YAML parser, the Swift runtime's first
/// conformance lookups, the TLS libraries' initialisation) runs code from all over the
/// binary and libcurl's libraries. After READY=1 (and after each reload) the agent marks
/// the executable's and the shared libraries' mappings `MADV_RANDOM` (no read-ahead),
/// pages them out (`MADV_PAGEOUT`: pages only this process maps; pages other processes
/// share stay) and drops the executable's unmapped pages from the page cache, so
/// steady-state code comes back one 4 KiB page at a time: about 6 MB less resident at
/// 200 probes/s (bench/notes.md). Writable mappings are left alone when swap is on, so
/// no written page is ever swapped out by this. `ATALAYA_RELEASE_PAGES=0` turns it off.
public enum StartupPages {
  /// The environment variable that turns the release off (`0`, `off`, `false`, `no`).
  public static let environmentKey = "ATALAYA_RELEASE_PAGES"

  /// Whether `environment` leaves the release on (the default): nil when the variable holds
  /// something other than `1`/`on`/`true`/`yes` or `0`/`off`/`false`/`no` (the caller warns
  /// and keeps the default).
  public static func enabled(environment: [String: String]) -> Bool? {
    guard let value = environment[environmentKey]?.lowercased() else { return true }
    if ["1", "on", "true", "yes"].contains(value) { return true }
    if ["0", "off", "false", "no"].contains(value) { return false }
    return nil
  }

  /// Which mappings to release: the executable's and shared libraries' file mappings;
  /// writable ones only without swap (`MADV_PAGEOUT` would swap out their written pages).
  public static func selection(
    _ mappings: [MemoryMapping], executable: String, swapActive: Bool
  ) -> [MemoryMapping] {
    mappings.filter { m in
      guard let path = m.path, m.readable else { return false }
      guard path == executable || m.isSharedObject else { return false }
      return !(m.writable && swapActive)
    }
  }

  /// What one release did.
  public struct Report: Sendable, Equatable {
    /// Resident set (kB) before and right after.
    public var residentBefore: Int
    public var residentAfter: Int
    /// Mappings advised.
    public var mappings: Int
  }

  /// Releases the pages (blocking: reads /proc and makes system calls; run it off the
  /// cooperative pool). Errors (an older kernel without `MADV_PAGEOUT`) leave pages as
  /// they were.
  public static func release() -> Report {
    let before = residentKilobytes()
    let executable = (readLink("/proc/self/exe") ?? "").replacingDeletedSuffix()
    let chosen = selection(
      MemoryMapping.parse(
        maps: String(decoding: ProcessMetrics.readFile("/proc/self/maps") ?? [], as: UTF8.self)),
      executable: executable,
      swapActive: swapActive())
    for m in chosen {
      let address = UnsafeMutableRawPointer(bitPattern: m.start)
      _ = madvise(address, m.length, MADV_RANDOM)
      _ = madvise(address, m.length, 21)  // MADV_PAGEOUT (Linux 5.4), not in Glibc's module
    }
    // The executable's own pages nobody maps any more leave the page cache too, so a
    // later fault cannot map them back as its neighbours. Other programs' libraries'
    // cache is theirs: left alone.
    let fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
      _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
      close(fd)
    }
    return Report(
      residentBefore: before, residentAfter: residentKilobytes(), mappings: chosen.count)
  }

  /// Whether /proc/swaps lists a swap device (its first line is a header); unreadable
  /// counts as on.
  static func swapActive() -> Bool {
    guard let text = ProcessMetrics.readFile("/proc/swaps") else { return true }
    return text.split(separator: UInt8(ascii: "\n")).count > 1
  }

  static func residentKilobytes() -> Int {
    Int(ProcessMetrics.collect().residentMemoryBytes) / 1024
  }

  static func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(path, &buffer, 4096)
    guard n > 0 else { return nil }
    return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

extension String {
  fileprivate func replacingDeletedSuffix() -> String {
    hasSuffix(" (deleted)") ? String(dropLast(" (deleted)".count)) : self
  }
}
