"""Build provenance; packaging/build_bundle.py rewrites BUILD_DATE in a bundle."""

BUILD_DATE = "source checkout"
