"""Sub-commands of the ``roadmap`` command line, one module per group."""
