extension String {
  /// Whether `needle` occurs in this string, compared byte for byte (UTF-8, no Unicode
  /// normalisation). For the media types and header values read on every probe:
  /// `contains(_:)` from _StringProcessing cost about 4% of the agent's CPU at 200
  /// probes/s for the `Content-Type` test alone (bench/notes.md).
  func containsBytes(_ needle: String) -> Bool {
    var haystack = self
    var needle = needle
    return haystack.withUTF8 { h in
      needle.withUTF8 { n in
        guard !n.isEmpty else { return true }
        guard h.count >= n.count else { return false }
        let first = n[0]
        var i = 0
        let last = h.count - n.count
        while i <= last {
          if h[i] == first {
            var j = 1
            while j < n.count, h[i + j] == n[j] { j += 1 }
            if j == n.count { return true }
          }
          i += 1
        }
        return false
      }
    }
  }
}
