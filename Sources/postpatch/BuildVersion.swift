/// What `postpatch --version` prints. A plain `swift build` says "dev"; scripts/package writes
/// the version from `git describe` into its own copy of the tree before the release build.
enum BuildVersion {
    static let string = "dev"
}
