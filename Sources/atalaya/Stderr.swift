#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes raw bytes to file descriptor 2.
func fwriteStderr(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
  guard let base = buf.baseAddress else { return 0 }
  return write(2, base, buf.count)
}
