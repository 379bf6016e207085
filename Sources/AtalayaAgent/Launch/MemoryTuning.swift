import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide memory settings applied before any thread starts.
public enum MemoryTuning {
  /// Caps glibc's malloc arenas at two unless `MALLOC_ARENA_MAX` is set. glibc creates
  /// up to eight arenas per CPU as threads contend (the curl loop, NIO's event loops, the
  /// cooperative pool), each holding its own free memory; two keep the agent's private
  /// memory about 0.8 MB smaller at 200 probes/s with no measurable CPU cost
  /// (bench/notes.md). One arena costs more: transfers wait on its lock.
  ///
  /// The HTTP server runs on one NIO event loop (unless `NIO_SINGLETON_GROUP_LOOP_COUNT`
  /// is set): it serves a few scrapes and API calls a second, and every further loop is a
  /// thread with its own stack and arena.
  public static func apply() {
    if getenv("NIO_SINGLETON_GROUP_LOOP_COUNT") == nil {
      NIOSingletons.groupLoopCountSuggestion = 1
    }
    #if canImport(Glibc)
      // mallopt and M_ARENA_MAX (-8) live in <malloc.h>, which the Glibc module leaves out.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard getenv("MALLOC_ARENA_MAX") == nil, let symbol = dlsym(nil, "mallopt") else { return }
      _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 2)
    #endif
  }
}
