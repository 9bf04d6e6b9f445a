import XCTest
@testable import Collect

/// The `services.systemd-timers` step: timer unit files and their `Unit=` lines, captured on the
/// realistic lab rootfs (Debian 12, systemd 252, merged /usr: each file twice) and on this
/// machine (PostgreSQL's template timers): which timer starts which service.
final class SystemdTimersParserTests: XCTestCase {
    static let debian12: [String: String] = [
        "apt-daily.service": "apt-daily.timer", "apt-daily-upgrade.service": "apt-daily-upgrade.timer",
        "dpkg-db-backup.service": "dpkg-db-backup.timer", "e2scrub_all.service": "e2scrub_all.timer",
        "fstrim.service": "fstrim.timer", "logrotate.service": "logrotate.timer", "man-db.service": "man-db.timer",
        "systemd-tmpfiles-clean.service": "systemd-tmpfiles-clean.timer",
    ]

    func testUnitFilesOfTheRealisticLabHost() throws {
        XCTAssertEqual(SystemdUnitsParser.timers(try Fixtures.local("debian-12_timer-unit-files.out")), Self.debian12)
    }

    func testTemplateTimersStartTheirInstances() throws {
        let started = SystemdUnitsParser.timers(try Fixtures.local("debian-12-postgresql_timer-unit-files.out"))
        XCTAssertEqual(started["pg_dump@.service"], "pg_dump@.timer")
        XCTAssertEqual(SystemdUnitsParser.timer(starting: "pg_dump@15-main.service", in: started), "pg_dump@15-main.timer")
        XCTAssertEqual(SystemdUnitsParser.timer(starting: "apt-daily.service", in: started), "apt-daily.timer")
        XCTAssertNil(SystemdUnitsParser.timer(starting: "ssh.service", in: started))
        XCTAssertNil(SystemdUnitsParser.timer(starting: "getty@.service", in: started))
    }

    func testUnitLinesDropInsAndPrecedence() {
        let text = """
        file /etc/systemd/system/backup.timer
        file /usr/lib/systemd/system/backup.timer
        file /usr/lib/systemd/system/report.timer
        file /usr/lib/systemd/system/snap.timer
        file /etc/systemd/system/report.timer.d/20-later.conf
        file /etc/systemd/system/report.timer.d/10-first.conf
        /etc/systemd/system/backup.timer:Unit = nightly-backup.service
        /usr/lib/systemd/system/backup.timer:Unit=shadowed.service
        /usr/lib/systemd/system/report.timer:Unit=report-old.service
        /etc/systemd/system/report.timer.d/10-first.conf:Unit=report-first.service
        /etc/systemd/system/report.timer.d/20-later.conf:  Unit=report-new.service
        /usr/lib/systemd/system/snap.timer:Unit=snap.target
        """
        // The /etc copy shadows /usr/lib's; drop-ins apply in file-name order; a timer starting a
        // target names no service.
        XCTAssertEqual(SystemdUnitsParser.timers(text), ["nightly-backup.service": "backup.timer", "report-new.service": "report.timer"])
    }

    func testTwoTimersForOneServiceGiveTheFirstByNameAndJunkIsIgnored() {
        let text = "file /etc/systemd/system/z-backup.timer\nfile /etc/systemd/system/a-backup.timer\n"
            + "/etc/systemd/system/z-backup.timer:Unit=backup.service\n/etc/systemd/system/a-backup.timer:Unit=backup.service\n"
            + "garbage\nfile \n/x:Unitx=y\n:::\n"
        XCTAssertEqual(SystemdUnitsParser.timers(text), ["backup.service": "a-backup.timer"])
        XCTAssertEqual(SystemdUnitsParser.timers(""), [:])
    }
}
