#!/bin/sh
# Writes the secrets compose.yaml mounts under /run/secrets, each from the system's random source:
#
#   deploy/secrets/generate.sh [DIR]        DIR defaults to this directory
#
# An existing file is kept, never overwritten: a new master_key would leave the keysets in the data
# volume unreadable, and a new PostgreSQL or Redis password would no longer match the one their
# volumes were initialised with. To replace one secret, delete its file (and its partners: db_url
# goes with postgres_password, celery_url with redis.conf) and run this again.
set -eu
dir=${1:-$(dirname "$0")}
umask 077
mkdir -p "$dir"
# Only the owner may enter the directory. The files themselves must be readable by the containers'
# users (10001, postgres, redis), since compose without swarm bind-mounts them as they are.
chmod 700 "$dir"

hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# write NAME VALUE: creates NAME with VALUE unless it exists; says which it did, never the value.
write() {
  if [ -e "$dir/$1" ]; then
    echo "kept      $dir/$1"
    return
  fi
  printf '%s\n' "$2" > "$dir/$1.tmp"
  chmod 444 "$dir/$1.tmp"
  mv "$dir/$1.tmp" "$dir/$1"
  echo "generated $dir/$1"
}

# Reads a value back from an existing file, so that partner files agree.
read_value() { sed -n "${2:-1}p" "$dir/$1"; }

write api_key_v1 "sk_$(hex 32)"
write admin_password "$(hex 24)"
# 32 random bytes, base64: SECURETX_MASTER_KEY. Back it up: without it the keysets cannot be opened.
write master_key "$(head -c 32 /dev/urandom | base64)"

write postgres_password "$(hex 24)"
write db_url "postgres://securetx:$(read_value postgres_password)@postgres:5432/securetx"

write redis.conf "requirepass $(hex 24)"
write celery_url "redis://:$(sed -n 's/^requirepass //p' "$dir/redis.conf")@redis:6379/0"
write smtp_url "smtp://mailpit:1025?starttls=false"
