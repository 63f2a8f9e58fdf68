"""`python -m unspun` runs the CLI."""

from unspun.cli import main

main()
