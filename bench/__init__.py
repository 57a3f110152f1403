"""``make bench``: docgen's speed and memory against the raw libraries doing the same work."""
