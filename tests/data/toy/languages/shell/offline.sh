# The toy's offline recipe: the Debian base has a POSIX shell, so it only names one and sets a variable.
set -eu
case "$1" in
  version) echo "posix-sh"; echo "1" ;;
  steps)
    echo "copy $(command -v sh) /usr/local/bin/toysh"
    echo "link /usr/local/bin/posix-sh /usr/local/bin/toysh"
    echo "env TOY_SHELL=$2-$3" ;;
esac
