import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide memory settings applied before any thread starts.
public enum MemoryTuning {
  /// Allocations of this size and larger are mapped on their own and unmapped when freed.
  public static let mmapThreshold: Int32 = 32 * 1024

  /// Caps glibc's malloc arenas at two unless `MALLOC_ARENA_MAX` is set. glibc creates
  /// up to eight arenas per CPU as threads contend (the curl loop, NIO's event loops, the
  /// cooperative pool), each holding its own free memory; two keep the agent's private
  /// memory about 0.8 MB smaller at 200 probes/s with no measurable CPU cost
  /// (bench/notes.md). One arena costs more: transfers wait on its lock.
  ///
  /// Sets glibc's mmap threshold to ``mmapThreshold`` unless `MALLOC_MMAP_THRESHOLD_` is
  /// set: a scrape of 200 checks writes about 800 KB in 64 KiB pieces, and from the heap
  /// those pieces stayed resident after the scrape (about 1 MB of anonymous memory from the
  /// first scrape on); mapped, they go back to the kernel when the scrape ends. Probes
  /// allocate nothing that large (about 7 mmaps per scrape, none per probe).
  ///
  /// The HTTP server runs on one NIO event loop (unless `NIO_SINGLETON_GROUP_LOOP_COUNT`
  /// is set): it serves a few scrapes and API calls a second, and every further loop is a
  /// thread with its own stack and arena.
  public static func apply() {
    if getenv("NIO_SINGLETON_GROUP_LOOP_COUNT") == nil {
      NIOSingletons.groupLoopCountSuggestion = 1
    }
    #if canImport(Glibc)
      // mallopt, M_ARENA_MAX (-8) and M_MMAP_THRESHOLD (-3) live in <malloc.h>, which the
      // Glibc module leaves out.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(-8, 2) }
      if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(-3, mmapThreshold) }
    #endif
  }
}
