"""The Docker backend: the only code that talks to a Docker engine (through the Docker SDK)."""
import sys
import warnings

# Debian's Docker SDK (5.x) imports distutils, which setuptools' import hook then serves by importing all of
# setuptools and pkg_resources: 0.1-0.3 s of every `invoke check`. Up to Python 3.11 the standard library's
# own distutils (Debian's python3-distutils) serves it as well, in a few milliseconds.
if sys.version_info < (3, 12) and "distutils" not in sys.modules:
    try:
        import _distutils_hack as hook
    except ImportError:  # no setuptools hook
        hook = None
    if hook is not None:
        hook.remove_shim()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's business, not a learner's
            import distutils.spawn  # noqa: F401 - what the SDK imports
    except ImportError:  # no distutils of the standard library's: setuptools' serves the SDK after all
        if hook is not None:
            hook.add_shim()
