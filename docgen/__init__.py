"""docgen: home-visit forms for UK schools, validated against the school's policy."""
__version__ = "0.1.0"
