import XCTest
import Model
@testable import Collect

final class ServicesParserTests: XCTestCase {
    func testCentOSListUnitsTable() throws {
        let (items, notes) = SystemdUnitsParser.units(try Fixtures.real("centos-7.7_systemctl.out"))
        XCTAssertEqual(notes, [])
        // 228 lines: header, 220 units of all types (98 services), legend and footer.
        XCTAssertEqual(items.count, 98)
        XCTAssertEqual(items.filter { $0.load == "not-found" }.count, 18)
        XCTAssertEqual(items.filter { $0.active == "active" }.count, 40)
        XCTAssertEqual(items.filter { $0.sub == "running" }.count, 18)
        let sshd = try XCTUnwrap(items.first { $0.name == "sshd.service" })
        XCTAssertEqual(sshd, Service(name: "sshd.service", load: "loaded", active: "active", sub: "running",
                                     source: .systemd, description: "OpenSSH server daemon"))
        // "●" marks a unit that is not found; the marker is not part of the name.
        let cloud = try XCTUnwrap(items.first { $0.name == "cloud-init.service" })
        XCTAssertEqual([cloud.load, cloud.active, cloud.sub, cloud.description], ["not-found", "inactive", "dead", "cloud-init.service"])
        XCTAssertNotNil(items.first { $0.name == "lvm2-pvscan@8:2.service" && $0.description == "LVM2 PV scan on device 8:2" })
        let long = try XCTUnwrap(items.first { $0.name == "selinux-policy-migrate-local-changes@targeted.service" })
        XCTAssertEqual(long.description, "Migrate local SELinux policy changes from the old store structure to the new structure")
    }

    func testUbuntuListUnitsTableTrailingSpacesTrimmed() throws {
        let (items, _) = SystemdUnitsParser.units(try Fixtures.real("ubuntu-18.04_systemctl.out"))
        XCTAssertEqual(items.count, 116)
        XCTAssertEqual(items.filter { $0.load == "not-found" }.count, 18)
        XCTAssertEqual(items.filter { $0.sub == "running" }.count, 24)
        let ssh = try XCTUnwrap(items.first { $0.name == "ssh.service" })
        XCTAssertEqual(ssh.description, "OpenBSD Secure Shell server")
        XCTAssertEqual(items.first { $0.name == "cloud-init.service" }?.description,
                       "Initial cloud-init job (metadata service crawler)")
    }

    func testUnitFilesTablesAndTemplateLookup() throws {
        let centos = SystemdUnitsParser.unitFiles(try Fixtures.real("centos-7.7_systemctl-luf.out")).states
        XCTAssertEqual(centos.count, 244) // "244 unit files listed."
        XCTAssertEqual(centos["sshd.service"], "enabled")
        XCTAssertEqual(SystemdUnitsParser.enabledState(of: "getty@tty1.service", in: centos), "enabled")
        XCTAssertEqual(SystemdUnitsParser.enabledState(of: "lvm2-pvscan@8:2.service", in: centos), "static")
        XCTAssertNil(SystemdUnitsParser.enabledState(of: "cloud-init.service", in: centos))
        let ubuntu = SystemdUnitsParser.unitFiles(try Fixtures.real("ubuntu-18.04_systemctl-luf.out")).states
        XCTAssertEqual(ubuntu.count, 321) // "321 unit files listed."
        XCTAssertEqual(ubuntu["-.mount"], "generated")
        // Escaped unit names stay as systemd spells them.
        XCTAssertEqual(ubuntu["snap-google\\x2dcloud\\x2dsdk-106.mount"], "enabled")
        XCTAssertEqual(SystemdUnitsParser.enabledState(of: "user@1000.service", in: ubuntu), "static")
        XCTAssertEqual(ubuntu.values.filter { $0 == "masked" }.count, 38)
    }

    func testUnitFilesJSONAndTextFromThisMachineAgree() throws {
        // `systemctl --root=/ list-unit-files --type=service` on this Debian 12 (systemd 252).
        let json = SystemdUnitsParser.unitFiles(try Fixtures.local("debian-12_systemctl-list-unit-files.json"))
        let text = SystemdUnitsParser.unitFiles(try Fixtures.local("debian-12_systemctl-list-unit-files.out"))
        XCTAssertEqual(json.notes, [])
        XCTAssertEqual(json.states.count, 118)
        XCTAssertEqual(json.states, text.states)
        XCTAssertEqual(json.states["cryptdisks.service"], "masked")
        XCTAssertEqual(json.states["autovt@.service"], "alias")
    }

    func testListUnitsJSON() {
        // Shape of `systemctl list-units --output=json` (systemd >= 246); this machine has no
        // running systemd to capture it from, so the row shape is written out here.
        let json = #"[{"unit":"ssh.service","load":"loaded","active":"active","sub":"running","description":"OpenBSD Secure Shell server"},"#
            + #"{"unit":"dev-disk-by\\x2duuid-1.device","load":"loaded","active":"active","sub":"plugged","description":"d"},"#
            + #"{"unit":"gone.service","load":"not-found","active":"inactive","sub":"dead","description":"gone.service"}]"#
        let (items, notes) = SystemdUnitsParser.units(json)
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.map(\.name), ["ssh.service", "gone.service"])
        XCTAssertEqual(items[0].description, "OpenBSD Secure Shell server")
        XCTAssertEqual(SystemdUnitsParser.units("[{\"unit\":").notes.count, 1)
    }

    func testPlainNoLegendTextWithJobColumn() {
        let text = "foo.service loaded activating start start Foo daemon\nbar.service loaded active running Bar\n"
        let (items, _) = SystemdUnitsParser.units(text)
        XCTAssertEqual(items.map(\.description), ["Foo daemon", "Bar"])
        XCTAssertEqual(items.map(\.sub), ["start", "running"])
    }

    func testSysvStatusAllFromThisMachine() throws {
        let (items, notes) = InitScriptsParser.sysv(try Fixtures.local("debian-12_service-status-all.out"))
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.count, 10)
        let hwclock = try XCTUnwrap(items.first { $0.name == "hwclock.sh" })
        XCTAssertEqual([hwclock.active, hwclock.sub], ["unknown", "unknown"])
        let ssh = try XCTUnwrap(items.first { $0.name == "ssh" })
        XCTAssertEqual(ssh.source, .sysv)
        XCTAssertEqual(ssh.active, "inactive")
    }

    func testRedHatStyleStatusSentences() {
        let text = "crond (pid  1234) is running...\nip6tables: Firewall is not running.\nsshd is stopped\n"
        let (items, notes) = InitScriptsParser.sysv(text)
        XCTAssertEqual(items.sorted { $0.name < $1.name }.map { "\($0.name) \($0.active)" }, ["crond active", "sshd inactive"])
        XCTAssertEqual(notes, ["services: 1 lines of service --status-all not understood"])
    }

    func testOpenRCStatus() {
        // The layout of `rc-status --all` as OpenRC prints it (no Alpine host here to capture).
        let text = """
        Runlevel: default
         sshd                                                     [  started  ]
         crond                                                    [  crashed  ]
        Runlevel: boot
         hwclock                                                  [  started 2 day(s) 03:11:09 (0) ]
        Dynamic Runlevel: hotplugged
        Dynamic Runlevel: needed/wanted
         sysfs                                                    [  started  ]
         sshd                                                     [  started  ]
        Dynamic Runlevel: manual
         nginx                                                    [  stopped  ]
        """
        let items = InitScriptsParser.openrc(text).items.sorted { $0.name < $1.name }
        XCTAssertEqual(items.map { "\($0.name) \($0.active) \($0.sub) \($0.enabled ?? "-")" },
                       ["crond failed crashed default", "hwclock active started boot", "nginx inactive stopped manual",
                        "sshd active started default", "sysfs active started needed/wanted"])
    }
}
