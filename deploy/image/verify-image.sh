#!/usr/bin/env bash
# Builds the securetx image with Jib and proves it works, with no Docker engine and no registry:
#
#   deploy/image/verify-image.sh [--no-build] [--rebuild-base]
#
#  1. the base: target/image/securetx-base.tar from Debian packages (build-base.sh), if missing;
#  2. the image: ./mvnw -Pjib … package → securetx-app/target/securetx-image.tar (OCI);
#  3. its structure: every blob's digest, the config (non-root user, entrypoint and JVM flags,
#     command, exposed port, volume, environment, labels); skopeo, when installed, as a second
#     reader that converts it to the `docker load` format;
#  4. its file system, unpacked layer by layer: the data directory belongs to the service user and
#     nothing else does, no setuid/setgid files, the application files are root's;
#  5. running it the way a hardened container runs: in its own mount and PID namespaces, the root
#     file system read-only, /tmp a noexec tmpfs, a host directory as the data volume, as
#     10001:10001 with no capabilities and no_new_privs, with only the image's environment.
#     There it runs --version, config, keys export-public, process, show and verify (development
#     and production, secrets from files, no secret in any output), demo (same exit code as the
#     host's jar), the Dockerfile's entrypoint with the shaded jar, a worker against a Redis of
#     its own (a task round trip, then SIGTERM), the health check script against a local HTTP
#     server, and `serve` when the build has it.
#
# Needs root (namespaces, chroot), python3, and for the base mmdebstrap and the Debian mirror;
# uses skopeo and redis-server when they are installed. On a 2-core machine: about 9 minutes for
# the base (once), 4 to 5 for the rest. Not run by CI: it downloads Debian packages and takes long.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
base="$root/target/image/securetx-base.tar"
image="$root/securetx-app/target/securetx-image.tar"
build=1
rebuild_base=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --rebuild-base) rebuild_base=1 ;;
    *) echo "usage: $0 [--no-build] [--rebuild-base]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "verify-image: run as root (namespaces and chroot)" >&2; exit 2; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}

work=$(mktemp -d /tmp/securetx-image.XXXXXX)
http_pid= redis_pid= worker_pid= serve_pid=
cleanup() {
  # Background runs: ending their unshare ends what runs inside (--kill-child).
  for p in $worker_pid $serve_pid; do pkill -P "$p" 2>/dev/null || true; done
  for p in $http_pid $redis_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. base and 2. image ------------------------------------------------------------------
if [ "$build" = 1 ]; then
  if [ "$rebuild_base" = 1 ] || [ ! -f "$base" ]; then
    "$here/build-base.sh" "$base"
  fi
  echo "verify-image: building the image with Jib"
  (cd "$root" && ./mvnw -B -q -Pjib -pl securetx-app -am package -DskipTests \
    -Dspotless.check.skip=true -Dspotbugs.skip=true -Djib.from.image="tar://$base")
fi
[ -f "$image" ] || { echo "verify-image: $image missing (run without --no-build)" >&2; exit 2; }
echo "verify-image: $image ($(du -h "$image" | cut -f1))"

# --- 3. structure and config ---------------------------------------------------------------
mkdir -p "$work/oci" "$work/rootfs"
tar -xf "$image" -C "$work/oci"
echo "image structure and config:"
python3 - "$work/oci" "$work" <<'PY' || failed=$((failed + 1))
import hashlib, json, os, sys

oci, work = sys.argv[1], sys.argv[2]
problems, notes = [], []

def blob(digest):
    algo, hexa = digest.split(":", 1)
    path = os.path.join(oci, "blobs", algo, hexa)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    if h.hexdigest() != hexa:
        problems.append(f"blob {digest} does not match its digest")
    return path

def expect(cond, what):
    (notes if cond else problems).append(what)

layout = json.load(open(os.path.join(oci, "oci-layout")))
expect(layout.get("imageLayoutVersion") == "1.0.0", "OCI image layout 1.0.0")
index = json.load(open(os.path.join(oci, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
expect(manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json", "OCI manifest")
config = json.load(open(blob(manifest["config"]["digest"])))
layers = manifest["layers"]
for layer in layers:
    blob(layer["digest"])
expect(len(layers) == len(config["rootfs"]["diff_ids"]), f"{len(layers)} layers, one diff id each")
expect(config.get("os") == "linux" and config.get("architecture") in ("amd64", "arm64"),
       f"platform {config.get('os')}/{config.get('architecture')}")

c = config["config"]
user = c.get("User", "")
expect(user == "10001:10001", f"user {user!r}, not root")
ep = c.get("Entrypoint") or []
expect(ep[:1] == ["java"], f"entrypoint starts with java")
for flag in ["-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
             "-Dorg.sqlite.lib.path=/opt/securetx/native", "-Dorg.sqlite.lib.name=libsqlitejdbc.so"]:
    expect(flag in ep, f"JVM flag {flag}")
expect(ep[-1:] == ["io.securetx.app.Main"], "main class io.securetx.app.Main")
expect(c.get("Cmd") == ["serve"], f"command {c.get('Cmd')}")
expect("8080/tcp" in (c.get("ExposedPorts") or {}), "exposes 8080/tcp")
expect("/var/lib/securetx" in (c.get("Volumes") or {}), "volume /var/lib/securetx")
expect(c.get("WorkingDir") == "/var/lib/securetx", "working directory /var/lib/securetx")
env = dict(e.split("=", 1) for e in c.get("Env", []))
expect(env.get("SECURETX_DATA_DIR") == "/var/lib/securetx", "SECURETX_DATA_DIR=/var/lib/securetx")
expect(env.get("LANG") == "C.UTF-8", "LANG=C.UTF-8")
expect("PATH" in env and "JAVA_HOME" in env, "PATH and JAVA_HOME from the base")
labels = c.get("Labels") or {}
expect(labels.get("org.opencontainers.image.title") == "securetx", "label title=securetx")
expect(bool(labels.get("org.opencontainers.image.version")), "label version=" + str(labels.get("org.opencontainers.image.version")))
expect(not any(k.upper().endswith(("PASSWORD", "KEY", "SECRET", "_URL")) for k in env),
       "no secret-looking variable baked into the image")

for n in notes:
    print("  ok    " + n)
for p in problems:
    print("  FAIL  " + p)

# For the shell: the layers in order, the user, the entrypoint, the environment, the working dir.
with open(os.path.join(work, "layers"), "w") as f:
    for layer in layers:
        algo, hexa = layer["digest"].split(":", 1)
        f.write(os.path.join(oci, "blobs", algo, hexa) + "\n")
with open(os.path.join(work, "entrypoint"), "w") as f:
    f.write("\0".join(ep))
with open(os.path.join(work, "env"), "w") as f:
    f.write("\0".join(c.get("Env", [])))
with open(os.path.join(work, "user"), "w") as f:
    f.write(user)
with open(os.path.join(work, "workdir"), "w") as f:
    f.write(c.get("WorkingDir", "/"))
sys.exit(1 if problems else 0)
PY
[ -s "$work/layers" ] || { echo "verify-image: cannot read the image" >&2; exit 1; }
if command -v skopeo >/dev/null; then
  # A second reader, containers/image: the archive converts to what `docker load` takes.
  check "skopeo reads the OCI archive and converts it to a docker-archive" \
    skopeo copy -q "oci-archive:$image" "docker-archive:$work/docker.tar:securetx:verify"
  rm -f "$work/docker.tar"
fi

# --- 4. the file system --------------------------------------------------------------------
R="$work/rootfs"
while read -r layer; do
  # OCI whiteouts: .wh.NAME deletes NAME from the layers below, .wh..wh..opq empties a directory.
  tar -xzf "$layer" -C "$R" --numeric-owner --same-owner --same-permissions \
    --warning=no-unknown-keyword
  while IFS= read -r -d '' wh; do
    dir=$(dirname "$wh") name=$(basename "$wh")
    if [ "$name" = .wh..wh..opq ]; then
      find "$dir" -mindepth 1 -maxdepth 1 ! -name .wh..wh..opq -exec rm -rf {} +
    else
      rm -rf "${dir:?}/${name#.wh.}"
    fi
    rm -f "$wh"
  done < <(find "$R" -name '.wh.*' -print0)
done < "$work/layers"
# What a container runtime mounts over, in case the image lacks the directories.
mkdir -p "$R/dev" "$R/proc" "$R/tmp" "$R/run"
echo "file system ($(du -sh "$R" | cut -f1) unpacked):"
user=$(cat "$work/user")
uid=${user%%:*} gid=${user#*:}
check "/var/lib/securetx is a directory owned by $uid:$gid, mode 700" \
  test "$(stat -c '%u:%g %a' "$R/var/lib/securetx")" = "$uid:$gid 700"
owned=$(cd "$R" && find . -xdev \( -uid "$uid" -o -gid "$gid" \) ! -path ./var/lib/securetx)
check "nothing else belongs to the service user${owned:+: $owned}" test -z "$owned"
setids=$(cd "$R" && find . -xdev -type f -perm /6000)
check "no setuid or setgid files${setids:+: $setids}" test -z "$setids"
writable=$(cd "$R" && find . -xdev -perm -0002 ! -type l ! -type c ! \( -type d -perm -1000 \))
check "nothing world-writable except sticky directories${writable:+: $writable}" test -z "$writable"
check "application files are root's and read-only to others" \
  test -z "$(find "$R/opt/securetx" \( ! -uid 0 -o -perm /0022 \))"
check "the health check script is executable" test -x "$R/opt/securetx/healthcheck"
check "SQLite's native library is in /opt/securetx/native" \
  test -f "$R/opt/securetx/native/libsqlitejdbc.so"
check "java is on the image's PATH (/usr/bin/java)" test -x "$R/usr/bin/java"

# --- 5. running it -------------------------------------------------------------------------
mapfile -d '' entrypoint < "$work/entrypoint"
mapfile -d '' image_env < "$work/env"
workdir=$(cat "$work/workdir")

# in_image [--host-net] [--secrets DIR] [--data DIR] [--jar JAR] [VAR=VALUE…] -- ARGS…: runs the
# entrypoint (or $RUN_COMMAND) with ARGS as a hardened container would, printing its output;
# returns its exit code. Without --host-net it has no network at all.
in_image() {
  local unshare_net=--net secrets="" data="$work/data" jar="" extra_env=()
  while [ "$1" != -- ]; do
    case "$1" in
      --host-net) unshare_net="" ;;
      --secrets) secrets=$2; shift ;;
      --data) data=$2; shift ;;
      --jar) jar=$2; shift ;;
      *=*) extra_env+=("$1") ;;
    esac
    shift
  done
  shift
  local cmd=("${entrypoint[@]}" "$@")
  if [ "${RUN_COMMAND:-}" ]; then cmd=("$RUN_COMMAND" "$@"); fi
  unshare --mount --pid --fork --kill-child --ipc --uts $unshare_net \
    env R="$R" DATA="$data" JAR="$jar" SECRETS="$secrets" UID_="$uid" GID_="$gid" WORKDIR="$workdir" \
    bash -c '
      set -e
      mount --make-rprivate /
      mount --bind "$R" "$R"
      mount -o remount,bind,ro "$R"
      mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
      mount -t tmpfs -o nosuid,noexec,mode=755 tmpfs "$R/dev"
      for d in null zero full random urandom tty; do
        touch "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"
      done
      ln -s /proc/self/fd "$R/dev/fd"
      for i in 0 1 2; do ln -s "/proc/self/fd/$i" "$R/dev/$(echo stdin stdout stderr | cut -d" " -f$((i+1)))"; done
      mount -t tmpfs -o nosuid,nodev,noexec,mode=1777 tmpfs "$R/tmp"
      mount --bind "$DATA" "$R/var/lib/securetx"
      if [ -n "$JAR" ]; then mount --bind -o ro "$JAR" "$R/opt/securetx/securetx.jar"; fi
      if [ -n "$SECRETS" ]; then
        # As compose does: each secret file bind-mounted read-only into /run/secrets.
        mount -t tmpfs -o nosuid,nodev,noexec,mode=755 tmpfs "$R/run"
        mkdir "$R/run/secrets"
        for f in "$SECRETS"/*; do
          touch "$R/run/secrets/${f##*/}"; mount --bind -o ro "$f" "$R/run/secrets/${f##*/}"
        done
      fi
      exec chroot "$R" /usr/bin/setpriv --reuid="$UID_" --regid="$GID_" --clear-groups \
        --no-new-privs --inh-caps=-all --bounding-set=-all -- \
        /usr/bin/env -i -C "$WORKDIR" "$@"
    ' in_image "${image_env[@]}" "${extra_env[@]}" "${cmd[@]}"
}

new_data() { # a fresh data volume: empty, owned by the service user, 0700 (as the image's)
  local d
  d=$(mktemp -d "$work/data.XXXXXX")
  chown "$uid:$gid" "$d"
  chmod 700 "$d"
  echo "$d"
}

# expect_run NAME EXPECTED_CODE [in_image options] -- ARGS…: runs, keeps the output in $out.
expect_run() {
  local name=$1 want=$2 code=0
  shift 2
  out=$(in_image "$@" 2>&1) || code=$?
  printf '%s\n' "$out" > "$work/out.$(echo "$name" | tr ' /' '__')"
  if [ "$code" = "$want" ]; then
    ok "$name (exit $code)"
  else
    bad "$name: exit $code, expected $want"
    printf '%s\n' "$out" | sed 's/^/        | /' | tail -20
  fi
}

echo "running it (read-only root, noexec /tmp, uid $uid, no capabilities, no network):"
mkdir -p "$work/data" && chown "$uid:$gid" "$work/data" && chmod 700 "$work/data"
data=$(new_data)
expect_run "securetx --version" 0 --data "$data" -- --version
check "--version names the project version" grep -q '^securetx [0-9]' <<<"$out"
expect_run "securetx config (development)" 0 --data "$data" -- config
check "config shows the data directory /var/lib/securetx" grep -q 'SECURETX_DATA_DIR *\/var\/lib\/securetx' <<<"$out"
expect_run "securetx process (development, SQLite)" 0 --data "$data" -- \
  process --user-id 123 --amount 100.00 --json
tx_id=$(sed -n 's/.*"tx_id": *"\(tx_[^"]*\)".*/\1/p' <<<"$out")
check "process returned a tx id ($tx_id)" test -n "$tx_id"
expect_run "securetx show $tx_id" 0 --data "$data" -- show "$tx_id"
expect_run "securetx verify" 0 --data "$data" -- verify
check "the vault and keys are in the data volume, owned by $uid" \
  test "$(stat -c %u "$data/vault.db" "$data/keys")" = "$uid"$'\n'"$uid"
check "the key directory is owner-only" test "$(stat -c %a "$data/keys")" = 700
check "nothing was left in the data volume by anyone else" \
  test -z "$(find "$data" ! -uid "$uid")"

# demo: the same exit code as the host's jar, whatever this build's demo does.
host_data=$(mktemp -d "$work/host.XXXXXX")
host_code=0
SECURETX_DATA_DIR="$host_data" java -jar "$root/securetx-app/target/securetx.jar" demo \
  > "$work/host-demo.out" 2>&1 || host_code=$?
expect_run "securetx demo (the host's jar exits $host_code)" "$host_code" --data "$(new_data)" -- demo

# SQLite's native library comes from the image: without the flags, sqlite-jdbc extracts it to the
# noexec /tmp and cannot load it. This shows the flags are needed, not just present.
code=0
out=$(RUN_COMMAND=java in_image --data "$(new_data)" -- -cp @/opt/securetx/jib-classpath-file \
  io.securetx.app.Main process --user-id 123 --amount 1.00 2>&1) || code=$?
check "without -Dorg.sqlite.lib.path, SQLite cannot load from the noexec /tmp (exit $code)" \
  test "$code" != 0
check "  … and says why: $(grep -m1 -i 'sqlite' <<<"$out" | tr -s ' ' | cut -c1-90)…" \
  grep -qi 'failed to load native library' <<<"$out"

# The Dockerfile's image differs in its base (eclipse-temurin, not pullable here) and runs the
# shaded jar: its entrypoint, on this file system, with the jar this build made.
mapfile -t docker_entrypoint < <(python3 -c '
import json, re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
print("\n".join(json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M).group(1))))
' "$root/Dockerfile")
touch "$R/opt/securetx/securetx.jar"   # the mount point for the jar
ddata=$(new_data)
RUN_COMMAND=${docker_entrypoint[0]} expect_run "the Dockerfile's entrypoint: process (shaded jar)" 0 \
  --data "$ddata" --jar "$root/securetx-app/target/securetx.jar" -- \
  "${docker_entrypoint[@]:1}" process --user-id 123 --amount 100.00
RUN_COMMAND=${docker_entrypoint[0]} expect_run "the Dockerfile's entrypoint: verify (shaded jar)" 0 \
  --data "$ddata" --jar "$root/securetx-app/target/securetx.jar" -- "${docker_entrypoint[@]:1}" verify

echo "production mode, secrets from files under /run/secrets:"
secrets="$work/secrets"
sh "$root/deploy/secrets/generate.sh" "$secrets" >/dev/null
prod=(SECURETX_ENV=production MAIL_DEFAULT_SENDER=securetx@mail.localhost
  API_KEY_V1_FILE=/run/secrets/api_key_v1 ADMIN_PASSWORD_FILE=/run/secrets/admin_password
  SECURETX_MASTER_KEY_FILE=/run/secrets/master_key)
pdata=$(new_data)
expect_run "production without secrets is refused" 3 --data "$pdata" SECURETX_ENV=production -- config
check "  … naming what is missing" grep -q 'SECURETX_MASTER_KEY' <<<"$out"
expect_run "securetx config (production)" 0 --data "$pdata" --secrets "$secrets" "${prod[@]}" -- config
all_out="$out"
expect_run "securetx keys export-public (production)" 0 --data "$pdata" --secrets "$secrets" "${prod[@]}" -- keys export-public
all_out+="$out"
expect_run "securetx process (production)" 0 --data "$pdata" --secrets "$secrets" "${prod[@]}" -- \
  process --user-id 123 --amount 100.00 --json
all_out+="$out"
expect_run "securetx verify (production)" 0 --data "$pdata" --secrets "$secrets" "${prod[@]}" -- verify
all_out+="$out"
check "no master key file in the data volume (it comes from the secret)" \
  test ! -e "$pdata/keys/master.key"
leaked=""
for f in api_key_v1 admin_password master_key; do
  grep -qF "$(cat "$secrets/$f")" <<<"$all_out" && leaked+=" $f"
done
check "no secret value in any output${leaked:+:$leaked}" test -z "$leaked"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# stop_gracefully PID: SIGTERM to the process in_image runs (the PID 1 of its namespace, as in a
# container); its exit code goes to $code. PID is a background in_image's: its child is unshare,
# whose child is the entrypoint.
stop_gracefully() {
  local ns child
  ns=$(pgrep -P "$1" | head -1)
  child=$(pgrep -P "$ns" | head -1)
  kill -TERM "$child"
  code=0
  wait "$1" || code=$?
}

if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  echo "worker (production, against a Redis of its own on a free loopback port):"
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do redis-cli -p "$rport" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  wsecrets="$work/worker-secrets"
  cp -a "$secrets" "$wsecrets"
  rm -f "$wsecrets/celery_url" && printf 'redis://127.0.0.1:%s/0\n' "$rport" > "$wsecrets/celery_url"
  chmod 444 "$wsecrets/celery_url"
  wprod=("${prod[@]}" CELERY_BROKER_URL_FILE=/run/secrets/celery_url
    CELERY_RESULT_BACKEND_FILE=/run/secrets/celery_url)
  wdata=$(new_data)
  in_image --host-net --data "$wdata" --secrets "$wsecrets" "${wprod[@]}" -- worker -c 2 \
    > "$work/worker.out" 2>&1 &
  worker_pid=$!
  expect_run "enqueue celery.accumulate and wait for the worker's result" 0 \
    --host-net --data "$wdata" --secrets "$wsecrets" "${wprod[@]}" -- \
    enqueue celery.accumulate --args '[1, 2]' --wait 60
  check "  … SUCCESS [1,2]" grep -q 'SUCCESS \[1, *2\]' <<<"$out"
  stop_gracefully "$worker_pid"
  check "the worker stops on SIGTERM with exit 0 (exit $code)" test "$code" = 0
  worker_pid=
  kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; redis_pid=
else
  echo "worker: no redis-server here, skipped"
fi

echo "health check script (the image's bash, a local HTTP server on the loopback):"
port=$(free_port)
mkdir -p "$work/www" && echo ok > "$work/www/healthz"
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$port" >/dev/null 2>&1 &
http_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
RUN_COMMAND=/opt/securetx/healthcheck expect_run "healthcheck: 200 on /healthz" 0 --host-net HTTP_PORT="$port" -- /healthz
RUN_COMMAND=/opt/securetx/healthcheck expect_run "healthcheck: 404 on /readyz fails" 1 --host-net HTTP_PORT="$port" -- /readyz
kill "$http_pid"; wait "$http_pid" 2>/dev/null || true; http_pid=
RUN_COMMAND=/opt/securetx/healthcheck expect_run "healthcheck: nothing listening fails" 1 --host-net HTTP_PORT="$port" -- /healthz

# `serve`, when this build has it: start it, wait for the health check, stop it with SIGTERM.
if in_image --data "$(new_data)" -- --help 2>/dev/null | grep -q '^  serve '; then
  echo "serve:"
  sdata=$(new_data)
  in_image --host-net --data "$sdata" HTTP_PORT="$port" -- serve > "$work/serve.out" 2>&1 &
  serve_pid=$!
  healthy=1
  for _ in $(seq 1 60); do
    if RUN_COMMAND=/opt/securetx/healthcheck in_image --host-net HTTP_PORT="$port" -- /healthz \
        >/dev/null 2>&1; then healthy=0; break; fi
    sleep 1
  done
  check "serve answers 200 on /healthz within 60 s" test "$healthy" = 0
  stop_gracefully "$serve_pid"
  check "serve stops on SIGTERM (exit $code)" test "$code" = 0 -o "$code" = 143
  serve_pid=
else
  echo "serve: not in this build, skipped"
fi

echo
echo "verify-image: $passed passed, $failed failed"
[ "$failed" = 0 ]
