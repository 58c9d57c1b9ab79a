"""Command-line tools shipped with Bia."""
