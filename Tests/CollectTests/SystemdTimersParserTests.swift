import XCTest
@testable import Collect

/// `systemctl list-timers --all`, captured on the realistic lab rootfs (Debian 12, systemd 252),
/// as JSON and as the table older systemd prints: which timer starts which service.
final class SystemdTimersParserTests: XCTestCase {
    static let debian12: [String: String] = [
        "apt-daily.service": "apt-daily.timer", "apt-daily-upgrade.service": "apt-daily-upgrade.timer",
        "dpkg-db-backup.service": "dpkg-db-backup.timer", "e2scrub_all.service": "e2scrub_all.timer",
        "fstrim.service": "fstrim.timer", "logrotate.service": "logrotate.timer", "man-db.service": "man-db.timer",
        "systemd-tmpfiles-clean.service": "systemd-tmpfiles-clean.timer",
    ]

    func testJSONFromTheRealisticLabHost() throws {
        let (timers, notes) = SystemdUnitsParser.timers(try Fixtures.local("debian-12_systemctl-list-timers.json"))
        XCTAssertEqual(timers, Self.debian12)
        XCTAssertEqual(notes, [])
    }

    func testTableWithDatesAndDashesReadsTheSame() throws {
        // Dates hold spaces and a never-run timer shows "-" (fstrim.timer's whole row): only the
        // last two words, UNIT and ACTIVATES, are read.
        let (timers, notes) = SystemdUnitsParser.timers(try Fixtures.local("debian-12_systemctl-list-timers.out"))
        XCTAssertEqual(timers, Self.debian12)
        XCTAssertEqual(notes, [])
    }

    func testTwoTimersForOneUnitGiveTheFirstByName() {
        let json = #"[{"unit":"z-backup.timer","activates":"backup.service"},{"unit":"a-backup.timer","activates":"backup.service"}]"#
        XCTAssertEqual(SystemdUnitsParser.timers(json).timers, ["backup.service": "a-backup.timer"])
    }

    func testNonServiceTargetsAndBadJSON() {
        XCTAssertEqual(SystemdUnitsParser.timers("n/a n/a n/a n/a snap.timer snap.target\n").timers, [:])
        XCTAssertEqual(SystemdUnitsParser.timers("").timers, [:])
        XCTAssertEqual(SystemdUnitsParser.timers("[{\"unit\": 3").notes, ["services: systemctl list-timers printed JSON that does not parse"])
    }
}
