import Engine
import XCTest

final class ShardTests: XCTestCase {
    func testShardsPartitionTheHostsWithoutOverlap() {
        let hosts = (1...1000).map { "web\($0).example.test" }
        let shards = (1...4).map { Shard("\($0)/4")! }
        var seen = Set<String>()
        for s in shards {
            let mine = hosts.filter(s.contains)
            XCTAssertGreaterThan(mine.count, 200, "roughly even")
            XCTAssertLessThan(mine.count, 300, "roughly even")
            XCTAssertTrue(seen.isDisjoint(with: mine))
            seen.formUnion(mine)
        }
        XCTAssertEqual(seen.count, hosts.count)
        // Stable: the same host always lands in the same shard (FNV-1a of the name).
        XCTAssertTrue(Shard("3/4")!.contains("web1.example.test") == Shard("3/4")!.contains("web1.example.test"))
        XCTAssertTrue(Shard("1/1")!.contains("anything"))
    }

    func testBadShardTextIsRefused() {
        for bad in ["0/4", "5/4", "1/0", "a/b", "2", "1/2/3", ""] { XCTAssertNil(Shard(bad), bad) }
    }
}
