// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): SchedulesParser over the schedules section's steps
// (systemctl's timer rows with the wants/file/masked lines, the crontab listing and md5sum's
// lines) as one input. Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = SchedulesParser.timers(text, starts: ["a.timer": "a.service"])
        _ = SchedulesParser.cron(text)
    }
}
