"""Where programs run: the backend base class, the local and the Docker backends, the build cache, the
machine's timed-run slots and its noise. Uses the model only."""
