import HTTPClient

/// One multi loop shared by the transport tests (as in production).
let sharedLoop = CurlMultiLoop()
let sharedTransport = CurlTransport(loop: sharedLoop, userAgent: "atalaya/test")
