#if canImport(Glibc)
import Glibc
#endif

/// One 64 KiB read buffer per thread, for the poller threads' reads from channels and sockets.
/// A fresh zeroed buffer per read step cost a 64 KiB allocation and memset every time a session
/// had data, across hundreds of sessions. Each thread gets its own, freed when the thread ends;
/// a buffer is only used within one read call and never escapes it.
enum Scratch {
    static let size = 64 * 1024

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { free($0) }
        return k
    }()

    /// This thread's buffer.
    static var buffer: UnsafeMutableRawPointer {
        if let p = pthread_getspecific(key) { return p }
        let p = malloc(size)!
        pthread_setspecific(key, p)
        return p
    }
}
