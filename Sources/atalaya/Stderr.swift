#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fwriteStderr(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = buf.baseAddress else { return 0 }
    return fwrite(base, 1, buf.count, stderr)
}
