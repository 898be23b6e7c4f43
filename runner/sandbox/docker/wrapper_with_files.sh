# PID 1 of a fresh sandbox whose files travel in its command (no volume): the files first, as pairs of
# path and base64 text up to a `--`, written under /job and then made read-only, as a volume's files
# would be (the program is their owner: this keeps a slip from changing them, not a will); then what
# wrapper.sh does with the command that follows.
files=/job
#include write_files.sh
chmod -R a-w /job
#include wrapper.sh
