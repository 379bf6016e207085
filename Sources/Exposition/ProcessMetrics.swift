#if canImport(Glibc)
  import Glibc
#endif

/// The process_* metrics of the running agent at one moment.
public struct ProcessMetricsSnapshot: Sendable, Hashable {
  /// Resident set size in bytes.
  public var residentMemoryBytes: Double
  /// Virtual memory size in bytes.
  public var virtualMemoryBytes: Double
  /// User + system CPU time in seconds.
  public var cpuSecondsTotal: Double
  /// Open file descriptors.
  public var openFDs: Double
  /// The soft `RLIMIT_NOFILE` limit.
  public var maxFDs: Double
  /// Process start time, seconds since the Unix epoch.
  public var startTimeSeconds: Double

  public init(
    residentMemoryBytes: Double, virtualMemoryBytes: Double, cpuSecondsTotal: Double,
    openFDs: Double, maxFDs: Double, startTimeSeconds: Double
  ) {
    self.residentMemoryBytes = residentMemoryBytes
    self.virtualMemoryBytes = virtualMemoryBytes
    self.cpuSecondsTotal = cpuSecondsTotal
    self.openFDs = openFDs
    self.maxFDs = maxFDs
    self.startTimeSeconds = startTimeSeconds
  }
}

/// Reads the process_* metrics from `/proc` (Linux), like the Prometheus client libraries do.
public enum ProcessMetrics {
  /// Reads `/proc/self/stat`, `/proc/stat`, `/proc/self/fd` and `RLIMIT_NOFILE`.
  /// A value that cannot be read is 0.
  public static func collect() -> ProcessMetricsSnapshot {
    let ticks = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
    let pageSize = Double(max(sysconf(Int32(_SC_PAGESIZE)), 1))
    let stat = ProcStat(contents: readFile("/proc/self/stat"))
    let bootTime = bootTimeSeconds(readFile("/proc/stat"))
    var snapshot = ProcessMetricsSnapshot(
      residentMemoryBytes: 0, virtualMemoryBytes: 0, cpuSecondsTotal: 0,
      openFDs: Double(countOpenFDs()), maxFDs: maxOpenFDs(), startTimeSeconds: 0)
    if let stat {
      snapshot.cpuSecondsTotal = Double(stat.utime + stat.stime) / ticks
      snapshot.virtualMemoryBytes = Double(stat.vsize)
      snapshot.residentMemoryBytes = Double(stat.rssPages) * pageSize
      if let bootTime {
        snapshot.startTimeSeconds = Double(bootTime) + Double(stat.startTicks) / ticks
      }
    }
    return snapshot
  }

  /// Collects a snapshot and writes the six process families.
  public static func write(into writer: inout ExpositionWriter) {
    write(collect(), into: &writer)
  }

  /// Writes the six process families from `snapshot`.
  public static func write(_ snapshot: ProcessMetricsSnapshot, into writer: inout ExpositionWriter)
  {
    writer.sample(Catalogue.processResidentMemoryBytes, value: snapshot.residentMemoryBytes)
    writer.sample(Catalogue.processVirtualMemoryBytes, value: snapshot.virtualMemoryBytes)
    writer.sample(Catalogue.processCPUSecondsTotal, value: snapshot.cpuSecondsTotal)
    writer.sample(Catalogue.processOpenFDs, value: snapshot.openFDs)
    writer.sample(Catalogue.processMaxFDs, value: snapshot.maxFDs)
    writer.sample(Catalogue.processStartTimeSeconds, value: snapshot.startTimeSeconds)
  }

  // MARK: Sources

  /// The fields of `/proc/self/stat` we use.
  struct ProcStat {
    var utime: UInt64
    var stime: UInt64
    var startTicks: UInt64
    var vsize: UInt64
    var rssPages: UInt64

    /// Parses the fields after the `(comm)` field, which may itself hold spaces and parentheses.
    init?(contents: [UInt8]?) {
      guard let contents, let close = contents.lastIndex(of: UInt8(ascii: ")")) else { return nil }
      // Field 3 (state) is the first after ")"; field n is at index n - 3.
      let fields = contents[(close + 1)...].split(separator: UInt8(ascii: " "))
      func field(_ n: Int) -> UInt64? {
        let index = n - 3
        guard index < fields.count else { return nil }
        return UInt64(String(decoding: fields[index], as: UTF8.self))
      }
      guard let utime = field(14), let stime = field(15), let start = field(22),
        let vsize = field(23),
        let rss = field(24)
      else { return nil }
      self.utime = utime
      self.stime = stime
      self.startTicks = start
      self.vsize = vsize
      self.rssPages = rss
    }
  }

  /// `btime` from `/proc/stat`: boot time in seconds since the epoch.
  static func bootTimeSeconds(_ contents: [UInt8]?) -> UInt64? {
    guard let contents else { return nil }
    for line in contents.split(separator: UInt8(ascii: "\n")) where line.starts(with: "btime ".utf8)
    {
      let value = line.dropFirst(6).filter { $0 != UInt8(ascii: " ") }
      return UInt64(String(decoding: value, as: UTF8.self))
    }
    return nil
  }

  /// Entries of `/proc/self/fd` (includes the descriptor used to list it, as other clients do).
  static func countOpenFDs() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return 0 }
    defer { closedir(dir) }
    var count = 0
    while let entry = readdir(dir) {
      let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
        name[0] == UInt8(ascii: ".")
          && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
      }
      if !isDot { count += 1 }
    }
    return count
  }

  /// The soft `RLIMIT_NOFILE` limit.
  static func maxOpenFDs() -> Double {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    return limit.rlim_cur == rlim_t.max ? .infinity : Double(limit.rlim_cur)
  }

  /// The whole contents of a (small, procfs) file.
  public static func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if n == 0 { break }
      contents.append(contentsOf: chunk[0..<n])
    }
    return contents
  }
}
