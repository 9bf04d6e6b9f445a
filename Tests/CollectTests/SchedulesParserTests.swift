import Foundation
import Model
import TestSupport
import XCTest
@testable import Collect

/// The schedules section's parsers on the realistic Debian 12 lab host's real outputs
/// (SchedulesLabTests with PP_CAPTURE_FIXTURES=1): before, and after logrotate.timer was
/// disabled and stopped, /etc/cron.d/pp-backup removed and a root crontab line added.
final class SchedulesParserTests: XCTestCase {
    func fixture(_ name: String) throws -> String { try Fixtures.local("schedules-realistic-\(name).txt") }

    func starts(_ label: String) throws -> [String: String] {
        var starts: [String: String] = [:]
        for (service, timer) in SystemdUnitsParser.timers(try fixture("\(label)-services-timers")) { starts[timer] = service }
        return starts
    }

    func testTimersOfTheRealisticHost() throws {
        let before = SchedulesParser.timers(try fixture("before-timers"), starts: try starts("before"))
        XCTAssertEqual(before.notes, [])
        XCTAssertEqual(before.items.map(\.name), ["apt-daily-upgrade.timer", "apt-daily.timer", "dpkg-db-backup.timer", "e2scrub_all.timer",
                                                  "fstrim.timer", "logrotate.timer", "man-db.timer", "systemd-tmpfiles-clean.timer"])
        XCTAssertEqual(before.items.first { $0.name == "logrotate.timer" },
                       ScheduledTimer(name: "logrotate.timer", unit: "logrotate.service", active: "active", enabled: true))
        // Not enabled by a symlink of its own: started by systemd itself (static).
        XCTAssertEqual(before.items.first { $0.name == "systemd-tmpfiles-clean.timer" }?.enabled, false)
        // fstrim.timer's condition fails in a container: loaded, inactive, as in every capture.
        XCTAssertEqual(before.items.first { $0.name == "fstrim.timer" }?.active, "inactive")
        let after = SchedulesParser.timers(try fixture("after-timers"), starts: try starts("after"))
        let logrotate = after.items.first { $0.name == "logrotate.timer" }
        XCTAssertEqual(logrotate, ScheduledTimer(name: "logrotate.timer", unit: "logrotate.service", active: "inactive", enabled: false),
                       "disabled --now: unloaded, its file still there")
    }

    func testCronOfTheRealisticHost() throws {
        let before = SchedulesParser.cron(try fixture("before-cron"))
        XCTAssertEqual(before.notes, [])
        XCTAssertFalse(before.cut)
        XCTAssertEqual(before.unreadable, [])
        XCTAssertEqual(before.items.map(\.place), [
            "/etc/cron.d/e2scrub_all:1", "/etc/cron.d/e2scrub_all:2", "/etc/cron.d/pp-backup:2",
            "/etc/cron.daily/apt-compat", "/etc/cron.daily/dpkg", "/etc/cron.daily/logrotate", "/etc/cron.daily/man-db",
            "/etc/cron.weekly/man-db",
            "/etc/crontab:18", "/etc/crontab:19", "/etc/crontab:20", "/etc/crontab:21",
        ], "SHELL= and PATH= are settings, not jobs")
        let backup = before.items.first { $0.source == "/etc/cron.d/pp-backup" }
        XCTAssertEqual(backup?.schedule, "30 2 * * *")
        XCTAssertEqual(backup?.user, "root")
        XCTAssertEqual(backup?.digest, String(SHA256.hex("/usr/local/sbin/backup --all").prefix(16)))
        XCTAssertEqual(before.items.first { $0.place == "/etc/crontab:18" }?.schedule, "17 * * * *", "tabs and spaces alike")
        XCTAssertEqual(before.items.first { $0.source == "/etc/cron.daily/logrotate" },
                       CronJob(source: "/etc/cron.daily/logrotate", schedule: "daily", user: "root", digest: "31da718265eaaa2f"))
        let after = SchedulesParser.cron(try fixture("after-cron"))
        XCTAssertEqual(after.items.first { $0.source == "/var/spool/cron/crontabs/root" },
                       CronJob(source: "/var/spool/cron/crontabs/root", line: 4, schedule: "15 4 * * 1", user: "root",
                               digest: String(SHA256.hex("/home/alice/bin/report").prefix(16))))
        XCTAssertFalse(after.items.contains { $0.source == "/etc/cron.d/pp-backup" })
    }

    func testCrontabShapes() {
        func job(_ text: String, _ source: String) -> String? {
            SchedulesParser.job(text, source: source, line: 1).map { "\($0.schedule)|\($0.user ?? "-")" }
        }
        XCTAssertEqual(job("@reboot root /usr/bin/start", "/etc/cron.d/x"), "@reboot|root")
        XCTAssertEqual(job("@daily /usr/bin/x", "/var/spool/cron/alice"), "@daily|alice")
        XCTAssertEqual(job("1\t5\tcron.daily\trun-parts --report /etc/cron.daily", "/etc/anacrontab"), "1 5 cron.daily|-")
        XCTAssertEqual(job("MAILTO=root", "/etc/crontab"), nil)
        XCTAssertEqual(job("START_HOURS_RANGE=3-22", "/etc/anacrontab"), nil)
        XCTAssertEqual(job("*/5 * * * * root", "/etc/cron.d/x"), nil, "no command")
        XCTAssertEqual(job("*/5 * * * *", "/var/spool/cron/crontabs/bob"), nil)
        XCTAssertEqual(job("*/5 * * * * FOO=bar /bin/x", "/var/spool/cron/crontabs/bob"), "*/5 * * * *|bob")
        // run-parts skips names with dots (package leftovers): so does the parser.
        XCTAssertNil(SchedulesParser.script("31da718265eaaa2fdabcfb2743bda171  /etc/cron.daily/logrotate.dpkg-dist"))
        XCTAssertNil(SchedulesParser.script("31da718265eaaa2fdabcfb2743bda171  /etc/cron.yearly/x"))
    }

    func testUnreadableAndCut() {
        let parsed = SchedulesParser.cron("unreadable /var/spool/cron/crontabs\n" + "file\t/etc/crontab\n"
                                              + (1...3).map { "line\t\($0)\t* * * * * root /bin/true" }.joined(separator: "\n") + "\ncut\n")
        XCTAssertEqual(parsed.unreadable, ["/var/spool/cron/crontabs"])
        XCTAssertTrue(parsed.cut)
        XCTAssertEqual(parsed.items.count, 3)
    }
}
