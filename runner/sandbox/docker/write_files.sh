# Write the files of a run that travel as the command's arguments (see scripts.fits_inline): pairs of
# path and base64 text up to a `--`, written under $files; the command follows. (An argument costs
# nothing; a copy through the API costs a container made for it, some 0.1-0.9 s.)
while [ "$1" != -- ]; do
  case $1 in */*) mkdir -p "$files/${1%/*}" || exit 125 ;; esac
  printf '%s' "$2" | base64 -d > "$files/$1" || exit 125; shift 2
done; shift
