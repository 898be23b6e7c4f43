# .NET for the offline image: the host's own SDK, copied in (runner/languages/registry.yaml says how
# runner/setup/offline.py runs this).
set -eu
dotnet=$(command -v dotnet) || {
  echo "the offline .NET image copies the host's .NET SDK, and \`dotnet\` is not on PATH: install the .NET 10" \
       "SDK, or pull the official image with \`invoke images\`" >&2
  exit 1
}
root=$(dirname "$(realpath "$dotnet")")
case "$1" in
  version)
    echo dotnet
    "$dotnet" --version
    echo "$root" ;;
  steps)
    echo "copy $root /usr/share/dotnet"
    echo "link /usr/local/bin/dotnet /usr/share/dotnet/dotnet"
    echo "env DOTNET_ROOT=/usr/share/dotnet" ;;
esac
