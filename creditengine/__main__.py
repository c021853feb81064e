"""``python -m creditengine`` runs the command line."""

from creditengine.cli.app import main

main()
