set -e
# Inside `unshare -m --propagation private`: nothing here is seen outside this namespace.
B=/tmp/pp-mounts-capture
mkdir -p "$B"
mount -t tmpfs -o size=8m "pp base" "$B"
mkdir -p "$B/space dir" "$B/data/sub" "$B/ro" "$B/full" "$B/stack" "$B/lower" "$B/upper" "$B/work" "$B/merged"
mount -t tmpfs -o size=1m "pp src" "$B/space dir"
mount --bind "$B/data/sub" "$B/ro"
mount -o remount,bind,ro "$B/ro"
mount -t tmpfs -o size=4m ppfull "$B/full"
dd if=/dev/zero of="$B/full/fill" bs=1k count=3900 2>/dev/null
mount -t tmpfs -o size=1m first "$B/stack"
mount -t tmpfs -o size=2m second "$B/stack"
mount -t overlay overlay -o lowerdir="$B/lower",upperdir="$B/upper",workdir="$B/work" "$B/merged"
mount -t tmpfs -o size=1m none /var/lib
mkdir -p /var/lib/docker/overlay2/0a1b/merged /var/lib/docker/overlay2/0a1b/l
mount --bind "$B/merged" /var/lib/docker/overlay2/0a1b/merged
mount -t tmpfs -o size=1m,mode=700 tmpfs /run/user 2>/dev/null || { mount -t tmpfs -o size=1m none /run; mkdir -p /run/user/1000; mount -t tmpfs -o size=1m,mode=700 tmpfs /run/user/1000; }
cat /proc/self/mountinfo > "$OUT/mi"
df -kP > "$OUT/df"
busybox df -kP > "$OUT/bdf"
