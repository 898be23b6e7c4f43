"""What the kit knows, as data: languages, lessons, results, comparing outputs, timelines, services.

The bottom layer: it imports no other layer of the kit (tests/test_layers.py holds every layer to its
place)."""
