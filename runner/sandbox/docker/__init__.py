"""The Docker backend: the only code that talks to a Docker engine (through the Docker SDK)."""
