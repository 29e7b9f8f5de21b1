#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time for record timestamps (`ts_ms`); intervals use `ContinuousClock` instead.
public enum WallClock {
    public static func nowMs() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
